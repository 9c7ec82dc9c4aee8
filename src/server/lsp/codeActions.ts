import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver/node';
import type { LabelEditResult } from '../../common/lspProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import type { JsonlDocumentModel } from '../dataset/documentModel';
import { reanchorLabelEdit, removeLabelEdit, retypeLabelEdit, updateLabelValueEdit } from '../dataset/labelEdits';
import { nearestOccurrence } from '../dataset/reanchor';
import type { PlacedLabel } from '../dataset/recordAnalysis';
import type { DiagnosticData } from './diagnostics';

/**
 * Code actions on a dataset JSONL line: change the type of / remove the label under the cursor,
 * and the quick fixes that are safe for a diagnostic (re-anchor a label whose value occurs in the
 * text, set the value to the text it points at, remove a duplicate, pick a known type). Each is
 * one edit of the line made by labelEdits, so it undoes in one step and keeps every other byte.
 */
export function codeActions(model: JsonlDocumentModel, schema: LabelSchema, uri: string, range: Range, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const line = range.start.line;
  if (line >= model.lineCount) return actions;
  const lineText = model.line(line);
  const parsed = model.parsedLine(line);
  const analysis = model.analysis(line);
  const action = (result: LabelEditResult, kind: string, title?: string, diagnostic?: Diagnostic, preferred = false): void => {
    if (!result.ok) return;
    actions.push({
      title: title ?? result.description,
      kind,
      ...(diagnostic ? { diagnostics: [diagnostic] } : {}),
      ...(preferred ? { isPreferred: true } : {}),
      edit: { changes: { [uri]: [result.edit] } },
    });
  };

  for (const diagnostic of diagnostics) {
    const data = diagnostic.data as DiagnosticData | undefined;
    if (!data || data.line !== line || data.labelIndex === undefined) continue;
    const index = data.labelIndex;
    const label = labelValue(parsed, index);
    switch (diagnostic.code) {
      case 'value-mismatch':
      case 'offset-out-of-range':
      case 'offset-reversed': {
        const text = analysis.text?.map;
        if (text && typeof label?.value === 'string' && label.value !== '') {
          const found = nearestOccurrence(text.decoded, label.value, typeof label.start === 'number' ? label.start : 0);
          if (found) {
            action(
              reanchorLabelEdit(lineText, parsed, line, index, found.start, found.end),
              CodeActionKind.QuickFix,
              `Re-anchor label ${index + 1} to ${JSON.stringify(label.value)} at [${found.start}, ${found.end})`,
              diagnostic,
              true,
            );
          }
        }
        const placed = analysis.labels.find((l) => l.index === index);
        if (diagnostic.code === 'value-mismatch' && placed && text) {
          action(updateLabelValueEdit(lineText, parsed, line, index, text.slice(placed.start, placed.end)), CodeActionKind.QuickFix, undefined, diagnostic);
        }
        break;
      }
      case 'overlapping-spans': {
        if (isDuplicate(analysis.labels, index)) {
          action(removeLabelEdit(lineText, parsed, line, index), CodeActionKind.QuickFix, `Remove duplicate label ${index + 1}`, diagnostic, true);
        }
        break;
      }
      case 'unknown-entity':
        for (const type of schema.types) {
          action(
            retypeLabelEdit(lineText, parsed, line, index, type),
            CodeActionKind.QuickFix,
            `Change label ${index + 1} to ${type.name} (${type.tag})`,
            diagnostic,
          );
        }
        break;
    }
  }

  // The labels under the cursor: by their span in the text, or by their object in "labels".
  const text = analysis.text;
  const contentStart = text ? text.literal.start + 1 : 0;
  const from = range.start.character;
  const to = range.end.line === line ? range.end.character : lineText.length;
  const touched = new Set<number>();
  for (const l of analysis.labels) {
    const spanStart = text ? contentStart + text.map.rawOffsetOf(l.start) : -1;
    const spanEnd = text ? contentStart + text.map.rawOffsetOf(l.end) : -1;
    if (intersects(from, to, spanStart, spanEnd) || intersects(from, to, l.columns.start, l.columns.end)) touched.add(l.index);
  }
  if (parsed.kind === 'record') {
    for (const entry of parsed.labels) if (intersects(from, to, entry.columns.start, entry.columns.end)) touched.add(entry.index);
  }
  for (const index of [...touched].sort((a, b) => a - b)) {
    const current = analysis.labels.find((l) => l.index === index)?.type;
    const what = describeLabel(parsed, index);
    for (const type of schema.types) {
      if (type === current) continue;
      action(retypeLabelEdit(lineText, parsed, line, index, type), CodeActionKind.RefactorRewrite, `Change ${what} to ${type.name} (${type.tag})`);
    }
    action(removeLabelEdit(lineText, parsed, line, index), CodeActionKind.RefactorRewrite, `Remove ${what}`);
  }
  return actions;
}

function intersects(from: number, to: number, start: number, end: number): boolean {
  if (start < 0) return false;
  return from === to ? start <= from && from <= end : from < end && start < to;
}

function labelValue(parsed: ReturnType<JsonlDocumentModel['parsedLine']>, index: number): { value?: unknown; start?: unknown } | undefined {
  if (parsed.kind !== 'record') return undefined;
  const v = parsed.labels[index]?.value;
  return typeof v === 'object' && v !== null ? (v as { value?: unknown; start?: unknown }) : undefined;
}

function describeLabel(parsed: ReturnType<JsonlDocumentModel['parsedLine']>, index: number): string {
  const v = labelValue(parsed, index) as { entity?: unknown; value?: unknown } | undefined;
  const entity = typeof v?.entity === 'string' ? ` ${v.entity}` : '';
  const value = typeof v?.value === 'string' ? ` ${JSON.stringify(v.value)}` : '';
  return `label ${index + 1}${entity}${value}`;
}

/** Label `index` repeats an earlier label: same span and the same type. */
function isDuplicate(labels: readonly PlacedLabel[], index: number): boolean {
  const label = labels.find((l) => l.index === index);
  if (!label) return false;
  return labels.some((o) => o.index < index && o.start === label.start && o.end === label.end && (o.type ? o.type === label.type : o.entity === label.entity));
}
