/**
 * Dates as loan contracts and judgments write them. Hand-written: the npm date libraries parse ISO and
 * locale formats, not 2022年2月15日 / 2013.12.14 / 2016年8月1 (日 left out) / 2006年8月底 / 二〇二二年…;
 * the calendar arithmetic is Date.UTC's (no time zones: a contract's date is a calendar day).
 */
import { chineseInteger } from './chineseNumerals';

/** A calendar date found in a text, with where it is (UTF-16 offsets of the ASCII-digit text). */
export interface FoundDate {
  iso: string;
  index: number;
  length: number;
}

// 2022年2月15日, 2013.12.14, 2022-02-15, 2022/2/15, 2016年8月1 (日 left out).
const DIGIT_DATE = /(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})(?!\d)\s*[日号]?/g;
// 2006年8月底: the month's last day.
const MONTH_END = /(\d{4})\s*年\s*(\d{1,2})\s*月底/g;
// 二〇二二年二月十五日
const CHINESE_DATE = /([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})[日号]/g;
const YEAR_DIGITS = '〇一二三四五六七八九';

function iso(year: number, month: number, day: number): string | undefined {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || year > 2200 || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return d.toISOString().slice(0, 10);
}

/** The dates of TEXT (ASCII digits already), in order; undefined when one of them is not a real date (2月30日). */
export function findDates(text: string): FoundDate[] | undefined {
  const found: FoundDate[] = [];
  for (const m of text.matchAll(DIGIT_DATE)) {
    const date = iso(Number(m[1]), Number(m[2]), Number(m[3]));
    if (!date) return undefined;
    found.push({ iso: date, index: m.index, length: m[0].length });
  }
  for (const m of text.matchAll(MONTH_END)) {
    const [year, month] = [Number(m[1]), Number(m[2])];
    const date = month >= 1 && month <= 12 ? iso(year, month, new Date(Date.UTC(year, month, 0)).getUTCDate()) : undefined;
    if (!date) return undefined;
    found.push({ iso: date, index: m.index, length: m[0].length });
  }
  for (const m of text.matchAll(CHINESE_DATE)) {
    const year = Number([...m[1]].map((c) => (c === '零' ? 0 : YEAR_DIGITS.indexOf(c))).join(''));
    const date = iso(year, chineseInteger(m[2]) ?? 0, chineseInteger(m[3]) ?? 0);
    if (!date) return undefined;
    found.push({ iso: date, index: m.index, length: m[0].length });
  }
  return found.sort((a, b) => a.index - b.index);
}

const DAY_MS = 86_400_000;
const toMs = (isoDate: string): number => Date.parse(`${isoDate}T00:00:00Z`);

/** Calendar days from START to END, both counted (2013-12-14 to 2013-12-31: 18). */
export function inclusiveDays(start: string, end: string): number {
  return Math.round((toMs(end) - toMs(start)) / DAY_MS) + 1;
}

/** START plus N months, the day clamped to the month's last (01-31 + 1 month = 02-28). */
function addMonths(start: string, n: number): string {
  const [y, m, d] = start.split('-').map(Number);
  const last = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + n, Math.min(d, last))).toISOString().slice(0, 10);
}

/**
 * N when START to END runs exactly N months: to the day before (2022-02-15 to 2023-02-14, the usual
 * 自…起至…止) or to the same day (2022-02-15 to 2023-02-15, as many contracts write it).
 */
export function wholeMonths(start: string, end: string): number | undefined {
  const [sy, sm] = start.split('-').map(Number);
  const [ey, em] = end.split('-').map(Number);
  const guess = (ey - sy) * 12 + (em - sm);
  for (const n of [guess, guess + 1]) {
    if (n <= 0) continue;
    const same = addMonths(start, n);
    if (same === end || inclusiveDays(end, same) === 2) return n;
  }
  return undefined;
}
