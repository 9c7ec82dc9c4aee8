import type { ContractEditResult } from '../../common/contractProtocol';
import type { TextEdit } from '../../common/lspProtocol';
import type { LabelType } from '../../common/labelSchema';
import type { JsonlDocumentModel } from '../dataset/documentModel';
import { anchorState, type AnchoredLabel } from './anchorLabels';
import type { CodePointText } from '../dataset/codePointText';
import type { ContractRecord, RecordLookup } from './contractRecords';
import { lineEdit, newRecordLine, rewriteRecordLine, type LabelFields, type RecordRewrite } from '../dataset/recordRewrite';

/** A contract file as it is in the editor: its workspace-relative path, text and labels placed on that text. */
export interface ContractSnapshot {
  source: string;
  text: CodePointText;
  labels: readonly AnchoredLabel[];
}

/** The dataset document the edit is for. */
export interface DatasetTarget {
  model: JsonlDocumentModel;
  eol: string;
  /** Its workspace-relative path, for messages. */
  name: string;
}

/** A ContractLabelAction with its selection in code points and its type looked up. */
export type ResolvedAction =
  | { kind: 'label'; start: number; end: number; type: LabelType }
  | { kind: 'retype'; labelIndex: number; type: LabelType }
  | { kind: 'remove'; labelIndex: number }
  | { kind: 'accept'; labelIndex: number }
  | { kind: 'sync' };

/**
 * The one edit to the dataset that applies `action` to the contract's record. Every edit of an
 * existing record also writes the contract's current text and the labels' current offsets, since
 * offsets only mean something on the text they were made for.
 */
export function contractRecordEdit(contract: ContractSnapshot, dataset: DatasetTarget, lookup: RecordLookup, action: ResolvedAction): ContractEditResult {
  if (lookup.kind === 'invalid') return { ok: false, message: `${dataset.name}: ${lookup.message}. Fix that line first.` };
  if (lookup.kind === 'none') {
    if (action.kind === 'sync') return { ok: true, edit: null, summary: `${contract.source} has no record in ${dataset.name} yet` };
    if (action.kind !== 'label') return { ok: false, message: `${dataset.name} has no record for ${contract.source}.` };
    return appendRecord(contract, dataset, action);
  }
  const record = lookup.record;
  const rewrite = syncRewrite(contract, record);
  const described = describeAction(contract, record, rewrite, action);
  if (!described.ok) return described;
  const after = rewriteRecordLine(record.lineText, record.parsed, rewrite);
  if (after === record.lineText) return { ok: true, edit: null, summary: `the record of ${contract.source} in ${dataset.name} is up to date` };
  return { ok: true, edit: lineEdit(record.line, record.lineText, after), summary: `${described.summary} in ${dataset.name} (line ${record.line + 1})` };
}

/** Whether writing the contract as it is would change its record. */
export function recordNeedsSync(contract: ContractSnapshot, record: ContractRecord): boolean {
  const rewrite = syncRewrite(contract, record);
  return rewrite.text !== undefined || (rewrite.labels?.size ?? 0) > 0;
}

function syncRewrite(contract: ContractSnapshot, record: ContractRecord): RecordRewrite & { labels: Map<number, LabelFields> } {
  const labels = new Map<number, LabelFields>();
  const written = new Map(record.labels.map((l) => [l.index, l]));
  for (const l of contract.labels) {
    const was = written.get(l.index);
    if (was && (was.start !== l.start || was.end !== l.end)) labels.set(l.index, { start: l.start, end: l.end });
  }
  return { ...(record.text !== contract.text.text ? { text: contract.text.text } : {}), labels };
}

