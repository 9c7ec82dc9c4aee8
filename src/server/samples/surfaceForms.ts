/**
 * The surface forms of the three entity types: how one loan amount, one repayment period and one
 * guarantee type get written in real contracts. The same renderers also write the distractors (interest,
 * fees, registered capital, guarantee periods) so a model has to read context, not shapes.
 */
import type { Rng } from '../util/prng';
import { lowerChinese, plainDecimal, upperChinese, withThousands } from './numerals';

// ---- amounts ------------------------------------------------------------------------------------

export type AmountFamily = 'any' | 'upper' | 'numeric' | 'wan';

type AmountRenderer = (yuan: number) => string | undefined;

const wan = (yuan: number): number => yuan / 10000;

/** Each renderer returns undefined where the form does not suit the amount. */
const AMOUNT_FORMS: Record<Exclude<AmountFamily, 'any'>, readonly (readonly [AmountRenderer, number])[]> = {
  wan: [
    [(y) => `${plainDecimal(wan(y))}万元`, 5], // 500万元
    [(y) => (wan(y) >= 1000 && Number.isInteger(wan(y)) ? `${withThousands(wan(y))}万元` : undefined), 2], // 3,200万元
    [(y) => `${wan(y).toFixed(2)}万元`, 1], // 500.00万元
    [(y) => `人民币${plainDecimal(wan(y))}万元`, 2], // 人民币500万元
    [(y) => `RMB${plainDecimal(wan(y))}万元`, 1], // RMB500万元
    [(y) => (y >= 1e8 && y % 1e6 === 0 ? `${plainDecimal(y / 1e8)}亿元` : undefined), 2], // 1.2亿元
  ],
  upper: [
    [(y) => `人民币${upperChinese(y)}元整`, 4], // 人民币伍佰万元整
    [(y) => `${upperChinese(y)}元整`, 2], // 伍佰万元整
    [(y) => `${upperChinese(y)}元`, 2], // 壹仟万元
    [(y) => `人民币${upperChinese(y)}元`, 1],
  ],
  numeric: [
    [(y) => `¥${withThousands(y, 2)}`, 3], // ¥5,000,000.00
    [(y) => `￥${withThousands(y, 2)}元`, 1], // ￥5,000,000.00元
    [(y) => `人民币${withThousands(y, 2)}元`, 2], // 人民币5,000,000.00元
    [(y) => `${y}元`, 2], // 5000000元
    [(y) => `${withThousands(y)}元`, 1], // 5,000,000元
    [(y) => `CNY${withThousands(y, 2)}`, 1], // CNY5,000,000.00
  ],
};

/** One way of writing `yuan` (a whole number of yuan) drawn from the family. */
export function renderAmount(rng: Rng, yuan: number, family: AmountFamily = 'any'): string {
  const families: readonly Exclude<AmountFamily, 'any'>[] = family === 'any' ? ['wan', 'wan', 'wan', 'upper', 'numeric', 'numeric'] : [family];
  for (;;) {
    const forms = AMOUNT_FORMS[rng.pick(families)];
    const text = rng.weighted(forms)(yuan);
    if (text !== undefined) return text;
  }
}

/** A loan principal in yuan: round figures from 10万元 to 8亿元, mostly 100万-5000万, a few odd ones. */
export function drawLoanYuan(rng: Rng): number {
  const mantissa = rng.pick([1, 1.2, 1.5, 2, 2.5, 3, 3.2, 3.5, 4, 4.5, 5, 6, 6.5, 8]);
  const power = rng.weighted([[1, 1], [2, 4], [3, 4], [4, 1]] as const); // 10^power 万元
  let w = mantissa * 10 ** power;
  if (rng.chance(0.15)) w = Math.round(w * (0.8 + rng.float() * 0.4) * 10) / 10; // 1,283.5万元
  return Math.round(w * 10000);
}

/** A smaller amount related to the principal (interest, fee): a fraction of it, rounded to 100 yuan. */
export function fractionOf(rng: Rng, yuan: number, lo: number, hi: number): number {
  return Math.max(100, Math.round((yuan * (lo + rng.float() * (hi - lo))) / 100) * 100);
}

// ---- periods ------------------------------------------------------------------------------------

export interface CalendarDate { year: number; month: number; day: number }

