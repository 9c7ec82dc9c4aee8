/**
 * What a labelled or predicted span means as data: an amount, a duration, a date range or guarantee
 * modes, or a plain "not understood" with the reason. Made on the server (src/server/normalization),
 * shown by the hover, the annotation view, the Key Terms view, `finlabel predict --json` and exports.
 */

/** The guarantee modes a span can name, in their canonical Chinese names. */
export const GUARANTEE_MODES = ['保证', '一般保证', '连带责任保证', '最高额保证', '抵押', '最高额抵押', '质押', '最高额质押', '保证保险', '信用'] as const;
export type GuaranteeMode = (typeof GUARANTEE_MODES)[number];

/** How a span wrote its amount: in 大写 numerals, in digits, or in 小写 Chinese numerals (三千万). */
export type AmountNotation = 'capital' | 'digits' | 'chinese';

export interface AmountForm {
  notation: AmountNotation;
  amount: number;
  /** Code points of the form inside the span's text, end exclusive. */
  start: number;
  end: number;
}

export interface NormalizedAmount {
  kind: 'amount';
  /** In the currency's main unit (yuan for CNY), e.g. 4500000 for 人民币肆佰伍拾万元整. */
  amount: number;
  /** ISO 4217 code: CNY unless the span names another currency. */
  currency: string;
  /** Every way the span writes the amount (人民币捌万元整(80000元) has two). */
  forms: AmountForm[];
}

/** A length of time: whole months (年 = 12) or days (周 = 7); never both. */
export interface Duration {
  months?: number;
  days?: number;
}

export interface NormalizedDuration extends Duration {
  kind: 'duration';
}

export interface NormalizedDateRange {
  kind: 'dateRange';
  /** ISO dates (YYYY-MM-DD); a lone due date has only an end. */
  start?: string;
  end?: string;
  /** Calendar days from start to end, both counted. */
  days?: number;
  /** Whole months when the range runs exactly N months (to the day before, or to the same day). */
  months?: number;
  /** A duration the span also states (期限12个月, 自…起至…止). */
  stated?: Duration;
}

export interface NormalizedGuarantee {
  kind: 'guarantee';
  modes: GuaranteeMode[];
}

export interface NotUnderstood {
  kind: 'notUnderstood';
  reason: string;
}

export type NormalizedValue = NormalizedAmount | NormalizedDuration | NormalizedDateRange | NormalizedGuarantee | NotUnderstood;

const CURRENCY_SIGNS: Record<string, string> = { CNY: '¥', USD: 'US$', EUR: '€', HKD: 'HK$', JPY: 'JP¥', GBP: '£' };

function grouped(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** ISO 8601 duration: P36M, P90D. */
export function durationText(d: Duration): string {
  return d.months !== undefined ? `P${d.months}M` : d.days !== undefined ? `P${d.days}D` : '?';
}

const counted = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

function durationWords(d: Duration): string {
  return d.months !== undefined ? counted(d.months, 'month') : d.days !== undefined ? counted(d.days, 'day') : '?';
}

/** One line a person reads: "¥4,500,000 (CNY)", "36 months (P36M)", "2022-02-15 to 2023-02-14 (365 days, 12 months)". */
export function normalizedText(v: NormalizedValue): string {
  switch (v.kind) {
    case 'amount':
      return `${CURRENCY_SIGNS[v.currency] ?? ''}${grouped(v.amount)} (${v.currency})`;
    case 'duration':
      return `${durationWords(v)} (${durationText(v)})`;
    case 'dateRange': {
      const length = [v.days !== undefined ? counted(v.days, 'day') : '', v.months !== undefined ? counted(v.months, 'month') : ''].filter(Boolean).join(', ');
      const range = v.start ? `${v.start} to ${v.end ?? '?'}` : `due ${v.end ?? '?'}`;
      return length ? `${range} (${length})` : range;
    }
    case 'guarantee':
      return v.modes.join(' + ');
    case 'notUnderstood':
      return `not understood: ${v.reason}`;
  }
}

/** The figure a table cell or CSV column holds: the amount, the ISO duration or range, the modes. */
export function normalizedCell(v: NormalizedValue): string {
  switch (v.kind) {
    case 'amount':
      return `${v.amount} ${v.currency}`;
    case 'duration':
      return durationText(v);
    case 'dateRange':
      return `${v.start ?? '..'}/${v.end ?? '..'}`;
    case 'guarantee':
      return v.modes.join('+');
    case 'notUnderstood':
      return '?';
  }
}
