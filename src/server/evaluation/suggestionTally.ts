/**
 * What suggestions did for an annotator, record by record: a suggestion that is exactly a gold span
 * (type and both offsets) is accepted and saves work; any other is rejected and adds work. Counted
 * per record, then over windows of the records in labelling order (the simulated-annotator benchmark's
 * curve: bench/simulatedAnnotator.ts).
 */

/** A span by its code-point offsets and its type's tag. */
export interface TaggedSpan {
  start: number;
  end: number;
  tag: string;
}

export interface RecordSuggestionCount {
  gold: number;
  suggested: number;
  /** Suggestions that are exactly a gold span (each gold span counted once). */
  exact: number;
  /** Suggestions that are not. */
  wrong: number;
}

export function countRecordSuggestions(suggested: readonly TaggedSpan[], gold: readonly TaggedSpan[]): RecordSuggestionCount {
  const key = (s: TaggedSpan): string => `${s.start}:${s.end}:${s.tag}`;
  const goldKeys = new Set(gold.map(key));
  const hit = new Set<string>();
  for (const s of suggested) if (goldKeys.has(key(s))) hit.add(key(s));
  return { gold: goldKeys.size, suggested: suggested.length, exact: hit.size, wrong: suggested.length - hit.size };
}

export interface SuggestionWindow {
  /** Records [from, to) in labelling order (0-based). */
  from: number;
  to: number;
  records: number;
  gold: number;
  exact: number;
  wrong: number;
  /** exact / gold: the share of the annotator's spans that were suggested exactly (null without gold spans). */
  exactShare: number | null;
  /** wrong / records. */
  wrongPerRecord: number | null;
}

/** Sums the counts of records [from, to). */
export function windowOf(counts: readonly RecordSuggestionCount[], from: number, to: number): SuggestionWindow {
  const part = counts.slice(from, Math.min(to, counts.length));
  const gold = part.reduce((n, c) => n + c.gold, 0);
  const exact = part.reduce((n, c) => n + c.exact, 0);
  const wrong = part.reduce((n, c) => n + c.wrong, 0);
  return {
    from,
    to: from + part.length,
    records: part.length,
    gold,
    exact,
    wrong,
    exactShare: gold === 0 ? null : exact / gold,
    wrongPerRecord: part.length === 0 ? null : wrong / part.length,
  };
}

/** Windows between consecutive `bounds` (e.g. 25, 50, 100, 200, 400), from 0 and up to the last record. */
export function suggestionCurve(counts: readonly RecordSuggestionCount[], bounds: readonly number[]): SuggestionWindow[] {
  const edges = [0, ...bounds.filter((b) => b > 0 && b < counts.length), counts.length];
  const out: SuggestionWindow[] = [];
  for (let i = 0; i + 1 < edges.length; i++) if (edges[i + 1] > edges[i]) out.push(windowOf(counts, edges[i], edges[i + 1]));
  return out;
}
