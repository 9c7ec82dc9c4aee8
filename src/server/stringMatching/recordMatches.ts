import type { StringMatchTable } from './stringMatchTable';
import { boundsOf, type RecordEntry } from './recordEntry';
import { unitCodePoints, type Tokenizes } from './tokenBoundaries';

/** A string-match suggestion in one record: code points of its text, end exclusive. */
export interface StringMatch {
  start: number;
  end: number;
  value: string;
  /** The type the string is labelled with most often in the dataset. */
  tag: string;
  /** labelled / occurrences. */
  confidence: number;
  /** How often the string is labelled with that type, and how often it occurs, in the dataset. */
  labelled: number;
  occurrences: number;
}

/**
 * The string matches of one record: each labelled string of the dataset wherever it occurs in the
 * record's text on token boundaries (`entry`'s, tokenized with `tokenizer`), except where it would overlap a gold label of the
 * record (`gold`, code points). Matches may overlap each other; merging the suggestions settles that.
 */
export function recordMatches(
  table: StringMatchTable,
  text: string,
  entry: RecordEntry,
  tokenizer: Tokenizes,
  gold: readonly { start: number; end: number }[],
): StringMatch[] {
  if (table.size === 0 || !table.trie.occursIn(text)) return [];
  const found: { start: number; end: number; value: string }[] = [];
  table.trie.walk(text, boundsOf(entry, tokenizer, text), (start, end, value) => found.push({ start, end, value }));
  if (found.length === 0) return [];
  const cps = unitCodePoints(text);
  const out: StringMatch[] = [];
  for (const f of found) {
    const stats = table.statsOf(f.value);
    if (!stats) continue;
    const start = cps[f.start];
    const end = cps[f.end];
    if (gold.some((g) => start < g.end && g.start < end)) continue;
    out.push({ start, end, value: f.value, tag: stats.tag, confidence: stats.confidence, labelled: stats.labelled, occurrences: stats.occurrences });
  }
  return out;
}
