/**
 * 借款金额 as data. The numerals go through chineseNumerals (nzh); currencies, separators, 万/亿
 * multipliers, 元/角/分 and forms written twice are FinLabel's own patterns: no npm package reads
 * contract amounts with their units (nzh's money reader wants one clean 大写 string).
 */
import type { AmountForm, NormalizedAmount, NotUnderstood } from '../../common/normalizedValue';
import { codePointLength } from '../dataset/jsonStringMap';
import { asciiDigits, chineseInteger, isCapital, NUMERAL_CHARS } from './chineseNumerals';

const CURRENCIES: readonly [string, RegExp][] = [
  ['USD', /USD|US\$|美元|美金/i],
  ['EUR', /EUR|€|欧元/i],
  ['HKD', /HKD|HK\$|港币|港元/i],
  ['JPY', /JPY|日元/i],
  ['GBP', /GBP|£|英镑/i],
];

const MULTIPLIERS: Record<string, number> = { 千亿: 1e11, 百亿: 1e10, 十亿: 1e9, 亿: 1e8, 千万: 1e7, 百万: 1e6, 十万: 1e5, 万: 1e4, 千: 1e3, 百: 100 };

// 500万, 5,000,000.00, 1.2亿, 500千元; not a rate (4.35%), a date (2022年) or a count (36个月).
const DIGIT_FORM = /(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(?:(千亿|百亿|十亿|亿|千万|百万|十万|万|千|百)|(?![\d.,]))(?!\s*(?:[%年月个期天周号]|日(?!元)))/g;
const CHINESE_FORM = new RegExp(`[${NUMERAL_CHARS}]+(?:[元圆](?:([${NUMERAL_CHARS}])角)?(?:([${NUMERAL_CHARS}])分)?)?`, 'g');
const JIAO_FEN = new RegExp(`[元圆](?:[${NUMERAL_CHARS}]角)?(?:[${NUMERAL_CHARS}]分)?$`);

const round2 = (n: number): number => Math.round(n * 100) / 100;

function currencyOf(text: string): string | NotUnderstood {
  const found = CURRENCIES.filter(([, re]) => re.test(text)).map(([code]) => code);
  if (found.length > 1) return { kind: 'notUnderstood', reason: `names several currencies (${found.join(', ')})` };
  return found[0] ?? 'CNY';
}

/**
 * Every amount written in TEXT, with where (code points): digits (with separators, decimals and a
 * 万/亿 multiplier), 大写 or 小写 Chinese numerals with 元/角/分. A numeral run that is not a
 * well-formed number (a masked "x万", "五五") makes the text unreadable: undefined.
 */
export function amountForms(text: string): AmountForm[] | undefined {
  let t = asciiDigits(text);
  const forms: (AmountForm & { at: number })[] = [];
  const cp = (utf16: number): number => codePointLength(text.slice(0, utf16));
  for (const m of t.matchAll(DIGIT_FORM)) {
    const amount = Number(m[1].replace(/,/g, '') + (m[2] ?? '')) * (m[3] ? MULTIPLIERS[m[3]] : 1);
    const prev = forms[forms.length - 1];
    // 1亿2000万: one amount in two parts.
    if (prev && prev.notation === 'digits' && prev.end === cp(m.index) && prev.amount > amount) {
      prev.amount = round2(prev.amount + amount);
      prev.end = cp(m.index + m[0].length);
      continue;
    }
    forms.push({ notation: 'digits', amount: round2(amount), start: cp(m.index), end: cp(m.index + m[0].length), at: m.index });
  }
  // The digit forms' own 万/亿 must not read as Chinese numerals.
  t = t.replace(DIGIT_FORM, (s) => ' '.repeat(s.length));
  for (const m of t.matchAll(CHINESE_FORM)) {
    const run = m[0].replace(JIAO_FEN, '');
    const integer = chineseInteger(run);
    if (integer === undefined) return undefined;
    const jiao = m[1] ? chineseInteger(m[1]) : 0;
    const fen = m[2] ? chineseInteger(m[2]) : 0;
    if (jiao === undefined || fen === undefined) return undefined;
    forms.push({
      notation: isCapital(m[0]) ? 'capital' : 'chinese',
      amount: round2(integer + jiao / 10 + fen / 100),
      start: cp(m.index),
      end: cp(m.index + m[0].length),
      at: m.index,
    });
  }
  return forms.sort((a, b) => a.at - b.at).map(({ notation, amount, start, end }) => ({ notation, amount, start, end }));
}

const yuan = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** 借款金额: the amount in the currency's main unit (yuan), or why it cannot be read. */
export function normalizeAmount(text: string): NormalizedAmount | NotUnderstood {
  const currency = currencyOf(asciiDigits(text));
  if (typeof currency !== 'string') return currency;
  const forms = amountForms(text);
  if (forms === undefined) return { kind: 'notUnderstood', reason: 'a numeral that is not a well-formed number' };
  if (forms.length === 0) return { kind: 'notUnderstood', reason: 'no amount in the span' };
  const values = [...new Set(forms.map((f) => f.amount))];
  if (values.length > 1) {
    const notations = new Set(forms.map((f) => f.notation));
    const reason =
      forms.length === 2 && notations.size === 2
        ? `its two forms disagree (${forms.map((f) => `${f.notation === 'capital' ? '大写' : f.notation} ${yuan(f.amount)}`).join(' vs ')})`
        : `several amounts (${values.map(yuan).join(', ')})`;
    return { kind: 'notUnderstood', reason };
  }
  if (values[0] <= 0) return { kind: 'notUnderstood', reason: 'an amount of zero' };
  return { kind: 'amount', amount: values[0], currency, forms };
}
