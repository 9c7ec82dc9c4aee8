import type { CodePointText } from '../dataset/codePointText';
import type { OffsetUnit } from './types';

/** A code-point offset (0..length) of `text` counted in `unit`. */
export function toUnit(text: CodePointText, codePoint: number, unit: OffsetUnit): number {
  return unit === 'codepoint' ? codePoint : text.utf16Offset(codePoint);
}

/**
 * The code-point offset of `offset` counted in `unit`; undefined when it is outside the text or,
 * in UTF-16, falls between the two halves of a character outside the BMP.
 */
function fromUnit(text: CodePointText, offset: number, unit: OffsetUnit): number | undefined {
  if (unit === 'utf16') return text.codePointStartingAt(offset);
  return Number.isInteger(offset) && offset >= 0 && offset <= text.length ? offset : undefined;
}

/** Length of the text in `unit`. */
function lengthIn(text: CodePointText, unit: OffsetUnit): number {
  return unit === 'codepoint' ? text.length : text.text.length;
}

/** "code points" / "UTF-16 code units", for messages. */
export function unitName(unit: OffsetUnit): string {
  return unit === 'codepoint' ? 'code points' : 'UTF-16 code units';
}

/**
 * A span's offsets as the input wrote them, for messages: `[start, end)`, or `[start, end]` for a
 * format whose end is inclusive (CLUENER). Messages quote the file's own numbers, never converted ones.
 */
export interface WrittenSpan {
  start: unknown;
  end: unknown;
  inclusiveEnd?: boolean;
}

export function writtenSpanText(span: WrittenSpan): string {
  return `[${JSON.stringify(span.start)}, ${JSON.stringify(span.end)}${span.inclusiveEnd ? ']' : ')'}`;
}

/**
 * Why a span cannot be one of a text `length` long (counted in `unit`, the unit the span is written
 * in), or undefined: offsets that are not integers, a start after the end, an empty span, or a span
 * outside the text, in that order, so that each message names what is wrong first.
 */
export function spanProblem(span: WrittenSpan, length: number, unit: string): string | undefined {
  const { start, end } = span;
  if (!Number.isInteger(start) || !Number.isInteger(end)) return `offsets must be integers, got ${JSON.stringify(start)} and ${JSON.stringify(end)}`;
  const s = start as number;
  const exclusiveEnd = (end as number) + (span.inclusiveEnd ? 1 : 0);
  if (s > exclusiveEnd || (s === exclusiveEnd && span.inclusiveEnd)) return `span ${writtenSpanText(span)}: start ${s} is after end ${end as number}`;
  if (s === exclusiveEnd) return `span ${writtenSpanText(span)} is empty`;
  if (s < 0 || exclusiveEnd > length) return `span ${writtenSpanText(span)} is outside the text, which has ${length} ${unit}`;
  return undefined;
}

/**
 * A span given in `unit` as code points, or why it cannot be (spanProblem, or in UTF-16, splitting a
 * character outside the BMP). Messages quote the offsets as the input gave them.
 */
export function spanFromUnit(text: CodePointText, start: unknown, end: unknown, unit: OffsetUnit): { start: number; end: number } | { error: string } {
  const problem = spanProblem({ start, end }, lengthIn(text, unit), unitName(unit));
  if (problem) return { error: problem };
  const s = fromUnit(text, start as number, unit);
  const e = fromUnit(text, end as number, unit);
  if (s !== undefined && e !== undefined) return { start: s, end: e };
  return { error: `span [${start as number}, ${end as number}) in ${unitName(unit)} cuts a character outside the BMP in half` };
}
