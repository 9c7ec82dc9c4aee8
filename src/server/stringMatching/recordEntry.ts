import { codePointUnits, TOKEN_END, TOKEN_START, tokenBoundaries, type Tokenizes } from './tokenBoundaries';
import { StringTrie } from './stringTrie';

/** A gold label as string matching reads it: code points of the record's text, and its type's tag. */
export interface TaggedSpan {
  start: number;
  end: number;
  tag: string;
}

/** A labelled span of a record: UTF-16 offsets of its text, the string it covers, its type's tag. */
export interface LabelledSpan {
  start: number;
  end: number;
  value: string;
  tag: string;
}

/**
 * What string matching keeps of one record (not its text): where its tokens start and end, the
 * strings its labels cover, and once counted, how often each labelled string of the dataset occurs in it.
 */
export interface RecordEntry {
  /**
   * tokenBoundaries of the record's text, once needed: a record is tokenized only when it has labels or
   * some labelled string occurs in its text at all (boundaries aside).
   */
  bounds: Uint8Array | undefined;
  /** Its labels, one per span and type. */
  readonly labels: readonly LabelledSpan[];
  /**
   * Per string, the record's labelled positions that do not lie on token boundaries: a walk never finds
   * them, yet they are occurrences of the string (so the confidence never exceeds 1).
   */
  readonly offBoundary: ReadonlyMap<string, number>;
  /** Occurrences on token boundaries, per string of the trie `hitsOf` (set by countHits). */
  hits?: Map<string, number>;
  hitsOf?: StringTrie;
}

const NO_LABELS: ReadonlyMap<string, number> = new Map();

/** Reads a record's labels (code points; tokenizes its text when it has any). */
export function recordEntry(tokenizer: Tokenizes, text: string, labels: readonly TaggedSpan[]): RecordEntry {
  if (labels.length === 0) return { bounds: undefined, labels: [], offBoundary: NO_LABELS };
  const bounds = tokenBoundaries(tokenizer, text);
  const units = codePointUnits(text);
  const spans: LabelledSpan[] = [];
  const seen = new Set<string>();
  const offPositions = new Map<string, Set<string>>();
  for (const l of labels) {
    if (!(l.start >= 0 && l.start < l.end && l.end < units.length)) continue;
    const start = units[l.start];
    const end = units[l.end];
    const id = `${start}:${end}:${l.tag}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const value = text.slice(start, end);
    spans.push({ start, end, value, tag: l.tag });
    if ((bounds[start] & TOKEN_START) === 0 || (bounds[end] & TOKEN_END) === 0) {
      let positions = offPositions.get(value);
      if (!positions) offPositions.set(value, (positions = new Set()));
      positions.add(`${start}:${end}`);
    }
  }
  const offBoundary = new Map<string, number>();
  for (const [value, positions] of offPositions) offBoundary.set(value, positions.size);
  return { bounds, labels: spans, offBoundary };
}

/** The record's token boundaries, tokenizing its text (`text`) the first time. */
export function boundsOf(entry: RecordEntry, tokenizer: Tokenizes, text: string): Uint8Array {
  entry.bounds ??= tokenBoundaries(tokenizer, text);
  return entry.bounds;
}

const NO_HITS: ReadonlyMap<string, number> = new Map();

/**
 * Counts the occurrences on token boundaries of the trie's strings in the record (its text: `text`).
 * A text where no string of the trie occurs at all is not tokenized.
 */
export function countHits(entry: RecordEntry, text: string, trie: StringTrie, tokenizer: Tokenizes): void {
  entry.hitsOf = trie;
  if (!entry.bounds && !trie.occursIn(text)) {
    entry.hits = NO_HITS as Map<string, number>;
    return;
  }
  const hits = new Map<string, number>();
  trie.walk(text, boundsOf(entry, tokenizer, text), (_start, _end, value) => hits.set(value, (hits.get(value) ?? 0) + 1));
  entry.hits = hits;
}

/** How the strings of a trie differ from those of an earlier one: what counting from one to the other needs. */
export interface TrieDelta {
  /** The strings added, as a trie of their own. */
  readonly added: StringTrie;
  readonly removed: readonly string[];
}

export function trieDelta(from: StringTrie, to: StringTrie): TrieDelta {
  return { added: new StringTrie([...to.strings].filter((s) => !from.strings.has(s))), removed: [...from.strings].filter((s) => !to.strings.has(s)) };
}

/**
 * Brings a record's counts from the trie they are for to `trie`, `delta` being the difference: drops
 * the removed strings and counts only the added ones. `superset`, when given, is a string that holds
 * the record's text unchanged (its JSON line, when the line has no escapes): where none of the added
 * strings occurs in it, the text is not read (`text()` decodes it), nor tokenized. The counts are
 * copied only when they change (an earlier table may share them). Returns whether it read the text.
 */
export function recountHits(entry: RecordEntry, delta: TrieDelta, trie: StringTrie, text: () => string, tokenizer: Tokenizes, superset?: string): boolean {
  let hits = entry.hits ?? new Map<string, number>();
  let copied = false;
  const own = (): Map<string, number> => {
    if (!copied) {
      hits = new Map(hits);
      copied = true;
    }
    return hits;
  };
  for (const s of delta.removed) if (hits.has(s)) own().delete(s);
  let read = false;
  if (delta.added.size > 0 && (superset === undefined || delta.added.occursIn(superset))) {
    const t = text();
    read = true;
    if (entry.bounds || delta.added.occursIn(t))
      delta.added.walk(t, boundsOf(entry, tokenizer, t), (_start, _end, value) => own().set(value, (hits.get(value) ?? 0) + 1));
  }
  entry.hits = hits;
  entry.hitsOf = trie;
  return read;
}