export function addMonthsMinusOneDay(d: CalendarDate, months: number): CalendarDate {
  const t = new Date(Date.UTC(d.year, d.month - 1 + months, d.day - 1));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function formatDate(d: CalendarDate, style: 'cn' | 'iso' = 'cn'): string {
  if (style === 'iso') return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
  return `${d.year}年${d.month}月${d.day}日`;
}

export function drawDate(rng: Rng, fromYear: number, toYear: number): CalendarDate {
  const day = rng.chance(0.35) ? 1 : rng.int(1, 28);
  return { year: rng.int(fromYear, toYear), month: rng.int(1, 12), day };
}

/** A count of years or months in words: 2 reads 两 (两年, not 二年). */
const countWords = (n: number): string => (n === 2 ? '两' : lowerChinese(n));

/** A term in months, written as years, months, Chinese numerals or 大写. */
export function renderTerm(rng: Rng, months: number): string {
  const forms: [() => string, number][] = [
    [() => `${months}个月`, 4],
    [() => `${countWords(months)}个月`, 1],
  ];
  if (months % 12 === 0) {
    const y = months / 12;
    forms.push([() => `${y}年`, 5], [() => `${countWords(y)}年`, 3], [() => `${upperChinese(y)}年`, 2]);
  } else if (months % 12 === 6 && months > 12) {
    forms.push([() => `${countWords((months - 6) / 12)}年半`, 1]);
  }
  return rng.weighted(forms)();
}

/** The term as a date range: 自2024年1月1日起至2026年12月31日止. */
export function renderTermRange(rng: Rng, start: CalendarDate, months: number): string {
  const end = addMonthsMinusOneDay(start, months);
  if (rng.chance(0.1)) return `${formatDate(start, 'iso')}至${formatDate(end, 'iso')}`;
  const a = formatDate(start);
  const b = formatDate(end);
  return rng.weighted([[`自${a}起至${b}止`, 5], [`${a}至${b}`, 2], [`${a}起至${b}止`, 1]] as const);
}

export function drawTermMonths(rng: Rng): number {
  return rng.weighted([[6, 1], [12, 6], [18, 2], [24, 4], [30, 1], [36, 5], [48, 1], [60, 2], [84, 1], [120, 1]] as const);
}

// ---- guarantees ---------------------------------------------------------------------------------

/** Secured by property (mortgage) or rights (pledge). */
export const SECURED_TYPES = ['抵押', '质押', '最高额抵押', '最高额质押'] as const;
/** Secured by a guarantor's promise. */
export const PERSONAL_TYPES = ['保证', '连带责任保证', '一般保证', '最高额保证'] as const;
export type GuaranteeType = (typeof SECURED_TYPES)[number] | (typeof PERSONAL_TYPES)[number] | '信用';

export const isSecured = (g: GuaranteeType): boolean => (SECURED_TYPES as readonly string[]).includes(g);
export const isPersonal = (g: GuaranteeType): boolean => (PERSONAL_TYPES as readonly string[]).includes(g);
export const isPledge = (g: GuaranteeType): boolean => g.endsWith('质押');

/** One to three guarantee types of a loan; 信用 (unsecured) stands alone. */
export function drawGuarantees(rng: Rng, allowUnsecured = true): GuaranteeType[] {
  if (allowUnsecured && rng.chance(0.12)) return ['信用'];
  const shape = rng.weighted([['secured', 4], ['personal', 3], ['both', 3], ['both+', 1]] as const);
  const secured = rng.weighted([['抵押', 6], ['质押', 3], ['最高额抵押', 2], ['最高额质押', 1]] as const);
  const personal = rng.weighted([['保证', 3], ['连带责任保证', 6], ['一般保证', 1], ['最高额保证', 2]] as const);
  switch (shape) {
    case 'secured': return [secured];
    case 'personal': return [personal];
    case 'both': return rng.chance(0.7) ? [secured, personal] : [personal, secured];
    case 'both+': return [secured, isPledge(secured) ? '抵押' : '质押', personal];
  }
}

/** Joiners between several guarantee types in one phrase: 抵押加连带责任保证, 抵押、质押及保证. */
export const GUARANTEE_JOINERS = ['及', '加', '、', '+', '和'] as const;
