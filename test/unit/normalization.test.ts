import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizedText, type NormalizedValue } from '../../src/common/normalizedValue';
import { amountForms } from '../../src/server/normalization/amount';
import { normalizeSpan } from '../../src/server/normalization/normalizeSpan';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'normalization');

/** The fixture's compact notation of a value (see the header of each .tsv). */
function compact(v: NormalizedValue | undefined): string {
  if (!v) return 'none';
  const duration = (d: { months?: number; days?: number }): string => (d.months !== undefined ? `P${d.months}M` : `P${d.days}D`);
  switch (v.kind) {
    case 'amount':
      return `${v.amount} ${v.currency}`;
    case 'duration':
      return duration(v);
    case 'dateRange':
      return [
        `${v.start ?? '..'}/${v.end ?? '..'}`,
        v.days !== undefined ? `${v.days}D` : '',
        v.months !== undefined ? `P${v.months}M` : '',
        v.stated ? `stated ${duration(v.stated)}` : '',
      ]
        .filter(Boolean)
        .join(' ');
    case 'guarantee':
      return v.modes.join('+');
    case 'notUnderstood':
      return '?';
  }
}

function table(file: string): [string, string][] {
  return readFileSync(join(FIXTURES, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split('\t') as [string, string]);
}

const TABLES: [string, string][] = [
  ['amounts.tsv', 'LOAN_AMOUNT'],
  ['periods.tsv', 'REPAY_PERIOD'],
  ['guarantees.tsv', 'GUARANTEE_TYPE'],
];

describe('normalized values: the hand-written forms table (test/fixtures/normalization)', () => {
  it('holds at least 300 forms, each once', () => {
    const forms = TABLES.flatMap(([file, tag]) => table(file).map(([text]) => `${tag} ${text}`));
    assert.ok(forms.length >= 300, `${forms.length} forms`);
    assert.equal(new Set(forms).size, forms.length);
  });

  for (const [file, tag] of TABLES) {
    it(`reads every form of ${file} as the table says`, () => {
      const wrong = table(file)
        .map(([text, expected]) => ({ text, expected, got: compact(normalizeSpan(tag, text)) }))
        .filter((r) => r.got !== r.expected);
      assert.deepEqual(wrong, []);
    });
  }

  it('says why a form is not understood, in words a reviewer reads', () => {
    assert.equal(
      normalizedText(normalizeSpan('LOAN_AMOUNT', '人民币捌万元整（8000元）')!),
      'not understood: its two forms disagree (大写 80,000 vs digits 8,000)',
    );
    assert.equal(normalizedText(normalizeSpan('REPAY_PERIOD', '36期')!), 'not understood: 36 instalments, but not how long each is (按月, 按季, ...)');
    assert.equal(normalizedText(normalizeSpan('GUARANTEE_TYPE', '担保')!), 'not understood: names no guarantee mode');
  });

  it('shows each kind of value in one line', () => {
    assert.equal(normalizedText(normalizeSpan('LOAN_AMOUNT', '人民币肆佰伍拾万元整')!), '¥4,500,000 (CNY)');
    assert.equal(normalizedText(normalizeSpan('LOAN_AMOUNT', 'USD 200万')!), 'US$2,000,000 (USD)');
    assert.equal(normalizedText(normalizeSpan('REPAY_PERIOD', '一年半')!), '18 months (P18M)');
    assert.equal(normalizedText(normalizeSpan('REPAY_PERIOD', '90天')!), '90 days (P90D)');
    assert.equal(normalizedText(normalizeSpan('REPAY_PERIOD', '自2022年2月15日起至2023年2月14日止')!), '2022-02-15 to 2023-02-14 (365 days, 12 months)');
    assert.equal(normalizedText(normalizeSpan('REPAY_PERIOD', '2016年8月1止')!), 'due 2016-08-01');
    assert.equal(normalizedText(normalizeSpan('GUARANTEE_TYPE', '抵(质)押')!), '抵押 + 质押');
  });

  it('places each form of an amount at its code points, after characters outside the BMP', () => {
    assert.deepEqual(amountForms('𠀋人民币捌万元整(80000元)'), [
      { notation: 'capital', amount: 80000, start: 4, end: 7 },
      { notation: 'digits', amount: 80000, start: 9, end: 14 },
    ]);
  });

  it("gives no value to a type of the team's own", () => {
    assert.equal(normalizeSpan('COMPANY', '重庆银行'), undefined);
  });
});
