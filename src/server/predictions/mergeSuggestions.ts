import { SUGGESTION_SOURCES, type SuggestionView } from '../../common/lspProtocol';

/** A missing confidence ranks below every number. */
const rank = (s: SuggestionView): number => s.confidence ?? -1;

/**
 * Merges the suggestions of every source for one record into what the record shows: at most one
 * suggestion per span, and none overlapping another. Where sources disagree (the same span with
 * another type, or spans that overlap) the more confident suggestion wins; on equal confidence the
 * source listed first in SUGGESTION_SOURCES (the model), then the longer span, then the earlier one.
 * The same span and type from two sources is one suggestion, the more confident one's. In start order.
 */
export function mergeSuggestions(candidates: readonly SuggestionView[]): SuggestionView[] {
  const order = [...candidates].sort(
    (a, b) =>
      rank(b) - rank(a) ||
      SUGGESTION_SOURCES.indexOf(a.source) - SUGGESTION_SOURCES.indexOf(b.source) ||
      b.end - b.start - (a.end - a.start) ||
      a.start - b.start ||
      a.tag.localeCompare(b.tag),
  );
  const kept: SuggestionView[] = [];
  for (const s of order) if (!kept.some((k) => s.start < k.end && k.start < s.end)) kept.push(s);
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}
