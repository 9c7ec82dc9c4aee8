import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgreementReport, DatasetStats } from '../../src/common/datasetReports';
import { LabelSchema } from '../../src/common/labelSchema';
import type { DatasetRecord } from '../../src/common/dataset';
import { datasetStats } from '../../src/server/analysis/stats';
import { JsonlDocumentModel } from '../../src/server/dataset/documentModel';
import { MAX_JSON_DEPTH, readJson, tooDeepAt } from '../../src/server/dataset/jsonDepth';
import { recordView } from '../../src/server/dataset/recordView';
import { placeSpans } from '../../src/server/dataset/spanPlacement';
import { codeActions } from '../../src/server/lsp/codeActions';
import { toDiagnostics } from '../../src/server/lsp/diagnostics';
import { runFinlabel as run } from '../support/cliRun';

/** A JSON object nested `depth` levels deep in all (the object itself is level 1), 12 KB at 6,000. */
function nested(depth: number, head = '{"id":"deep","text":"a","x":'): string {
  return `${head}${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
}

/** Where the level past the limit opens in a line made by nested() (1-based column). */
const deepColumn = (head = '{"id":"deep","text":"a","x":'): number => head.length + MAX_JSON_DEPTH;

const good = [
  JSON.stringify({ id: 'r1', text: '借款金额500万元', labels: [{ entity: '借款金额', value: '500万元', start: 4, end: 9 }] }),
  JSON.stringify({ id: 'r3', text: '😀担保方式为抵押', labels: [{ entity: '担保方式', value: '抵押', start: 6, end: 8 }] }),
  // A problem of its own after the deep line: still found.
  JSON.stringify({ id: 'r4', text: '还款期限3年', labels: [{ entity: '还款期限', value: '5年', start: 4, end: 6 }] }),
];
/** Line 2 is 6,000 levels deep (past where JSON.parse and structuredClone overflow the stack, about 3,000); lines 1, 3 and 4 are records. */
const lines = [good[0], nested(6000), good[1], good[2]];
const content = `${lines.join('\n')}\n`;
const tooDeep = new RegExp(`nested more than ${MAX_JSON_DEPTH} levels deep \\(level ${MAX_JSON_DEPTH + 1} opens at column ${deepColumn()}\\)`);

describe('a JSON value nested too deep (jsonDepth)', () => {
  it(`reads ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1}, saying where the extra level opens`, () => {
    assert.equal(readJson(nested(MAX_JSON_DEPTH)).ok, true);
    const refused = readJson(nested(MAX_JSON_DEPTH + 1));
    assert.equal(refused.ok, false);
    assert.ok(!refused.ok && refused.tooDeep);
    assert.match(refused.message, tooDeep);
  });

  it('does not count brackets inside strings, escaped quotes and backslashes included', () => {
    const brackets = '['.repeat(2 * MAX_JSON_DEPTH);
    assert.equal(tooDeepAt(JSON.stringify({ text: brackets, note: `\\"${brackets}` })), undefined);
    assert.deepEqual(readJson(JSON.stringify({ text: brackets })), { ok: true, value: { text: brackets } });
    // A string ending in an escaped backslash is closed: what follows counts.
    const head = '{"text":"a\\\\","x":';
    assert.equal(tooDeepAt(nested(MAX_JSON_DEPTH + 1, head)), deepColumn(head) - 1);
    assert.equal(tooDeepAt(nested(MAX_JSON_DEPTH, head)), undefined);
  });

  it('reports malformed JSON as malformed, not as too deep', () => {
    const reading = readJson('{"text": ');
    assert.ok(!reading.ok && !reading.tooDeep);
  });
});

