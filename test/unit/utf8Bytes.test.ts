import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LabelSchema } from '../../src/common/labelSchema';
import { DatasetSources } from '../../src/server/contracts/datasetSource';
import { decodeCsvBytes } from '../../src/server/credit/csvBytes';
import { decodeUtf8File, NotUtf8Error } from '../../src/server/encoding/utf8File';
import { decodeUtf8Strictly, firstInvalidUtf8 } from '../../src/server/encoding/utf8Bytes';
import { FileBytesUtf8 } from '../../src/server/lsp/fileBytesUtf8';
import { replacementCharacterDiagnostics } from '../../src/server/lsp/replacementCharacters';
import { Rng } from '../../src/server/util/prng';

describe('firstInvalidUtf8', () => {
  it('finds overlongs, surrogates, code points past U+10FFFF and truncated sequences, with their line', () => {
    const at = (prefix: string, bad: number[]): ReturnType<typeof firstInvalidUtf8> => firstInvalidUtf8(Buffer.concat([Buffer.from(prefix), Buffer.from(bad)]));
    const offset = Buffer.byteLength('a\n借\n');
    for (const bad of [
      [0xff],
      [0xc0, 0x80],
      [0xc1, 0xbf],
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80],
      [0xed, 0xbf, 0xbf],
      [0xf0, 0x80, 0x80, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf5, 0x80, 0x80, 0x80],
      [0xe5, 0x80],
      [0x80],
    ]) {
      assert.deepEqual(at('a\n借\n', bad), { line: 3, offset }, bad.map((b) => b.toString(16)).join(' '));
    }
    assert.equal(firstInvalidUtf8(Buffer.from('借款😀𠀋\r\n\ud7ff\ue000\uffff\u{10ffff}')), undefined);
  });

  it('agrees with the strict decoder on random bytes', () => {
    const rng = new Rng(7);
    const alphabet = [0x0a, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xe5, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    for (let n = 0; n < 5_000; n++) {
      const bytes = Uint8Array.from({ length: 1 + Math.floor(rng.float() * 8) }, () => alphabet[Math.floor(rng.float() * alphabet.length)]);
      const found = firstInvalidUtf8(bytes);
      assert.equal(found === undefined, decodeUtf8Strictly(bytes) !== undefined, Buffer.from(bytes).toString('hex'));
      if (found) assert.notEqual(decodeUtf8Strictly(bytes.subarray(0, found.offset)), undefined, 'every byte before it is UTF-8');
    }
  });
});

describe('decodeUtf8File', () => {
  it('keeps a BOM as U+FEFF, as reading with "utf8" did', () => {
    assert.equal(decodeUtf8File(Buffer.from('\ufeff{"text":"借款"}\n'), 'f.jsonl'), '\ufeff{"text":"借款"}\n');
  });

  it('says where the first bad byte is and what the file probably is', () => {
    const error = (bytes: number[]): NotUtf8Error => {
      try {
        decodeUtf8File(Buffer.concat([Buffer.from('{}\n'), Buffer.from(bytes)]), 'f.jsonl');
      } catch (err) {
        assert.ok(err instanceof NotUtf8Error);
        return err;
      }
      assert.fail('decoded');
    };
    assert.deepEqual(error([0x41, 0xff]).at, { line: 2, offset: 4 });
    assert.match(error([0x41, 0xff]).message, /^f\.jsonl:2: not valid UTF-8 at byte offset 4 \(0xFF\); fix or remove these bytes/);
    assert.match(error([0xd6, 0xd0]).message, /looks like GBK/);
    assert.match(error([0xed, 0xb0, 0x80]).message, /UTF-16 surrogate/);
    assert.throws(() => decodeUtf8File(Buffer.from([0xff, 0xfe, 0x7b, 0x00]), 'u16.jsonl'), /u16\.jsonl:1: .*UTF-16 byte order mark/);
  });

  it('leaves CSV detection as it was: UTF-8, BOM, GBK, else refused with line and byte', () => {
    assert.equal(decodeCsvBytes(Buffer.from('a,b\n1,2\n'), 'c.csv').encoding, 'utf-8');
    assert.equal(decodeCsvBytes(Buffer.from('\ufeffa,b\n'), 'c.csv').text, 'a,b\n');
    assert.deepEqual(decodeCsvBytes(Buffer.from([0xd6, 0xd0, 0x0a]), 'c.csv'), { text: '中\n', encoding: 'gbk' });
    assert.throws(() => decodeCsvBytes(Buffer.from([0x61, 0x0a, 0x62, 0xff]), 'c.csv'), /c\.csv: is neither UTF-8 \(line 2, byte 3 is not\) nor GBK/);
  });
});

describe('U+FFFD in an open dataset whose file is not UTF-8', () => {
  it('warns on each line holding U+FFFD, from the first to the last', () => {
    const doc = TextDocument.create('file:///d.jsonl', 'jsonl', 1, '{"text":"ok"}\n{"text":"a\ufffd\ufffdb\ufffd"}\r\n{"text":"ok"}\n{"text":"\ufffd"}');
    const diagnostics = replacementCharacterDiagnostics(doc);
    assert.deepEqual(
      diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.code]),
      [
        [1, 10, 1, 14, 'not-utf8'],
        [3, 9, 3, 10, 'not-utf8'],
      ],
    );
    assert.match(String(diagnostics[0].message), /not valid UTF-8.*saving the file would write U\+FFFD in their place/);
    assert.deepEqual(replacementCharacterDiagnostics(TextDocument.create('file:///e.jsonl', 'jsonl', 1, '{"text":"借款"}\n')), []);
  });

  it('marks at most 100 lines and says how many more there are', () => {
    const doc = TextDocument.create('file:///g.jsonl', 'jsonl', 1, Array.from({ length: 150 }, () => '{"text":"\ufffd\ufffd"}').join('\n'));
    const diagnostics = replacementCharacterDiagnostics(doc);
    assert.equal(diagnostics.length, 100);
    assert.match(String(diagnostics[99].message), /this line and 50 more below/);
  });

  it('reads the file on disk for whether its bytes are UTF-8, again once it changes', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'finlabel-disk-utf8-')), 'd.jsonl');
    const uri = pathToFileURL(file).toString();
    const check = new FileBytesUtf8();
    writeFileSync(file, Buffer.from([0x7b, 0xff, 0x7d, 0x0a]));
    assert.equal(await check.hasInvalidBytes(uri), true);
    writeFileSync(file, '{"text":"\ufffd"}\n');
    assert.equal(await check.hasInvalidBytes(uri), false, 'saved by VS Code: U+FFFD is now in the file as UTF-8');
    assert.equal(await check.hasInvalidBytes('untitled:Untitled-1'), false);
    assert.equal(await check.hasInvalidBytes(pathToFileURL(`${file}.missing`).toString()), false);
  });
});

describe("a contract folder's dataset on disk that is not UTF-8", () => {
  it('cannot be read (so no label is written into it), with its line and byte offset', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'finlabel-contract-dataset-')), 'contracts.labels.jsonl');
    writeFileSync(file, Buffer.concat([Buffer.from('{"text":"借款"}\n{"text":"'), Buffer.from([0xff]), Buffer.from('"}\n')]));
    const read = new DatasetSources(
      () => new LabelSchema(),
      () => undefined,
    ).read(file);
    assert.equal(read.ok, false);
    if (read.ok) return;
    assert.match(read.message, /contracts\.labels\.jsonl:2: not valid UTF-8 at byte offset 27 \(0xFF\)/);
  });
});
