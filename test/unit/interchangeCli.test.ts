import { runFinlabel as run } from '../support/cliRun';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatasetRecord } from '../../src/common/dataset';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');
const TEXT = '😀借款金额𠀋500万元\r\n担保方式为抵押';
const RECORDS: DatasetRecord[] = [
  {
    id: 'a',
    text: TEXT,
    labels: [
      { entity: '借款金额', value: '𠀋500万元', start: 5, end: 11 },
      { entity: '担保方式', value: '抵押', start: 18, end: 20 },
    ],
    meta: { k: 1 },
  },
  {
    id: 'b',
    text: '还款期限3年',
    labels: [
      { entity: '还款期限', value: '3年', start: 4, end: 6 },
      { entity: '还款期限', value: '期限3年', start: 2, end: 6 },
    ],
  },
];
const jsonl = (records: readonly unknown[]): string => records.map((r) => `${JSON.stringify(r)}\n`).join('');

describe('finlabel export / import', () => {
  let dir: string;
  let dataset: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'finlabel-interchange-'));
    dataset = join(dir, 'data.jsonl');
    writeFileSync(dataset, jsonl(RECORDS.slice(0, 1)));
  });

  it('are listed in --help', async () => {
    const r = await run(['--help']);
    assert.match(r.stdout, /export +convert a dataset JSONL/);
    assert.match(r.stdout, /import +convert a BIO, doccano/);
  });

  for (const format of ['bio', 'doccano', 'labelstudio', 'cluener']) {
    it(`${format}: export then import gives the dataset back byte for byte, exit 0`, async () => {
      const out = join(dir, `out.${format}`);
      const back = join(dir, 'back.jsonl');
      const exported = await run(['export', dataset, '--to', format, '-o', out]);
      assert.equal(exported.code, 0, exported.stderr);
      assert.equal(exported.stdout, '');
      assert.equal(exported.stderr.replace(/^label schema: .*\n/m, ''), `finlabel export: wrote 1 record (2 labels) to ${out}\n`);
      const imported = await run(['import', out, '--from', format, '-o', back]);
      assert.equal(imported.code, 0, imported.stderr);
      assert.equal(readFileSync(back, 'utf8'), readFileSync(dataset, 'utf8'));
    });
  }

  it('export to BIO reports an overlapping span as FILE:LINE: CODE: [id] message, writes the rest and exits 1', async () => {
    writeFileSync(dataset, jsonl(RECORDS));
    const out = join(dir, 'out.bio');
    const r = await run(['export', dataset, '--to', 'bio', '-o', out]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      `${dataset}:2: overlapping-label: [b] label 1 REPAY_PERIOD "3年" [4, 6) overlaps label 2 REPAY_PERIOD "期限3年" [2, 6); BIO cannot tag overlapping spans, not exported\n`,
    );
    assert.match(r.stderr, /wrote 2 records \(3 labels\) to .*out\.bio; 1 report above/);
    const bio = readFileSync(out, 'utf8');
    assert.ok(bio.includes('# id = "b"\n还\tO\n款\tO\n期\tB-REPAY_PERIOD\n限\tI-REPAY_PERIOD\n3\tI-REPAY_PERIOD\n年\tI-REPAY_PERIOD\n'), bio);
    assert.ok(bio.includes('\\r\tO\n\\n\tO\n'), 'the \\r\\n of the text is escaped');
  });

  it('--json prints each report as {"line","id","code","message"}', async () => {
    writeFileSync(dataset, `${jsonl(RECORDS)}{oops\n`);
    const r = await run(['export', dataset, '--to', 'bio', '-o', join(dir, 'out.bio'), '--json']);
    assert.equal(r.code, 1);
    const reports = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      reports.map((p) => [p.line, p.id, p.code]),
      [
        [2, 'b', 'overlapping-label'],
        [3, undefined, 'unreadable-record'],
      ],
    );
  });

  it('import names entity types as asked: display name by default, --entity tag or as-is', async () => {
    const bio = join(dir, 'in.bio');
    writeFileSync(bio, '借\tB-LOAN_AMOUNT\n款\tI-LOAN_AMOUNT\n人\tB-PERSON\n');
    const out = join(dir, 'out.jsonl');
    const byName = await run(['import', bio, '--from', 'bio', '-o', out]);
    assert.equal(byName.code, 1, 'PERSON is not in the schema');
    assert.match(byName.stdout, /in\.bio:1: unknown-entity: entity type "PERSON" is not in the label schema/);
    assert.deepEqual(
      (JSON.parse(readFileSync(out, 'utf8')) as DatasetRecord).labels!.map((l) => l.entity),
      ['借款金额', 'PERSON'],
    );
    assert.equal((await run(['import', bio, '--from', 'bio', '-o', out, '--entity', 'tag'])).code, 1);
    assert.deepEqual(
      (JSON.parse(readFileSync(out, 'utf8')) as DatasetRecord).labels!.map((l) => l.entity),
      ['LOAN_AMOUNT', 'PERSON'],
    );
    assert.equal((await run(['import', bio, '--from', 'bio', '-o', out, '--entity', 'as-is'])).code, 0);
  });

  it('imports CLUENER2020 lines (test/fixtures/cluener) with inclusive ends', async () => {
    const out = join(dir, 'cluener.jsonl');
    const source = join(FIXTURES, 'cluener', 'dev-head.json');
    const r = await run(['import', source, '--from', 'cluener', '-o', out, '--entity', 'as-is']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const records = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as DatasetRecord);
    const original = readFileSync(source, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string });
    assert.equal(records.length, original.length);
    assert.deepEqual(records[0], {
      text: original[0].text,
      labels: [
        { entity: 'name', value: '彭小军', start: 0, end: 3 },
        { entity: 'address', value: '台湾', start: 15, end: 17 },
      ],
    });
    for (const record of records) {
      for (const l of record.labels!) assert.equal(Array.from(record.text).slice(l.start, l.end).join(''), l.value);
    }
  });

  it('refuses to write over its input, however the path is spelled, and leaves it untouched', async () => {
    const before = readFileSync(dataset, 'utf8');
    mkdirSync(join(dir, 'sub'));
    symlinkSync(dataset, join(dir, 'link.jsonl'));
    for (const out of [dataset, join(dir, 'sub', '..', 'data.jsonl'), join(dir, 'link.jsonl')]) {
      const r = await run(['import', dataset, '--from', 'doccano', '-o', out]);
      assert.equal(r.code, 2, out);
      assert.match(r.stderr, /refusing to write the output over the input file .*data\.jsonl/);
    }
    assert.equal(readFileSync(dataset, 'utf8'), before);
  });

  it('writes nothing, not even a temporary file, when the input cannot be read as the format', async () => {
    const input = join(dir, 'tasks.json');
    writeFileSync(input, '[\n{"data": {"text": "a"}},\n{"data": \n');
    const out = join(dir, 'out.jsonl');
    writeFileSync(out, 'previous content\n');
    const r = await run(['import', input, '--from', 'labelstudio', '-o', out]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /tasks\.json:4: unreadable-record: not a JSON document: unexpected end of JSON input; nothing converted/);
    assert.match(r.stderr, /could not be read as labelstudio; nothing written/);
    assert.equal(readFileSync(out, 'utf8'), 'previous content\n');
    assert.deepEqual(readdirSync(dir).sort(), ['data.jsonl', 'out.jsonl', 'tasks.json']);
  });

  it("reports import problems in the input's own terms: the whole character where a line is not JSON, CLUENER's inclusive [start, end], a start after the end", async () => {
    const input = join(dir, 'in.cluener.json');
    const lines = [
      '😀 {"text": "借款500万元"}',
      JSON.stringify({ id: 'c1', text: '借款500万元', label: { LOAN_AMOUNT: { '500万元': [[6, 100]], 借款: [[1, 0]] } } }),
      '{"text": "𠀋", 😀}',
    ];
    writeFileSync(input, `${lines.join('\n')}\n`);
    const r = await run(['import', input, '--from', 'cluener', '-o', join(dir, 'out.jsonl')]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stdout,
      [
        `${input}:1: unreadable-record: malformed JSON: unexpected character "😀" (U+1F600) at column 1; skipped`,
        `${input}:2: invalid-label: [c1] label.LOAN_AMOUNT["500万元"][0] "LOAN_AMOUNT": span [6, 100] is outside the text, which has 7 characters; not imported`,
        `${input}:2: invalid-label: [c1] label.LOAN_AMOUNT["借款"][0] "LOAN_AMOUNT": span [1, 0]: start 1 is after end 0; not imported`,
        `${input}:3: unreadable-record: malformed JSON: expected double-quoted property name at column 15, found "😀" (U+1F600); skipped`,
        '',
      ].join('\n'),
    );
  });

  it('reports a Label Studio span whose start is after its end as such, and "annotations" that is not a list, by task and line', async () => {
    const input = join(dir, 'tasks.json');
    const tasks = [
      { id: 1, data: { text: '借款500万元' }, annotations: [{ result: [{ type: 'labels', value: { start: 60, end: 11, labels: ['LOAN_AMOUNT'] } }] }] },
      { id: 2, data: { text: '抵押' }, annotations: { result: [{ type: 'labels', value: { start: 0, end: 2, labels: ['GUARANTEE_TYPE'] } }] } },
    ];
    writeFileSync(input, `[\n${tasks.map((t) => JSON.stringify(t)).join(',\n')}\n]\n`);
    const out = join(dir, 'out.jsonl');
    const r = await run(['import', input, '--from', 'labelstudio', '-o', out]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stdout,
      [
        `${input}:2: invalid-label: [1] task 1 result 1 ["LOAN_AMOUNT"]: span [60, 11): start 60 is after end 11 (read as code points); not imported`,
        `${input}:3: invalid-label: [2] task 2: "annotations" is an object, not a list of annotations; no labels imported`,
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as DatasetRecord).labels),
      [[], []],
    );
  });

  it('says which file it cannot read or write and exits 2', async () => {
    const missing = await run(['export', join(dir, 'missing.jsonl'), '--to', 'bio', '-o', join(dir, 'x.bio')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*missing\.jsonl: ENOENT/);
    const unwritable = await run(['export', dataset, '--to', 'bio', '-o', join(dir, 'no-such-folder', 'x.bio')]);
    assert.equal(unwritable.code, 2);
    assert.match(unwritable.stderr, /cannot write .*no-such-folder.*x\.bio: ENOENT/);
    assert.ok(!existsSync(join(dir, 'x.bio')));
  });

  it('rejects bad usage with the usage text and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['export', dataset, '-o', 'x'], /--to FORMAT is required/],
      [['export', dataset, '--to', 'conll', '-o', 'x'], /unknown format "conll"/],
      [['import', dataset, '--from', 'bio'], /-o OUT is required/],
      [['import', dataset, '--to', 'bio', '-o', 'x'], /Unknown option '--to'/],
      [['export', dataset, '--to', 'bio', '-o', 'x', '--entity', 'label'], /--entity must be name, tag, as-is/],
      [['export', dataset, '--to', 'doccano', '-o', 'x', '--offsets', 'bytes'], /--offsets must be codepoint or utf16/],
      [['export', '--to', 'bio', '-o', 'x'], /expected exactly one input FILE/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
      assert.match(r.stderr, new RegExp(`Usage: finlabel ${args[0]}`));
    }
  });
});
