import { SUGGESTION_SOURCE_NAMES, type SuggestionDecoration, type SuggestionSource, type SuggestionSourceCounts } from '../../common/lspProtocol';

export type SourceStats = Partial<Record<SuggestionSource, SuggestionSourceCounts>>;

/**
 * A source and its precision in this workspace, from the annotator's accepts and rejects of its
 * suggestions: "string match · 7 of 9 accepted in this workspace (78%)".
 */
export function sourcePrecisionText(source: SuggestionSource, counts: SuggestionSourceCounts | undefined): string {
  const name = SUGGESTION_SOURCE_NAMES[source];
  const accepted = counts?.accepted ?? 0;
  const decided = accepted + (counts?.rejected ?? 0);
  if (decided === 0) return `${name} · none accepted or rejected in this workspace yet`;
  return `${name} · ${accepted} of ${decided} accepted in this workspace (${Math.round((100 * accepted) / decided)}%)`;
}

const code = (s: string): string => `\`${s.replace(/`/g, 'ˋ')}\``;

/** Hover text of the suggestions under the cursor: type, value, confidence, source and its precision, and why it suggests it. */
export function suggestionHoverMarkdown(suggestions: readonly SuggestionDecoration[], stats: SourceStats): string {
  return suggestions
    .map((s) => {
      const confidence = s.confidence === null ? '' : ` · confidence ${(s.confidence * 100).toFixed(0)}%`;
      const lines = [`**Suggestion: ${s.entity}** \`${s.tag}\` ${code(s.value)}${confidence}`, '', sourcePrecisionText(s.source, stats[s.source])];
      if (s.basis) lines.push('', s.basis);
      lines.push('', 'Accept or reject it with Ctrl+. (or in the annotation view)');
      return lines.join('\n');
    })
    .join('\n\n---\n\n');
}
