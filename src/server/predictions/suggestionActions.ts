import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver/node';
import {
  REJECT_SUGGESTIONS_COMMAND,
  SUGGESTIONS_ACCEPTED_COMMAND,
  type RejectSuggestionsArgs,
  type SuggestionDecoration,
  type SuggestionsAcceptedArgs,
} from '../../common/lspProtocol';
import type { LabelSchema, LabelType } from '../../common/labelSchema';
import { addLabelsEdit } from '../dataset/addLabels';
import type { JsonlDocumentModel } from '../dataset/documentModel';
import { addLabelEdit } from '../dataset/labelEdits';
import { touchesRange } from './predictionPlacement';

export const ACCEPT_SUGGESTION_TITLE = 'Accept suggestion';
export const REJECT_SUGGESTION_TITLE = 'Reject suggestion';
export const ACCEPT_ALL_SUGGESTIONS_TITLE = 'Accept all suggestions in this record';
export const REJECT_ALL_SUGGESTIONS_TITLE = 'Reject all suggestions in this record';

const describe = (s: SuggestionDecoration): string => `${s.entity} ${JSON.stringify(s.value)}`;

function reject(title: string, args: RejectSuggestionsArgs): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, command: { title, command: REJECT_SUGGESTIONS_COMMAND, arguments: [args] } };
}

/** Run by VS Code after an Accept action's edit: counts the accepts towards their sources' precision. */
function accepted(title: string, suggestions: readonly SuggestionDecoration[]): CodeAction['command'] {
  const args: SuggestionsAcceptedArgs = { sources: suggestions.map((s) => s.source) };
  return { title, command: SUGGESTIONS_ACCEPTED_COMMAND, arguments: [args] };
}

/**
 * Code actions on the suggestions under the cursor (`suggestions`: those of the line): Accept (one
 * undoable edit that writes the label, as any label edit; then a command counts the accept towards its
 * source's precision), Reject (the client remembers it; the file is not touched), and Accept all /
 * Reject all of the record.
 */
export function suggestionActions(
  model: JsonlDocumentModel,
  schema: LabelSchema,
  uri: string,
  range: Range,
  suggestions: readonly SuggestionDecoration[],
): CodeAction[] {
  const line = range.start.line;
  const under = suggestions.filter((s) => touchesRange(s.range, range.start, range.end));
  if (under.length === 0) return [];
  const lineText = model.line(line);
  const parsed = model.parsedLine(line);
  const typed = (s: SuggestionDecoration): (SuggestionDecoration & { type: LabelType }) | undefined => {
    const type = schema.resolve(s.tag) ?? schema.resolve(s.entity);
    return type ? { ...s, type } : undefined;
  };
  const actions: CodeAction[] = [];
  for (const s of under) {
    const t = typed(s);
    const added = t ? addLabelEdit(lineText, parsed, line, s, t.type) : undefined;
    const title = `${ACCEPT_SUGGESTION_TITLE}: ${describe(s)}`;
    if (added?.ok)
      actions.push({ title, kind: CodeActionKind.QuickFix, isPreferred: true, edit: { changes: { [uri]: [added.edit] } }, command: accepted(title, [s]) });
    actions.push(reject(`${REJECT_SUGGESTION_TITLE}: ${describe(s)}`, { keys: [s.key], sources: [s.source], description: describe(s), uri }));
  }
  const all = suggestions.flatMap((s) => typed(s) ?? []);
  const acceptAll = addLabelsEdit(lineText, line, all);
  const acceptAllTitle = `${ACCEPT_ALL_SUGGESTIONS_TITLE} (${all.length})`;
  if (all.length > 0 && acceptAll.ok)
    actions.push({
      title: acceptAllTitle,
      kind: CodeActionKind.QuickFix,
      edit: { changes: { [uri]: [acceptAll.edit] } },
      command: accepted(acceptAllTitle, all),
    });
  actions.push(
    reject(`${REJECT_ALL_SUGGESTIONS_TITLE} (${suggestions.length})`, {
      keys: suggestions.map((s) => s.key),
      sources: suggestions.map((s) => s.source),
      description: `${suggestions.length} suggestion${suggestions.length === 1 ? '' : 's'} of the record`,
      uri,
      all: true,
    }),
  );
  return actions;
}
