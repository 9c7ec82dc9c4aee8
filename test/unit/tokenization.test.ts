import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BertTokenizer } from '../../src/server/tokenization/bertTokenizer';
import { loadTokenizerFolder, TokenizerLoadError } from '../../src/server/tokenization/tokenizerFolder';
import { codePointSlice } from '../../src/server/dataset/jsonStringMap';

// Tests run from the repository root.
const BERT_DIR = 'models/tokenizers/bert-base-chinese';
const QWEN_DIR = 'models/tokenizers/qwen2';

interface BertCase {
  text: string;
  ids: number[];
  starts: number[];
  ends: number[];
}

function fixture<T>(name: string): T {
  return JSON.parse(gunzipSync(readFileSync(join('test/fixtures/tokenizer', name))).toString('utf8')) as T;
}

describe('tokenization: loading a tokenizer folder', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'finlabel-tokenizer-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the shipped BERT and Qwen2 tokenizers with their raw files', () => {
    const bert = loadTokenizerFolder(BERT_DIR);
    assert.equal(bert.json.model.type, 'WordPiece');
    assert.equal(bert.tokenizer.token_to_id('[CLS]'), 101);
    assert.equal(bert.files['tokenizer.json'], readFileSync(join(BERT_DIR, 'tokenizer.json'), 'utf8'));
    const qwen = loadTokenizerFolder(QWEN_DIR);
    assert.equal(qwen.json.model.type, 'BPE');
  });

  it('names the missing file', () => {
    writeFileSync(join(dir, 'tokenizer.json'), readFileSync(join(BERT_DIR, 'tokenizer.json')));
    assert.throws(
      () => loadTokenizerFolder(dir),
      (err: Error) => err instanceof TokenizerLoadError && err.file === join(dir, 'tokenizer_config.json') && /does not exist/.test(err.message),
    );
    rmSync(join(dir, 'tokenizer.json'));
    assert.throws(
      () => loadTokenizerFolder(dir),
      (err: Error) => err instanceof TokenizerLoadError && err.file === join(dir, 'tokenizer.json'),
    );
  });

  it('names the file that is not JSON, not an object, or has no model', () => {
    writeFileSync(join(dir, 'tokenizer_config.json'), '{}');
    writeFileSync(join(dir, 'tokenizer.json'), '{"model": ');
    assert.throws(() => loadTokenizerFolder(dir), /tokenizer\.json: is not valid JSON/);
    writeFileSync(join(dir, 'tokenizer.json'), '[1]');
    assert.throws(() => loadTokenizerFolder(dir), /tokenizer\.json: must hold a JSON object/);
    writeFileSync(join(dir, 'tokenizer.json'), '{"version": "1.0"}');
    assert.throws(() => loadTokenizerFolder(dir), /tokenizer\.json: has no "model" object/);
    mkdirSync(join(dir, 'sub'));
    mkdirSync(join(dir, 'sub', 'tokenizer.json'));
    assert.throws(() => loadTokenizerFolder(join(dir, 'sub')), /tokenizer\.json: cannot be read: is a folder/);
  });

  it('refuses a byte-level BPE tokenizer for the BERT entity model, naming the file', () => {
    assert.throws(
      () => BertTokenizer.from(loadTokenizerFolder(QWEN_DIR)),
      /qwen2[/\\]tokenizer\.json: the entity model needs a WordPiece \(BERT\) tokenizer, this one is BPE/,
    );
  });
});

describe('tokenization: BERT ids and code-point offsets equal the Python fast tokenizer', () => {
  const bert = BertTokenizer.from(loadTokenizerFolder(BERT_DIR));
  const cases = fixture<{ cases: BertCase[] }>('bert-base-chinese.json.gz').cases;

  it(`agrees on every one of the ${cases.length} fixture texts (laws, samples, edge cases)`, () => {
    assert.ok(cases.length > 3000);
    const differing: string[] = [];
    for (const c of cases) {
      const e = bert.encode(c.text);
      try {
        assert.deepEqual(e, { ids: c.ids, starts: c.starts, ends: c.ends });
      } catch {
        differing.push(c.text);
      }
    }
    assert.deepEqual(differing, [], `${differing.length} of ${cases.length} texts differ`);
  });

  it('maps tokens to code points with emoji, CJK Extension B and \\r\\n; a word piece covers several characters', () => {
    const text = '借款😀𠀋金额RMB500万元\r\n期限36个月';
    const t = bert.tokenize(text);
    const pieces = t.ids.map((_, i) => codePointSlice(text, t.starts[i], t.ends[i]));
    assert.deepEqual(
      pieces,
      ['借', '款', '😀', '𠀋', '金', '额', 'RMB500', '万', '元', '期', '限', '36', '个', '月'].flatMap((p) => (p === 'RMB500' ? ['RMB', '500'] : [p])),
    );
    assert.equal(t.ids[2], bert.special.unk);
    assert.equal(t.ids[3], bert.special.unk);
  });

  it('"😀𠀋": two [UNK] as in Python (the JS library alone makes one, not treating U+2000B as Chinese)', () => {
    const t = bert.encode('😀𠀋');
    assert.deepEqual(t, { ids: [101, 100, 100, 102], starts: [0, 0, 1, 0], ends: [0, 1, 2, 0] });
    const library = loadTokenizerFolder(BERT_DIR).tokenizer.encode('😀𠀋');
    assert.deepEqual(library.ids, [101, 100, 102], 'if the library now splits U+2000B, the workaround in bertPreTokenizer.ts can go');
  });

  it('an [UNK] covers its whole word; literal special tokens keep their id and span', () => {
    const t = bert.tokenize('x😀y [SEP]z');
    assert.deepEqual(t.ids.slice(0, 1), [100]);
    assert.deepEqual([t.starts[0], t.ends[0]], [0, 3]);
    assert.deepEqual([t.ids[1], t.starts[1], t.ends[1]], [102, 4, 9]);
  });
});

describe('tokenization: Qwen2 ids equal the Python fast tokenizer', () => {
  const qwen = loadTokenizerFolder(QWEN_DIR).tokenizer;
  const data = fixture<{ labelTokens: Record<string, number[]>; cases: { text: string; ids: number[] }[] }>('qwen2.json.gz');

  it(`agrees on every one of the ${data.cases.length} prompts and texts`, () => {
    const differing = data.cases.filter((c) => JSON.stringify(qwen.encode(c.text).ids) !== JSON.stringify(c.ids)).map((c) => c.text);
    assert.deepEqual(differing, []);
  });

  it('"0" and "1" are single tokens 15 and 16', () => {
    assert.deepEqual(data.labelTokens, { '0': [15], '1': [16] });
    assert.deepEqual(qwen.encode('0').ids, [15]);
    assert.deepEqual(qwen.encode('1').ids, [16]);
  });
});
