import type { OffsetUnit } from './types';

/**
 * One record's text as code points, with conversions to and from UTF-16 code units (what
 * JavaScript string indexes and doccano's offsets count). Built once per record: slicing by code
 * point through a string index would be quadratic on long texts.
 */
export class TextOffsets {
  readonly codePoints: readonly string[];
  /** utf16Start[i] = UTF-16 index where code point i begins; utf16Start[n] = text.length. */
  private utf16Start: Int32Array | undefined;

  constructor(readonly text: string) {
    this.codePoints = Array.from(text);
  }

  /** Number of code points (Python len()). */
  get length(): number {
    return this.codePoints.length;
  }

  /** text[start:end] in code points. */
  slice(start: number, end: number): string {
    return this.codePoints.slice(start, end).join('');
  }

  /** A code-point offset (0..length) in `unit`. */
  toUnit(codePoint: number, unit: OffsetUnit): number {
    return unit === 'codepoint' ? codePoint : this.starts()[codePoint];
  }

  /**
   * The code-point offset of `offset` counted in `unit`; undefined when it is outside the text or,
   * in UTF-16, falls between the two halves of a character outside the BMP.
   */
  fromUnit(offset: number, unit: OffsetUnit): number | undefined {
    if (!Number.isInteger(offset) || offset < 0) return undefined;
    if (unit === 'codepoint') return offset <= this.length ? offset : undefined;
    const starts = this.starts();
    let lo = 0;
    let hi = this.length;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] === offset) return mid;
      if (starts[mid] < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Length of the text in `unit`. */
  lengthIn(unit: OffsetUnit): number {
    return unit === 'codepoint' ? this.length : this.text.length;
  }

  private starts(): Int32Array {
    if (!this.utf16Start) {
      const starts = new Int32Array(this.codePoints.length + 1);
      let at = 0;
      this.codePoints.forEach((c, i) => {
        starts[i] = at;
        at += c.length;
      });
      starts[this.codePoints.length] = at;
      this.utf16Start = starts;
    }
    return this.utf16Start;
  }
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
export function spanFromUnit(text: TextOffsets, start: unknown, end: unknown, unit: OffsetUnit): { start: number; end: number } | { error: string } {
  const problem = spanProblem({ start, end }, text.lengthIn(unit), unitName(unit));
  if (problem) return { error: problem };
  const s = text.fromUnit(start as number, unit);
  const e = text.fromUnit(end as number, unit);
  if (s !== undefined && e !== undefined) return { start: s, end: e };
  return { error: `span [${start as number}, ${end as number}) in ${unitName(unit)} cuts a character outside the BMP in half` };
}
