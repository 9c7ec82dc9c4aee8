/**
 * 还款期限 as data. The numbers go through chineseNumerals (nzh); the units (年, 个月, 季度, 天, 周, 期
 * with 按月/按季) and date ranges are FinLabel's own patterns: no npm package reads them.
 */
import type { Duration, NormalizedDateRange, NormalizedDuration, NotUnderstood } from '../../common/normalizedValue';
import { asciiDigits, chineseInteger, NUMERAL_CHARS } from './chineseNumerals';
import { findDates, inclusiveDays, wholeMonths } from './calendarDates';

const NUMBER = `(?<![\\d.])(\\d{1,3}(?:\\.\\d+)?|[${NUMERAL_CHARS}]+)`;
// 1年6个月, 一年零六个月, 3年, 一年半, 半年, 36个月, 2个季度, 90天, 2周
const DURATION = new RegExp(`${NUMBER}\\s*(?:个)?(年|个?月|季度?|天|日|周|星期)(半)?(?:(?:零|又)?${NUMBER}\\s*个?月)?|(半)年`, 'g');
const INSTALMENTS = new RegExp(`${NUMBER}\\s*期`);
const INSTALMENT_MONTHS: readonly [RegExp, number][] = [
  [/按月|每月|月供|每期[一1]个?月/, 1],
  [/按季|每季/, 3],
  [/按半年|每半年/, 6],
  [/按年|每年/, 12],
];

function numberOf(text: string): number | undefined {
  if (/^\d/.test(text)) return Number(text);
  return chineseInteger(text.replace(/^零(?=.)/, ''));
}

const UNIT_MONTHS: Record<string, number> = { 年: 12, 月: 1, 个月: 1, 季: 3, 季度: 3 };
const UNIT_DAYS: Record<string, number> = { 天: 1, 日: 1, 周: 7, 星期: 7 };

/** The durations a text states (dates already blanked out); undefined when a number in one is unreadable. */
function durations(text: string): Duration[] | undefined {
  const found: Duration[] = [];
  for (const m of text.matchAll(DURATION)) {
    if (m[5]) {
      found.push({ months: 6 });
      continue;
    }
    const n = numberOf(m[1]);
    const extra = m[4] ? numberOf(m[4]) : 0;
    if (n === undefined || extra === undefined) return undefined;
    const unit = m[2];
    if (unit in UNIT_DAYS) {
      if (!Number.isInteger(n) || m[3] || m[4]) return undefined;
      found.push({ days: n * UNIT_DAYS[unit] });
      continue;
    }
    const months = n * UNIT_MONTHS[unit] + (m[3] ? UNIT_MONTHS[unit] / 2 : 0) + (m[4] ? (unit === '年' ? extra : NaN) : 0);
    if (!Number.isInteger(months) || months <= 0) return undefined;
    found.push({ months });
  }
  return found;
}

const sameDuration = (a: Duration, b: Duration): boolean => a.months === b.months && a.days === b.days;

/** The one duration TEXT states, or why not. */
function statedDuration(text: string): Duration | NotUnderstood | undefined {
  const instalments = INSTALMENTS.exec(text);
  if (instalments) {
    const count = numberOf(instalments[1]);
    const per = INSTALMENT_MONTHS.find(([re]) => re.test(text));
    if (count === undefined || !Number.isInteger(count)) return { kind: 'notUnderstood', reason: 'the number of instalments is not a whole number' };
    if (!per) return { kind: 'notUnderstood', reason: `${count} instalments, but not how long each is (按月, 按季, ...)` };
    return { months: count * per[1] };
  }
  const found = durations(text);
  if (found === undefined) return { kind: 'notUnderstood', reason: 'a number in the term is not a well-formed number' };
  if (found.length === 0) return undefined;
  if (found.some((d) => !sameDuration(d, found[0]))) return { kind: 'notUnderstood', reason: 'states several different durations' };
  return found[0];
}

const isNotUnderstood = (v: unknown): v is NotUnderstood => (v as NotUnderstood | undefined)?.kind === 'notUnderstood';

/** 还款期限: a duration (months or days) or a date range with its length, or why it cannot be read. */
export function normalizePeriod(raw: string): NormalizedDuration | NormalizedDateRange | NotUnderstood {
  const text = asciiDigits(raw);
  const dates = findDates(text);
  if (dates === undefined) return { kind: 'notUnderstood', reason: 'a date that is not on the calendar' };
  let rest = text;
  for (const d of dates) rest = rest.slice(0, d.index) + ' '.repeat(d.length) + rest.slice(d.index + d.length);
  if (/\d{4}\s*年\s*\d{1,2}\s*月/.test(rest)) return { kind: 'notUnderstood', reason: 'a date without its day' };
  const stated = statedDuration(rest);
  if (isNotUnderstood(stated)) return stated;
  if (dates.length > 2) return { kind: 'notUnderstood', reason: `names ${dates.length} dates` };
  if (dates.length === 2) {
    const [start, end] = [dates[0].iso, dates[1].iso];
    if (end < start) return { kind: 'notUnderstood', reason: `the range ends (${end}) before it starts (${start})` };
    const months = wholeMonths(start, end);
    return { kind: 'dateRange', start, end, days: inclusiveDays(start, end), ...(months !== undefined ? { months } : {}), ...(stated ? { stated } : {}) };
  }
  if (dates.length === 1) {
    // 自2022年2月15日起 (a start); 至/到/止/到期/前 or a date alone: the due date.
    const before = text.slice(0, dates[0].index);
    const after = text.slice(dates[0].index + dates[0].length);
    const isStart = /[自从]\s*$/.test(before) && /^\s*起/.test(after) && !/[至到止]/.test(after);
    return { kind: 'dateRange', ...(isStart ? { start: dates[0].iso } : { end: dates[0].iso }), ...(stated ? { stated } : {}) };
  }
  if (!stated) return { kind: 'notUnderstood', reason: 'no duration or date in the span' };
  return { kind: 'duration', ...stated };
}
