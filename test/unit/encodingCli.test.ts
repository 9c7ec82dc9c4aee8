// Files that are not UTF-8: every command that reads a dataset (or a file to import) refuses it at its
// first bad byte, with the line and byte offset, writes nothing and leaves the input as it was.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/tinyEntityModel';
import { runFinlabel as run } from '../support/cliRun';

const record = (id: string, text: string, labels: unknown[] = []): string => JSON.stringify({ id, text, labels });
const LINE_1 = record('r1', '借款金额500万元,担保方式为抵押', [{ entity: '借款金额', value: '500万元', start: 4, end: 9 }]);
const LINE_2 = record('r2', '还款期限3年', [{ entity: '还款期限', value: '3年', start: 4, end: 6 }]);
const LINE_4 = record('r4', '担保方式为保证', [{ entity: '担保方式', value: '保证', start: 5, end: 7 }]);

/** Three records around a third line whose text has the raw bytes `bad` after 借款; and where they are. */
function datasetWithBadBytes(bad: number[]): { bytes: Buffer; offset: number } {
  const before = Buffer.from(`${LINE_1}\n${LINE_2}\n{"id":"r3","text":"借款`);
  const after = Buffer.from(`abc","labels":[]}\n${LINE_4}\n`);
  return { bytes: Buffer.concat([before, Buffer.from(bad), after]), offset: before.length };
}

/** The bytes of a file with `bad` inserted at the start of its third line. */
function withBadBytesInLine3(bytes: Buffer, bad: number[]): { bytes: Buffer; offset: number } {
  const offset = bytes.indexOf(0x0a, bytes.indexOf(0x0a) + 1) + 1;
  assert.ok(offset > 0 && offset < bytes.length, 'the file has a third line');
  return { bytes: Buffer.concat([bytes.subarray(0, offset), Buffer.from(bad), bytes.subarray(offset)]), offset };
}

