import { countHits, type RecordEntry } from './recordEntry';
import { StringTrie } from './stringTrie';
import type { Tokenizes } from './tokenBoundaries';

/** What the dataset says of one labelled string. */
export interface StringStats {
  /** The type it is labelled with most often (the first labelled on a tie). */
  tag: string;
  /** How often it is labelled with that type (distinct spans). */
  labelled: number;
  /** How often it occurs in the dataset's texts on token boundaries (labelled or not; off-boundary labels count too). */
  occurrences: number;
  /** labelled / occurrences. */
  confidence: number;
  /** Every type it is labelled with, and how often, in the order first labelled. */
  byTag: ReadonlyMap<string, number>;
}

/** Per string, per type's tag: how many spans of the dataset are labelled so. */
export type LabelledStrings = Map<string, Map<string, number>>;

/** Adds a record's labels to the labelled strings (records in document order). */
export function addLabelled(labelled: LabelledStrings, entry: RecordEntry): void {
  for (const l of entry.labels) {
    let byTag = labelled.get(l.value);
    if (!byTag) labelled.set(l.value, (byTag = new Map()));
    byTag.set(l.tag, (byTag.get(l.tag) ?? 0) + 1);
  }
}

/** The labelled strings of a dataset's records, in document order. */
export function labelledStrings(entries: Iterable<RecordEntry>): LabelledStrings {
  const out: LabelledStrings = new Map();
  for (const entry of entries) addLabelled(out, entry);
  return out;
}

/** Per string: its occurrences in the dataset, as far as counted. */
export type Occurrences = Map<string, number>;

/** Adds a record's occurrences (counted for the table's trie) to the dataset's. */
export function addOccurrences(occurrences: Occurrences, entry: RecordEntry): void {
  if (!entry.hits) throw new Error('a record was not counted');
  for (const [value, n] of entry.hits) occurrences.set(value, (occurrences.get(value) ?? 0) + n);
  for (const [value, n] of entry.offBoundary) occurrences.set(value, (occurrences.get(value) ?? 0) + n);
}

/** Strings added or removed at most this many at a time make the next trie from the previous one. */
const TRIE_EDIT_LIMIT = 256;

/**
 * The trie of the labelled strings: the previous one when it holds the same strings (its counts stay
 * valid), else the previous one with the few strings added and removed, else a new one.
 */
export function trieOf(labelled: LabelledStrings, previous?: StringTrie): StringTrie {
  return editedTrie(labelled, previous) ?? new StringTrie(labelled.keys());
}

/** trieOf when it can reuse or edit the previous trie; undefined when a new one must be built. */
export function editedTrie(labelled: LabelledStrings, previous: StringTrie | undefined): StringTrie | undefined {
  if (!previous) return undefined;
  if (previous.holdsExactly(labelled)) return previous;
  const added: string[] = [];
  for (const s of labelled.keys()) if (!previous.strings.has(s) && added.push(s) > TRIE_EDIT_LIMIT) return undefined;
  const removed: string[] = [];
  for (const s of previous.strings) if (!labelled.has(s) && removed.push(s) > TRIE_EDIT_LIMIT) return undefined;
  return previous.with(added, removed);
}

/**
 * The string matcher's view of a whole dataset: which strings are labelled, with which type most often,
 * and how often each occurs on token boundaries. Built by buildStringMatchTable, or step by step (the
 * language server does it in slices): labelledStrings, trieOf, countHits for the records whose counts
 * are not for that trie, addOccurrences of every record, then new StringMatchTable.
 */
export class StringMatchTable {
  private readonly stats = new Map<string, StringStats>();

  /** `occurrences`: addOccurrences of every record, counted for `trie`. */
  constructor(
    readonly trie: StringTrie,
    private readonly labelled: LabelledStrings,
    private readonly occurrences: Occurrences,
  ) {}

  /** Labelled strings. */
  get size(): number {
    return this.labelled.size;
  }

  /** What the dataset says of a labelled string (undefined: not labelled); worked out when first asked. */
  statsOf(value: string): StringStats | undefined {
    const known = this.stats.get(value);
    if (known) return known;
    const byTag = this.labelled.get(value);
    if (!byTag) return undefined;
    let tag = '';
    let best = 0;
    for (const [t, n] of byTag) {
      if (n > best) {
        best = n;
        tag = t;
      }
    }
    const seen = Math.max(this.occurrences.get(value) ?? 0, best);
    const stats: StringStats = { tag, labelled: best, occurrences: seen, confidence: seen === 0 ? 0 : best / seen, byTag };
    this.stats.set(value, stats);
    return stats;
  }
}

/** The whole table at once (tests, benchmarks, the command line): records as their entries and texts. */
export function buildStringMatchTable(tokenizer: Tokenizes, records: readonly { entry: RecordEntry; text: string }[], previous?: StringTrie): StringMatchTable {
  const labelled = labelledStrings(records.map((r) => r.entry));
  const trie = trieOf(labelled, previous);
  const occurrences: Occurrences = new Map();
  for (const r of records) {
    if (r.entry.hitsOf !== trie) countHits(r.entry, r.text, trie, tokenizer);
    addOccurrences(occurrences, r.entry);
  }
  return new StringMatchTable(trie, labelled, occurrences);
}