describe('finlabel commands on a file with one line nested 6,000 levels deep', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finlabel-deep-'));
  const dataset = join(dir, 'deep.jsonl');
  writeFileSync(dataset, content);

  /** Runs the command and checks that the input file kept every byte. */
  async function runOn(file: string, args: string[]): Promise<Awaited<ReturnType<typeof run>>> {
    const before = readFileSync(file);
    const r = await run(args);
    assert.deepEqual(readFileSync(file), before, 'the input file is unchanged');
    return r;
  }

  it('validate: that line is one problem with its line number; the others are validated', async () => {
    const r = await runOn(dataset, ['validate', dataset, '--json']);
    assert.equal(r.code, 1, r.stderr);
    const problems = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; code: string; message: string });
    assert.deepEqual(
      problems.map((p) => [p.line, p.code]),
      [
        [2, 'nested-too-deep'],
        [4, 'value-mismatch'],
      ],
    );
    assert.match(problems[0].message, tooDeep);
    const text = await run(['validate', dataset]);
    assert.match(text.stdout, new RegExp(`deep\\.jsonl:2: nested-too-deep: ${tooDeep.source}`));
  });

  it('stats: counts the other records and lists line 2 as not a record', async () => {
    const r = await runOn(dataset, ['stats', dataset, '--json']);
    assert.equal(r.code, 1, r.stderr);
    const stats = JSON.parse(r.stdout) as DatasetStats;
    assert.deepEqual([stats.records, stats.labels, stats.rejectedLines], [3, 3, [2]]);
    assert.deepEqual(stats.problems.find((p) => p.code === 'nested-too-deep')?.lines, [2]);
  });

  it('export: writes the other records and reports line 2', async () => {
    const out = join(dir, 'deep.doccano.jsonl');
    const r = await runOn(dataset, ['export', dataset, '--to', 'doccano', '-o', out]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, new RegExp(`deep\\.jsonl:2: unreadable-record: .*${tooDeep.source}`));
    const written = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    assert.deepEqual(written, ['r1', 'r3', 'r4']);
  });

  it('split: refuses naming line 2 and writes nothing, as for any line that is not a record', async () => {
    const out = join(dir, 'split-refused');
    const r = await runOn(dataset, ['split', dataset, '--ratios', '0.5,0.5', '-o', out]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`deep\\.jsonl:2: nested-too-deep: ${tooDeep.source}`));
    assert.match(r.stderr, /1 line is not a record \(line 2\)/);
    assert.equal(existsSync(out) && readdirSync(out).length > 0, false);
  });

  it(`split: a record ${MAX_JSON_DEPTH} levels deep is split with the others, every line byte for byte`, async () => {
    const file = join(dir, 'at-limit.jsonl');
    const atLimit = [good[0], nested(MAX_JSON_DEPTH), good[1]];
    writeFileSync(file, `${atLimit.join('\r\n')}\r\n`);
    const out = join(dir, 'split-at-limit');
    const r = await runOn(file, ['split', file, '--ratios', '0.5,0.5', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    const written = ['train', 'test'].flatMap((name) =>
      readFileSync(join(out, `${name}.jsonl`), 'utf8')
        .split('\r\n')
        .filter((l) => l !== ''),
    );
    assert.deepEqual([...written].sort(), [...atLimit].sort());
  });

  it('agreement: compares the other records and says line 2 was left out', async () => {
    const r = await runOn(dataset, ['agreement', dataset, dataset, '--json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as AgreementReport;
    assert.equal(report.matchedRecords, 3);
    assert.ok(
      report.problems.some((p) => /deep\.jsonl:2: nested-too-deep/.test(p)),
      report.problems.join('\n'),
    );
  });

  describe('import', () => {
    const deepArray = nested(6000, '').slice(0, -1);
    const inputs: { format: string; file: string; text: string; line: number; records: number }[] = [
      {
        format: 'doccano',
        file: 'in.doccano.jsonl',
        text: [
          JSON.stringify({ id: 1, text: '借款金额500万元', label: [[4, 9, '借款金额']] }),
          `{"id":2,"text":"a","x":${deepArray}}`,
          JSON.stringify({ id: 3, text: '借款5万元', label: [] }),
        ].join('\n'),
        line: 2,
        records: 2,
      },
      {
        format: 'cluener',
        file: 'in.cluener.jsonl',
        text: [`{"text":"a","label":${deepArray}}`, JSON.stringify({ text: '借款金额500万元', label: { 借款金额: { '500万元': [[4, 8]] } } })].join('\n'),
        line: 1,
        records: 1,
      },
      {
        format: 'labelstudio',
        file: 'in.labelstudio.json',
        text: `[\n${JSON.stringify({ data: { text: '借款金额500万元' }, annotations: [] })},\n{"data":{"text":"a"},"meta":${deepArray}},\n${JSON.stringify({ data: { text: 'b' } })}\n]\n`,
        line: 3,
        records: 2,
      },
      {
        format: 'bio',
        file: 'in.bio',
        text: `# id = 1\n借\tB-借款金额\n款\tI-借款金额\n\n# id = 2\n# x = ${deepArray}\n借\tO\n\n# id = 3\n好\tO\n`,
        line: 6,
        records: 2,
      },
    ];
    for (const input of inputs) {
      it(`--from ${input.format}: reports line ${input.line} and imports the other records`, async () => {
        const file = join(dir, input.file);
        writeFileSync(file, input.text);
        const out = join(dir, `${input.file}.out.jsonl`);
        const r = await runOn(file, ['import', file, '--from', input.format, '-o', out]);
        assert.equal(r.code, 1, r.stderr);
        assert.match(
          r.stdout,
          new RegExp(`${input.file.replace(/\./g, '\\.')}:${input.line}: unreadable-record: .*nested more than ${MAX_JSON_DEPTH} levels deep`),
        );
        assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, input.records);
      });
    }
  });
});

describe('the language server on a document with one line nested 6,000 levels deep', () => {
  const schema = new LabelSchema();
  const model = new JsonlDocumentModel(schema);
  model.update(content);

  it('puts one diagnostic on that line; the other lines keep theirs and their spans', () => {
    const diagnostics = toDiagnostics(model);
    assert.deepEqual(
      diagnostics.map((d) => [d.range.start.line, d.code]),
      [
        [1, 'nested-too-deep'],
        [3, 'value-mismatch'],
      ],
    );
    assert.match(String(diagnostics[0].message), tooDeep);
    assert.deepEqual(
      placeSpans(model).map((s) => [s.range.start.line, s.value]),
      [
        [0, '500万元'],
        [2, '抵押'],
        [3, '3年'],
      ],
    );
  });

  it('answers recordView for every line, the deep one as a record with its problem', () => {
    const views = [0, 1, 2, 3].map((index) => recordView(model, schema, { uri: 'file:///deep.jsonl', version: 1, index }));
    assert.deepEqual(
      views.map((v) => v?.text),
      ['借款金额500万元', null, '😀担保方式为抵押', '还款期限3年'],
    );
    assert.match(views[1]?.problems[0] ?? '', tooDeep);
  });

  it('offers code actions on the other lines and none on the deep one', () => {
    const diagnostics = toDiagnostics(model);
    const on = (line: number, character: number) =>
      codeActions(
        model,
        schema,
        'file:///deep.jsonl',
        { start: { line, character }, end: { line, character } },
        diagnostics.filter((d) => d.range.start.line === line),
      );
    const fixes = on(3, 0).filter((a) => a.diagnostics?.[0]?.code === 'value-mismatch');
    assert.ok(fixes.length > 0, 'a quick fix for the value mismatch after the deep line');
    assert.ok(
      on(0, lines[0].indexOf('500')).some((a) => a.title.startsWith('Remove label 1 借款金额')),
      'the label under the cursor',
    );
    assert.deepEqual(on(1, deepColumn()), []);
  });

  it('gives the dataset statistics of the open document', () => {
    const stats = datasetStats(content, 'deep.jsonl', schema);
    assert.deepEqual([stats.records, stats.rejectedLines], [3, [2]]);
    const records = content
      .split('\n')
      .filter((l, i) => i !== 1 && l !== '')
      .map((l) => JSON.parse(l) as DatasetRecord);
    assert.equal(
      stats.labels,
      records.reduce((n, r) => n + (r.labels?.length ?? 0), 0),
    );
  });
});