const notUtf8 = (file: string, offset: number, byte: string): RegExp =>
  new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3: not valid UTF-8 at byte offset ${offset} \\(${byte}\\)`);

describe('files that are not UTF-8', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'finlabel-not-utf8-'));
  const bad = datasetWithBadBytes([0xff, 0xfe]);
  const dataset = join(dir, 'bad.jsonl');
  writeFileSync(dataset, bad.bytes);
  const good = join(dir, 'good.jsonl');
  writeFileSync(good, `${LINE_1}\n${LINE_2}\n${LINE_4}\n`);

  /** Runs the command and checks what the user sees: exit 2, the error with line 3 and the offset, the input untouched. */
  async function refuses(args: string[], file = dataset, offset = bad.offset): Promise<{ stdout: string; stderr: string }> {
    const before = readFileSync(file);
    const r = await run(args);
    assert.equal(r.code, 2, `exit 2 for finlabel ${args.join(' ')}:\n${r.stderr}`);
    assert.match(r.stderr, notUtf8(file, offset, '0xFF'));
    assert.match(r.stderr, /nothing was read or written/);
    assert.doesNotMatch(r.stdout + r.stderr, /\uFFFD/);
    assert.deepEqual(readFileSync(file), before, 'the input keeps its bytes');
    return r;
  }

  it('validate reports the first bad byte instead of "no problems"', async () => {
    const r = await refuses(['validate', dataset]);
    assert.match(r.stderr, /^finlabel validate: .*bad\.jsonl:3: not valid UTF-8 at byte offset \d+ \(0xFF\); fix or remove these bytes/m);
    assert.doesNotMatch(r.stderr, /no problems/);
    await refuses(['validate', dataset, '--json']);
  });

  it('stats, agreement and predict refuse it', async () => {
    await refuses(['stats', dataset]);
    await refuses(['stats', dataset, '--json']);
    await refuses(['agreement', good, dataset]);
    await refuses(['agreement', dataset, good]);
    await refuses(['agreement', dataset, '--annotators', 'a,b']);
    const model = join(repoRoot(), 'models', 'default-entities');
    await refuses(['predict', dataset, '--model', model]);
    const contract = join(dir, 'contract.txt');
    writeFileSync(contract, withBadBytesInLine3(Buffer.from('借款合同\n第一条\n借款金额500万元\n'), [0xff]).bytes);
    await refuses(['predict', contract, '--model', model], contract, Buffer.byteLength('借款合同\n第一条\n'));
  });

  it('export to every format writes no file', async () => {
    for (const format of ['bio', 'doccano', 'labelstudio', 'cluener']) {
      const out = join(dir, `export.${format}`);
      await refuses(['export', dataset, '--to', format, '-o', out]);
      assert.equal(existsSync(out), false, `no ${format} file`);
    }
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('.tmp')),
      [],
      'no temporary file left',
    );
  });

  it('import from every format writes no file', async () => {
    for (const format of ['bio', 'doccano', 'labelstudio', 'cluener']) {
      const exported = join(dir, `good.${format}`);
      const made = await run(['export', good, '--to', format, '-o', exported]);
      assert.equal(made.code, 0, made.stderr);
      const broken = withBadBytesInLine3(readFileSync(exported), [0xff]);
      const input = join(dir, `bad.${format}`);
      writeFileSync(input, broken.bytes);
      const out = join(dir, `imported-${format}.jsonl`);
      await refuses(['import', input, '--from', format, '-o', out], input, broken.offset);
      assert.equal(existsSync(out), false, `nothing imported from ${format}`);
    }
  });

  it('split writes no split file', async () => {
    const out = join(dir, 'split');
    await refuses(['split', dataset, '-o', out]);
    assert.ok(!existsSync(out) || readdirSync(out).length === 0, 'no split file');
  });

  it('train ner and eval refuse it before training or evaluating anything', async () => {
    const model = join(dir, 'model');
    await refuses(['train', 'ner', dataset, '--tiny', '--out', model]);
    assert.equal(existsSync(model), false, 'no model folder');
    const html = join(dir, 'report.html');
    await refuses(['eval', join(repoRoot(), 'models', 'default-entities'), dataset, '--html', html]);
    assert.equal(existsSync(html), false, 'no report');
  });

  it('names GBK when the file decodes as GB18030', async () => {
    // All in GBK (中 D6D0, 文 CEC4, 借 BDE8, 款 BFEE): line 3 is {"text":"借款","labels":[{"entity":"中文","value":"借款","start":0,"end":2}]}.
    const gbk = join(dir, 'gbk.jsonl');
    const [jie, kuan, zhong, wen] = [
      [0xbd, 0xe8],
      [0xbf, 0xee],
      [0xd6, 0xd0],
      [0xce, 0xc4],
    ].map((b) => Buffer.from(b));
    const ascii = (text: string): Buffer => Buffer.from(text, 'ascii');
    const before = ascii(`${record('r1', 'A')}\n${record('r2', 'B')}\n{"text":"`);
    writeFileSync(
      gbk,
      Buffer.concat([before, jie, kuan, ascii('","labels":[{"entity":"'), zhong, wen, ascii('","value":"'), jie, kuan, ascii('","start":0,"end":2}]}\n')]),
    );
    const r = await run(['validate', gbk]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, notUtf8(gbk, before.length, '0xBD'));
    assert.match(r.stderr, /the file looks like GBK \(it decodes as GB18030\): convert it to UTF-8 first, e\.g\. iconv -f GB18030 -t UTF-8/);
    assert.doesNotMatch(r.stderr + r.stdout, /unknown-entity|value-mismatch/);
    const exported = await run(['export', gbk, '--to', 'doccano', '-o', join(dir, 'gbk.doccano')]);
    assert.equal(exported.code, 2);
    assert.match(exported.stderr, /looks like GBK/);
  });

  it('names a raw surrogate (ED A0 80) instead of blaming the label', async () => {
    const surrogate = datasetWithBadBytes([0xed, 0xa0, 0x80]);
    const file = join(dir, 'surrogate.jsonl');
    writeFileSync(file, surrogate.bytes);
    const r = await run(['validate', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, notUtf8(file, surrogate.offset, '0xED'));
    assert.match(r.stderr, /UTF-16 surrogate/);
  });

  it('still reads UTF-8 with a byte order mark, and "\\ud800" escapes', async () => {
    const bom = join(dir, 'bom.jsonl');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${LINE_1}\n${LINE_2}\n${record('r3', '借款\ud800')}\n`)]));
    const validated = await run(['validate', bom]);
    assert.equal(validated.code, 0, validated.stderr + validated.stdout);
    assert.match(validated.stderr, /bom\.jsonl: no problems/);
    const stats = await run(['stats', bom, '--json']);
    assert.equal(stats.code, 0, stats.stderr);
    assert.equal((JSON.parse(stats.stdout) as { records: number }).records, 3);
    const out = join(dir, 'bom-split');
    mkdirSync(out);
    const split = await run(['split', bom, '-o', out, '--ratios', '0.5,0.5']);
    assert.equal(split.code, 0, split.stderr);
    const written = readdirSync(out)
      .map((f) => readFileSync(join(out, f), 'utf8'))
      .join('');
    assert.ok(written.includes(record('r3', '借款\ud800')), 'the escape is copied as written');
  });
});
