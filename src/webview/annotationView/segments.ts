/**
 * Cuts a record's text into runs that the same set of spans cover, so overlapping spans can be drawn
 * without nesting. Offsets are Unicode code points (the dataset's unit), end exclusive; the runs
 * carry JavaScript (UTF-16) strings. Pure: no DOM.
 */

export interface SpanLike {
  start: number;
  end: number;
}

export interface Segment {
  /** Code-point offsets of the run. */
  start: number;
  end: number;
  text: string;
  /** Indexes (into the spans given) of the spans covering the run, by start then end. */
  covering: number[];
  /** Indexes of the spans that begin with this run. */
  opening: number[];
}

/** Indexes of the spans that can be drawn: integer offsets with 0 <= start < end <= length. */
export function drawableSpans(spans: readonly SpanLike[], length: number): number[] {
  const ok: number[] = [];
  spans.forEach((s, i) => {
    if (Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start < s.end && s.end <= length) ok.push(i);
  });
  return ok.sort((a, b) => spans[a].start - spans[b].start || spans[a].end - spans[b].end || a - b);
}

export function segmentText(text: string, spans: readonly SpanLike[]): Segment[] {
  const chars = Array.from(text);
  const drawable = drawableSpans(spans, chars.length);
  const cuts = new Set<number>([0, chars.length]);
  for (const i of drawable) {
    cuts.add(spans[i].start);
    cuts.add(spans[i].end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let p = 0; p + 1 < points.length; p++) {
    const start = points[p];
    const end = points[p + 1];
    const covering = drawable.filter((i) => spans[i].start <= start && spans[i].end >= end);
    const opening = covering.filter((i) => spans[i].start === start);
    segments.push({ start, end, text: chars.slice(start, end).join(''), covering, opening });
  }
  return segments;
}
