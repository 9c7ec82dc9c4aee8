// `finlabel extract`: the key terms of hand-written records (gold labels, reviewer checks, bad lines),
// of a sample contract (the shipped model's spans), and as CSV and XLSX tables.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { KeyTermsRow } from '../../src/common/keyTerms';
import { codePointSlice } from '../../src/server/dataset/jsonStringMap';
import { TERMS_COLUMNS } from '../../src/server/keyTerms/termsTable';
import { labelOn as label } from '../support/labelOn';
import { repoRoot } from '../support/tinyEntityModel';
import { runFinlabel } from '../support/cliRun';

const LOAN = '𠀋记商贸向本行借款人民币捌万元整（小写：¥8,000.00），借款期限12个月，自2022年2月15日起至2023年8月14日止，由张x3以房产提供抵押。';
const GUARANTEED = '借款本金500万元、利息20万元，还款期限3年，由乙公司提供连带责任保证，双方另行签订保证合同。';
const RECORDS = [
  {
    id: 'loan-1',
    text: LOAN,
    labels: [
      label(LOAN, '借款金额', '人民币捌万元整'),
      label(LOAN, '还款期限', '12个月'),
      label(LOAN, '还款期限', '自2022年2月15日起至2023年8月14日止'),
      label(LOAN, '担保方式', '抵押'),
    ],
  },
  {
    id: 'loan-2',
    text: GUARANTEED,
    labels: [label(GUARANTEED, 'LOAN_AMOUNT', '500万元'), label(GUARANTEED, '还款期限', '3年'), label(GUARANTEED, '担保方式', '连带责任保证')],
  },
];

/** The fields of one CSV line (quoted fields with "" inside). */
function csvFields(line: string): string[] {
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]));
}

