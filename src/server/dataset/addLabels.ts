import type { LabelEditResult, TextEdit } from '../../common/lspProtocol';
import type { LabelType } from '../../common/labelSchema';
import { lineEdit } from './recordRewrite';
import { parseJsonlLine } from './jsonlLine';
import { addLabelEdit } from './labelEdits';

/** Applies an edit of line `line` (a single-line range) to the line's text. */
function applyToLine(lineText: string, edit: TextEdit): string {
  return lineText.slice(0, edit.range.start.character) + edit.newText + lineText.slice(edit.range.end.character);
}

/**
 * Adds several labels to one record as ONE edit of its line (so one undo takes them all back): each is
 * added like a single label (in start order, in the line's style) to the line as it becomes, then the
 * whole change is turned into one minimal edit. Refused as a whole when any of them cannot be added.
 */
export function addLabelsEdit(lineText: string, line: number, spans: readonly { start: number; end: number; type: LabelType }[]): LabelEditResult {
  let text = lineText;
  for (const span of spans) {
    const result = addLabelEdit(text, parseJsonlLine(text), line, span, span.type);
    if (!result.ok) return result;
    text = applyToLine(text, result.edit);
  }
  const what = spans.map((s) => s.type.name).join(', ');
  return { ok: true, edit: lineEdit(line, lineText, text), description: `Add ${spans.length} label${spans.length === 1 ? '' : 's'} (${what})` };
}