function describeAction(
  contract: ContractSnapshot,
  record: ContractRecord,
  rewrite: RecordRewrite & { labels: Map<number, LabelFields> },
  action: ResolvedAction,
): { ok: true; summary: string } | { ok: false; message: string } {
  const synced = rewrite.text !== undefined ? " (and wrote the edited contract text and the labels' new offsets)" : '';
  if (action.kind === 'sync') {
    const flagged = contract.labels.filter((l) => anchorState(l, contract.text.chars) !== 'intact').length;
    const moved = rewrite.labels.size;
    return {
      ok: true,
      summary: `wrote the text of ${contract.source} and ${moved} moved label${moved === 1 ? '' : 's'}${flagged ? `, ${flagged} flagged (their text changed)` : ''}`,
    };
  }
  if (action.kind === 'label') {
    const { start, end, type } = action;
    const value = contract.text.slice(start, end);
    const same = contract.labels.find((l) => l.start === start && l.end === end && (l.entity === type.name || l.entity === type.tag));
    if (same) return { ok: false, message: `"${value}" is already labelled ${type.name} at [${start}, ${end}).` };
    const entity = record.labels.length > 0 && record.labels.every((l) => isTag(l.entity)) ? type.tag : type.name;
    rewrite.add = { entity, value, start, end };
    return { ok: true, summary: `labelled "${value}" as ${type.name} [${start}, ${end})${synced}` };
  }
  const label = contract.labels.find((l) => l.index === action.labelIndex);
  if (!label) return { ok: false, message: `The record of ${contract.source} has no label ${action.labelIndex + 1} that can be placed on the text.` };
  const current = contract.text.slice(label.start, label.end);
  switch (action.kind) {
    case 'retype': {
      const entity = isTag(label.entity) ? action.type.tag : action.type.name;
      if (entity === label.entity) return { ok: false, message: `"${current}" is already labelled ${action.type.name}.` };
      rewrite.labels.set(label.index, { ...rewrite.labels.get(label.index), entity });
      return { ok: true, summary: `changed the label of "${current}" from ${label.entity} to ${action.type.name}${synced}` };
    }
    case 'remove':
      rewrite.labels.delete(label.index);
      rewrite.remove = label.index;
      return { ok: true, summary: `removed the ${label.entity} label "${label.value}"${synced}` };
    case 'accept':
      if (label.start === label.end)
        return {
          ok: false,
          message: `The text of the ${label.entity} label "${label.value}" was deleted: remove the label, or select the text and label it again.`,
        };
      rewrite.labels.set(label.index, { ...rewrite.labels.get(label.index), value: current });
      return { ok: true, summary: `updated the ${label.entity} label from "${label.value}" to "${current}"${synced}` };
  }
}

function appendRecord(contract: ContractSnapshot, dataset: DatasetTarget, action: Extract<ResolvedAction, { kind: 'label' }>): ContractEditResult {
  const { start, end, type } = action;
  const value = contract.text.slice(start, end);
  const sample = firstRecordLine(dataset.model);
  const line = newRecordLine(
    { id: contract.source, text: contract.text.text, labels: [{ entity: type.name, value, start, end }], meta: { source: contract.source } },
    sample,
  );
  return {
    ok: true,
    edit: appendLine(dataset.model, line, dataset.eol),
    summary: `labelled "${value}" as ${type.name} [${start}, ${end}) in a new record of ${dataset.name}`,
  };
}

/** Adds a line (or several joined by `eol`) at the end, keeping whether the file ends with a line break. */
export function appendLine(model: JsonlDocumentModel, line: string, eol: string): TextEdit {
  const last = model.lineCount - 1;
  const lastText = model.line(last);
  if (lastText === '') {
    const at = { line: last, character: 0 };
    return { range: { start: at, end: at }, newText: `${line}${eol}` };
  }
  const at = { line: last, character: lastText.length };
  return { range: { start: at, end: at }, newText: `${eol}${line}` };
}

export function firstRecordLine(model: JsonlDocumentModel): string | undefined {
  for (let i = 0; i < model.lineCount; i++) if (model.parsedLine(i).kind === 'record') return model.line(i);
  return undefined;
}

function isTag(entity: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(entity);
}
