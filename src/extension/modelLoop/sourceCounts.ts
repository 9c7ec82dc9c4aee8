/**
 * The accept and reject counts of each suggestion source (pure logic, no vscode): what the hover's
 * "string match · 7 of 9 accepted in this workspace (78%)" is made of.
 */
import { SUGGESTION_SOURCES, type SuggestionSource, type SuggestionSourceCounts } from '../../common/lspProtocol';

export type SourceCounts = Record<SuggestionSource, SuggestionSourceCounts>;

/** Counts as stored (anything: an older or hand-edited workspace state), made whole and non-negative. */
export function sourceCountsOf(stored: unknown): SourceCounts {
  const out = {} as SourceCounts;
  const get = (source: string, field: string): number => {
    const value = (stored as Record<string, Record<string, unknown> | undefined> | undefined)?.[source]?.[field];
    return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;
  };
  for (const source of SUGGESTION_SOURCES) out[source] = { accepted: get(source, 'accepted'), rejected: get(source, 'rejected') };
  return out;
}

/**
 * Counts `by` (1: accepted or rejected, -1: a rejection undone) for each suggestion of `sources` (one
 * entry per suggestion; unknown sources are ignored); never below zero.
 */
export function countSources(counts: SourceCounts, field: keyof SuggestionSourceCounts, sources: readonly unknown[], by: 1 | -1 = 1): SourceCounts {
  const out = sourceCountsOf(counts);
  for (const source of sources) {
    if (!SUGGESTION_SOURCES.includes(source as SuggestionSource)) continue;
    const c = out[source as SuggestionSource];
    c[field] = Math.max(0, c[field] + by);
  }
  return out;
}
