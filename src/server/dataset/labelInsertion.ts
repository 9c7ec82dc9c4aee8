import type { Node } from 'jsonc-parser';
import type { LabelSelectionResult } from '../../common/lspProtocol';
import type { LabelType } from '../../common/labelSchema';
import type { ParsedLine } from './jsonlLine';

export interface LabelRequest {
  line: number;
  /** Selection columns (UTF-16) within the line. */
  startColumn: number;
  endColumn: number;
  type: LabelType;
}

type RecordLine = Extract<ParsedLine, { kind: 'record' }>;

/**
 * The single text edit that adds a label for the selected characters of a record's text. It only
 * inserts: every existing byte of the line stays as it was. The label goes into "labels" in start
 * order, written in the line's own spacing style.
 */
export function labelInsertion(lineText: string, parsed: ParsedLine, req: LabelRequest): LabelSelectionResult {
  if (parsed.kind !== 'record') {
    return { ok: false, message: `Line ${req.line + 1} is not a valid JSON record; fix it before labelling.` };
  }
  const text = parsed.text;
  if (!text) return { ok: false, message: `Line ${req.line + 1} has no "text" string to label.` };
  const contentStart = text.literal.start + 1;
  const contentEnd = text.literal.end - 1;
  if (req.startColumn < contentStart || req.endColumn > contentEnd || req.startColumn >= req.endColumn) {
    return { ok: false, message: 'Select characters inside the record\'s "text" value to label them.' };
  }
  const start = text.map.codePointAt(req.startColumn - contentStart, 'floor');
  const end = text.map.codePointAt(req.endColumn - contentStart, 'ceil');
  if (start >= end) return { ok: false, message: 'The selection is empty.' };
  if (parsed.labelsNode && parsed.labelsNode.type !== 'array') {
    return { ok: false, message: `Line ${req.line + 1}: "labels" is not an array; fix it before labelling.` };
  }

  const value = text.map.slice(start, end);
  const existing = parsed.labels.map((l) => l.value as Record<string, unknown>);
  const entity = usesTags(existing) ? req.type.tag : req.type.name;
  const duplicate = existing.find(
    (l) => l && l.start === start && l.end === end && (l.entity === req.type.name || l.entity === req.type.tag),
  );
  if (duplicate) return { ok: false, message: `"${value}" is already labelled ${req.type.name} at [${start}, ${end}).` };

  const style = spacingStyle(lineText);
  const labelJson = formatLabel(entity, value, start, end, style);
  const insertion = insertionPoint(lineText, parsed, start, labelJson, style);
  return {
    ok: true,
    edit: {
      range: { start: { line: req.line, character: insertion.column }, end: { line: req.line, character: insertion.column } },
      newText: insertion.text,
    },
    label: { entity, value, start, end },
  };
}

interface SpacingStyle {
  afterColon: string;
  afterComma: string;
}

/** Mirrors the line's own style: `{"a": 1, "b": 2}` (Python's json.dumps) or `{"a":1,"b":2}`. */
function spacingStyle(line: string): SpacingStyle {
  const spaced = /"\s*:\s/.test(line) || /,\s+"/.test(line);
  return spaced ? { afterColon: ' ', afterComma: ' ' } : { afterColon: '', afterComma: '' };
}

function formatLabel(entity: string, value: string, start: number, end: number, s: SpacingStyle): string {
  const c = `:${s.afterColon}`;
  const sep = `,${s.afterComma}`;
  return `{"entity"${c}${JSON.stringify(entity)}${sep}"value"${c}${JSON.stringify(value)}${sep}"start"${c}${start}${sep}"end"${c}${end}}`;
}

/** Files that write tags (LOAN_AMOUNT) get tags; otherwise display names (借款金额). */
function usesTags(labels: readonly Record<string, unknown>[]): boolean {
  const entities = labels.map((l) => l?.entity).filter((e): e is string => typeof e === 'string');
  return entities.length > 0 && entities.every((e) => /^[A-Z][A-Z0-9_]*$/.test(e));
}

function insertionPoint(
  line: string,
  parsed: RecordLine,
  start: number,
  labelJson: string,
  s: SpacingStyle,
): { column: number; text: string } {
  const sep = `,${s.afterComma}`;
  const labelsNode = parsed.labelsNode;
  if (labelsNode && labelsNode.type === 'array') {
    const elements = labelsNode.children ?? [];
    if (elements.length === 0) return { column: labelsNode.offset + 1, text: labelJson };
    const before = parsed.labels.find((l) => {
      const v = l.value as { start?: unknown } | null;
      return typeof v?.start === 'number' && v.start > start;
    });
    if (before) return { column: before.columns.start, text: labelJson + sep };
    const last = elements[elements.length - 1];
    return { column: last.offset + last.length, text: sep + labelJson };
  }
  // No "labels" yet: add the property after the record's last one.
  const lastProperty = lastChild(parsed.root);
  if (!lastProperty) return { column: line.lastIndexOf('}'), text: `"labels":${s.afterColon}[${labelJson}]` };
  return { column: lastProperty.offset + lastProperty.length, text: `${sep}"labels":${s.afterColon}[${labelJson}]` };
}

function lastChild(node: Node): Node | undefined {
  const children = node.children ?? [];
  return children[children.length - 1];
}