describe('finlabel extract', function () {
  this.timeout(120_000);
  let dir: string;
  let dataset: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'finlabel-extract-'));
    dataset = join(dir, 'loans.jsonl');
    writeFileSync(dataset, `${RECORDS.map((r) => JSON.stringify(r)).join('\n')}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives each record its normalized amount, term and guarantee from the gold labels, with their sources', async () => {
    const r = await runFinlabel(['extract', dataset, '--no-model', '--json']);
    const { rows } = JSON.parse(r.stdout) as { rows: KeyTermsRow[] };
    assert.deepEqual(
      rows.map((row) => [row.line, row.id, row.amount?.value.kind === 'amount' && row.amount.value.amount, row.term?.value, row.guarantee.modes]),
      [
        [1, 'loan-1', 80_000, { kind: 'duration', months: 12 }, ['抵押']],
        [2, 'loan-2', 5_000_000, { kind: 'duration', months: 36 }, ['连带责任保证']],
      ],
    );
    assert.deepEqual(rows[0].amount?.source, { file: dataset, line: 1, start: 9, end: 16, text: '人民币捌万元整', origin: 'gold', confidence: null });
    assert.equal(codePointSlice(LOAN, 9, 16), '人民币捌万元整');
    assert.deepEqual(
      rows[0].otherTerms.map((t) => [t.value, t.source.text]),
      [[{ kind: 'dateRange', start: '2022-02-15', end: '2023-08-14', days: 546, months: 18 }, '自2022年2月15日起至2023年8月14日止']],
    );
    // The interest is another amount the text states; no span marks it.
    assert.deepEqual(
      rows[1].otherAmounts.map((a) => [a.source.text, a.source.origin, a.source.start, a.source.end]),
      [['20万元', 'text', 12, 16]],
    );
  });

  it('reports the reviewer checks with both places, and exits 1', async () => {
    const r = await runFinlabel(['extract', dataset, '--no-model', '--json']);
    assert.equal(r.code, 1);
    const { rows } = JSON.parse(r.stdout) as { rows: KeyTermsRow[] };
    assert.deepEqual(rows[1].checks, []);
    assert.deepEqual(
      rows[0].checks.map((c) => [c.code, c.places.map((p) => [p.start, p.end, p.text])]),
      [
        [
          'amount-forms-disagree',
          [
            [9, 16, '人民币捌万元整'],
            [20, 29, '¥8,000.00'],
          ],
        ],
        [
          'term-length-disagrees',
          [
            [35, 39, '12个月'],
            [40, 64, '自2022年2月15日起至2023年8月14日止'],
          ],
        ],
        ['guarantee-without-contract', [[74, 76, '抵押']]],
      ],
    );
    const text = await runFinlabel(['extract', dataset, '--no-model']);
    assert.match(
      text.stdout,
      /check amount-forms-disagree: 大写 "人民币捌万元整" is ¥80,000 \(CNY\) but the digits beside it "¥8,000\.00" are ¥8,000 \(CNY\)\n {4}at .*loans\.jsonl:1 \[9, 16\) "人民币捌万元整" \(text\)\n {4}at .*loans\.jsonl:1 \[20, 29\) "¥8,000\.00" \(text\)/,
    );
    assert.match(
      text.stdout,
      /check term-length-disagrees: the term "12个月" is P12M but "自2022年2月15日起至2023年8月14日止" runs 2022-02-15 to 2023-08-14 \(546 days, 18 months\)/,
    );
  });

  it('reads the sample dataset: one row per record, every gold term understood', async () => {
    const r = await runFinlabel(['extract', join(repoRoot(), 'samples', 'due_diligence.jsonl'), '--no-model', '--json']);
    const { rows } = JSON.parse(r.stdout) as { rows: KeyTermsRow[] };
    assert.equal(rows.length, 300);
    const summary = (row: KeyTermsRow): unknown[] => [
      row.id,
      row.amount?.source.text,
      row.amount?.value.kind === 'amount' && row.amount.value.amount,
      row.term?.value,
      row.guarantee.modes,
    ];
    assert.deepEqual(rows.slice(0, 3).map(summary), [
      ['dd-0001', '15000.00万元', 150_000_000, { kind: 'duration', months: 12 }, ['信用']],
      ['dd-0002', '伍佰万元整', 5_000_000, { kind: 'duration', months: 60 }, ['最高额保证']],
      [
        'dd-0003',
        '肆佰万元整',
        4_000_000,
        { kind: 'dateRange', start: '2022-09-17', end: '2025-09-16', days: 1096, months: 36 },
        ['最高额质押', '连带责任保证'],
      ],
    ]);
    const gold = rows
      .flatMap((row) => [row.amount, ...row.otherAmounts, row.term, ...row.otherTerms, ...row.guarantee.sources])
      .filter((t) => t?.source.origin === 'gold');
    assert.ok(gold.length > 1000);
    assert.deepEqual(
      gold.filter((t) => t!.value.kind === 'notUnderstood').map((t) => t!.source.text),
      [],
    );
  });

  it('reads a sample contract with the shipped model: its loan amount, term and guarantee, predicted with confidence', async () => {
    const contract = join(repoRoot(), 'samples', 'contracts', '流动资金借款合同.txt');
    const r = await runFinlabel(['extract', contract, '--model', join(repoRoot(), 'models', 'default-entities'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const [row] = (JSON.parse(r.stdout) as { rows: KeyTermsRow[] }).rows;
    assert.equal(row.line, null);
    assert.deepEqual(
      [row.amount?.value.kind === 'amount' && row.amount.value.amount, row.amount?.source.text, row.amount?.source.origin],
      [4_500_000, '4500000元', 'predicted'],
    );
    assert.ok(row.amount!.source.confidence! >= 0.412);
    assert.deepEqual(row.term?.value, { kind: 'dateRange', start: '2023-07-12', end: '2025-07-11', days: 731, months: 24 });
    assert.deepEqual(row.guarantee.modes, ['连带责任保证']);
    const text = readFileSync(contract, 'utf8');
    for (const t of [row.amount!, row.term!, ...row.guarantee.sources, ...row.otherAmounts])
      assert.equal(codePointSlice(text, t.source.start, t.source.end), t.source.text);
    // The 大写 form beside the amount is that amount again, not another one.
    assert.ok(!row.otherAmounts.some((a) => a.source.text.includes('肆佰伍拾万')));
  });

  it('writes the rows as CSV and as XLSX, with the same columns', async () => {
    const csv = join(dir, 'terms.csv');
    const xlsx = join(dir, 'terms.xlsx');
    assert.equal((await runFinlabel(['extract', dataset, '--no-model', '-o', csv])).code, 1);
    const written = await runFinlabel(['extract', dataset, '--no-model', '-o', xlsx]);
    assert.match(written.stdout, /terms\.xlsx: 2 rows, 3 checks to review/);
    const lines = readFileSync(csv, 'utf8').split('\r\n');
    assert.equal(lines[0], `\uFEFF${TERMS_COLUMNS.join(',')}`);
    const cells = (line: string): Record<string, string> => Object.fromEntries(csvFields(line).map((v, i) => [TERMS_COLUMNS[i], v]));
    const second = cells(lines[2]);
    assert.deepEqual(
      [second.id, second.loan_amount, second.currency, second.amount_text, second.term, second.term_months, second.guarantee_modes, second.guarantee_origin],
      ['loan-2', '5000000', 'CNY', '500万元', 'P36M', '36', '连带责任保证', 'gold'],
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const sheet = book.getWorksheet('Key terms')!;
    assert.deepEqual((sheet.getRow(1).values as unknown[]).slice(1), [...TERMS_COLUMNS]);
    const row = (n: number, column: string): unknown => sheet.getRow(n).getCell(TERMS_COLUMNS.indexOf(column as (typeof TERMS_COLUMNS)[number]) + 1).value;
    assert.deepEqual(
      [row(2, 'loan_amount'), row(2, 'amount_start'), row(2, 'term'), row(3, 'loan_amount'), row(3, 'guarantee_modes')],
      [80_000, 9, 'P12M', 5_000_000, '连带责任保证'],
    );
    assert.match(String(row(2, 'checks')), /大写 "人民币捌万元整" is ¥80,000/);
  });

  it('names the file and line of what it cannot read, reads the rest, and refuses what it cannot do', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(
      bad,
      `${JSON.stringify(RECORDS[1])}\n{"id": "x", "text": \n${JSON.stringify({ text: '借款100万元', labels: [{ entity: '借款金额', value: '100万元', start: 2, end: 99 }] })}\n`,
    );
    const r = await runFinlabel(['extract', bad, '--no-model', '--json']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.jsonl:2: not a dataset record; skipped/);
    assert.match(r.stderr, /bad\.jsonl:3: .*; the label is not used/);
    assert.deepEqual(
      (JSON.parse(r.stdout) as { rows: KeyTermsRow[] }).rows.map((row) => [row.line, row.amount?.source.text ?? null]),
      [
        [1, '500万元'],
        [3, null],
      ],
    );
    assert.equal((await runFinlabel(['extract', dataset, '-o', join(dir, 'terms.txt')])).code, 2);
    const missing = await runFinlabel(['extract', join(dir, 'nope.jsonl')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*nope\.jsonl: ENOENT/);
  });
});
