import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SpanDecoration } from '../../common/lspProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import { anchorState, type AnchoredLabel } from './anchorLabels';
import type { CodePointText } from '../dataset/codePointText';

const UNKNOWN_TYPE_COLOR = '#9e9e9e';
const MAX_QUOTED = 40;

/** Codes of the diagnostics on a contract's labels; `data.labelIndex` names the label in its record. */
export const CHANGED_CODE = 'value-mismatch';
export const DELETED_CODE = 'label-text-deleted';

export interface LabelDiagnosticData {
  labelIndex: number;
}

/** A problem with the record or the dataset of a contract, shown at the top of the file. */
export interface ContractNotice {
  message: string;
  severity: 'error' | 'warning';
}

/** A contract's labels on its text, placed for the editor. */
export interface PlacedContract {
  document: TextDocument;
  text: CodePointText;
  labels: readonly AnchoredLabel[];
}

/** The spans to draw: every label that still covers characters (a changed one on its new text). */
export function contractSpans(c: PlacedContract, schema: LabelSchema): SpanDecoration[] {
  const shown = c.labels.filter((l) => l.start < l.end);
  return shown.map((l) => {
    const type = schema.resolve(l.entity);
    return {
      range: rangeOf(c, l.start, l.end),
      entity: type?.name ?? l.entity,
      tag: type?.tag ?? l.entity,
      color: type?.color ?? UNKNOWN_TYPE_COLOR,
      value: c.text.slice(l.start, l.end),
      start: l.start,
      end: l.end,
      overlaps: shown.some((o) => o !== l && o.start < l.end && l.start < o.end),
      unknownType: type === undefined,
    };
  });
}

/** A warning on each label whose text was edited or deleted, and the notices at the top of the file. */
export function contractDiagnostics(c: PlacedContract, notices: readonly ContractNotice[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const l of c.labels) {
    const state = anchorState(l, c.text.chars);
    if (state === 'intact') continue;
    const data: LabelDiagnosticData = { labelIndex: l.index };
    const message =
      state === 'changed'
        ? `${l.entity} label: the labelled text changed from ${quote(l.value)} to ${quote(c.text.slice(l.start, l.end))}`
        : `${l.entity} label: the labelled text ${quote(l.value)} was deleted`;
    diagnostics.push({
      range: rangeOf(c, l.start, l.end),
      severity: DiagnosticSeverity.Warning,
      code: state === 'changed' ? CHANGED_CODE : DELETED_CODE,
      source: 'finlabel',
      message,
      data,
    });
  }
  for (const n of notices) {
    diagnostics.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: n.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      source: 'finlabel',
      message: n.message,
    });
  }
  return diagnostics;
}

export function rangeOf(c: PlacedContract, start: number, end: number): SpanDecoration['range'] {
  return { start: c.document.positionAt(c.text.utf16Offset(start)), end: c.document.positionAt(c.text.utf16Offset(end)) };
}

function quote(s: string): string {
  const chars = Array.from(s);
  return JSON.stringify(chars.length > MAX_QUOTED ? `${chars.slice(0, MAX_QUOTED).join('')}…` : s);
}
