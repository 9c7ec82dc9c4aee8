import type { NormalizedAmount } from '../../common/normalizedValue';
import { codePointLength } from '../dataset/jsonStringMap';
import { normalizeAmount } from '../normalization/amount';
import { asciiDigits, isCapital, NUMERAL_CHARS } from '../normalization/chineseNumerals';

/** An amount a text states, wherever it is (code points), whether or not a span marks it. */
export interface StatedAmount {
  start: number;
  end: number;
  text: string;
  value: NormalizedAmount;
  capital: boolean;
}

// Money, not any number: digits with 元 (or after ¥/RMB/人民币), or Chinese numerals with 元.
const MONEY = new RegExp(
  [
    `(?:人民币|RMB|CNY|[¥￥])\\s*\\d[\\d,]*(?:\\.\\d+)?\\s*(?:[千百十]?[万亿])?\\s*元?`,
    `\\d[\\d,]*(?:\\.\\d+)?\\s*(?:[千百十]?[万亿])?\\s*(?:元|美元)`,
    `(?:人民币)?[${NUMERAL_CHARS}]+[元圆](?:[${NUMERAL_CHARS}]角)?(?:[${NUMERAL_CHARS}]分)?整?`,
  ].join('|'),
  'g',
);

/** Every amount TEXT states in money form, in order; forms that do not read as one amount are left out. */
export function statedAmounts(text: string): StatedAmount[] {
  const ascii = asciiDigits(text);
  const found: StatedAmount[] = [];
  for (const m of ascii.matchAll(MONEY)) {
    const raw = text.slice(m.index, m.index + m[0].length);
    const value = normalizeAmount(raw);
    if (value.kind !== 'amount') continue;
    const start = codePointLength(text.slice(0, m.index));
    found.push({ start, end: start + codePointLength(raw), text: raw, value, capital: isCapital(m[0]) });
  }
  return found;
}

/** The text between an amount and its other form in brackets: "（", "(小写：", "（大写:". */
const BRACKETED = /^\s*[(（]\s*(?:小写|大写)?\s*(?:金额)?\s*[:：]?\s*$/;

/** Pairs of one amount written twice, in 大写 and in digits, the second in brackets right after the first. */
export function amountPairs(text: string, amounts: readonly StatedAmount[]): [StatedAmount, StatedAmount][] {
  const chars = [...text];
  const pairs: [StatedAmount, StatedAmount][] = [];
  for (let i = 0; i + 1 < amounts.length; i++) {
    const [a, b] = [amounts[i], amounts[i + 1]];
    if (a.capital !== b.capital && BRACKETED.test(chars.slice(a.end, b.start).join(''))) pairs.push([a, b]);
  }
  return pairs;
}
