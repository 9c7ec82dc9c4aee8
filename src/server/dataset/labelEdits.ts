import { jsonString, lineStyle } from './lineStyle';
import type { Node } from 'jsonc-parser';
import type { LabelEditResult, TextEdit } from '../../common/lspProtocol';
import type { LabelType } from '../../common/labelSchema';
import { lastPropertyValue, type ParsedLine, type RecordLine } from './jsonlLine';
import { labelInsertion, labelRemoval, type AddedLabel, type Splice } from './recordRewrite';

/**
 * Minimal edits to one JSONL line that add, retype or remove a single label. Each is one TextEdit
 * that touches only the label concerned: every other byte of the line stays as it was, so unknown
 * fields, key order, spacing and escapes survive.
 */
export type { LabelEditResult };

type Failure = { ok: false; message: string };

/** Adds a label for code points [start, end) of the record's text, in start order, in the line's own style. */
export function addLabelEdit(lineText: string, parsed: ParsedLine, line: number, span: { start: number; end: number }, type: LabelType): LabelEditResult {
  const checked = checkTextRecord(parsed, line);
  if (!checked.ok) return checked;
  const length = checked.record.text.map.length;
  const { start, end } = span;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > length || start >= end) {
    return { ok: false, message: `Line ${line + 1}: [${start}, ${end}) is not a non-empty span of the text, which has ${length} characters.` };
  }
  const added = labelAddition(lineText, checked.record, line, start, end, type);
  if (!added.ok) return added;
  const { label } = added;
  return { ok: true, edit: added.edit, description: `Label ${JSON.stringify(label.value)} [${start}, ${end}) as ${type.name}` };
}

/**
 * Adds a label for the characters an editor selection covers, UTF-16 columns [startColumn,
 * endColumn) of the line; a selection that splits a surrogate pair widens to the whole character.
 */
export function addSelectionLabelEdit(
  lineText: string,
  parsed: ParsedLine,
  line: number,
  columns: { startColumn: number; endColumn: number },
  type: LabelType,
): LabelEditResult {
  const checked = checkTextRecord(parsed, line);
  if (!checked.ok) return checked;
  const { literal, map } = checked.record.text;
  const contentStart = literal.start + 1;
  const contentEnd = literal.end - 1;
  const { startColumn, endColumn } = columns;
  if (startColumn < contentStart || endColumn > contentEnd || startColumn >= endColumn) {
    return { ok: false, message: 'Select characters inside the record\'s "text" value to label them.' };
  }
  const start = map.codePointAt(startColumn - contentStart, 'floor');
  const end = map.codePointAt(endColumn - contentStart, 'ceil');
  if (start >= end) return { ok: false, message: 'The selection is empty.' };
  return addLabelEdit(lineText, parsed, line, { start, end }, type);
}

/** The insertion that adds a label for code points [start, end) of a record's text (the caller has checked the span lies in the text). */
function labelAddition(
  lineText: string,
  parsed: RecordLine & { text: NonNullable<RecordLine['text']> },
  line: number,
  start: number,
  end: number,
  type: LabelType,
): { ok: true; edit: TextEdit; label: AddedLabel } | Failure {
  if (parsed.labelsNode && parsed.labelsNode.type !== 'array') {
    return { ok: false, message: `Line ${line + 1}: "labels" is not an array; fix it before labelling.` };
  }
  const value = parsed.text.map.slice(start, end);
  const existing = parsed.labels.map((l) => l.value as Record<string, unknown> | null);
  const entity = usesTags(existing) ? type.tag : type.name;
  const duplicate = existing.find((l) => l && l.start === start && l.end === end && (l.entity === type.name || l.entity === type.tag));
  if (duplicate) return { ok: false, message: `"${value}" is already labelled ${type.name} at [${start}, ${end}).` };

  const label = { entity, value, start, end };
  return { ok: true, edit: spliceEdit(line, labelInsertion(lineText, parsed, label, lineStyle(lineText))), label };
}

/**
 * Replaces only the "entity" string of label `labelIndex`. It writes a tag when that label already
 * carries one (or, when its entity is not a string, when the line's labels use tags), else the
 * display name.
 */
export function retypeLabelEdit(lineText: string, parsed: ParsedLine, line: number, labelIndex: number, type: LabelType): LabelEditResult {
  const found = labelNode(parsed, line, labelIndex);
  if (!found.ok) return found;
  const { node, record } = found;
  if (node.type !== 'object') return { ok: false, message: `Line ${line + 1}: label ${labelIndex + 1} is not an object; fix it by hand.` };
  const current = (record.labels[labelIndex].value as { entity?: unknown }).entity;
  const others = record.labels.filter((_, i) => i !== labelIndex).map((l) => l.value as Record<string, unknown> | null);
  const tags = typeof current === 'string' ? isTag(current) : usesTags(others);
  const entity = tags ? type.tag : type.name;
  if (current === entity) return { ok: false, message: `Label ${labelIndex + 1} is already ${type.name}.` };
  const description = `Change label ${labelIndex + 1} from ${typeof current === 'string' ? current : 'no type'} to ${type.name}`;

  const style = lineStyle(lineText);
  const entityNode = lastPropertyValue(node, 'entity');
  if (entityNode) {
    const range = columnRange(line, entityNode.offset, entityNode.offset + entityNode.length);
    return { ok: true, edit: { range, newText: jsonString(entity, style) }, description };
  }
  // No "entity" property: add it as the object's first property.
  const property = `"entity":${style.afterColon}${jsonString(entity, style)}`;
  const at = node.offset + 1;
  const newText = (node.children ?? []).length > 0 ? `${property},${style.afterComma}` : property;
  return { ok: true, edit: { range: columnRange(line, at, at), newText }, description };
}

/**
 * Deletes label `labelIndex` and exactly one separating comma with its whitespace: the one after
 * it, or before it when it is the last. The only label leaves `"labels": []`. (The line's text is
 * not needed, since the parse locates everything; the parameter keeps the three edits alike.)
 */
export function removeLabelEdit(_lineText: string, parsed: ParsedLine, line: number, labelIndex: number): LabelEditResult {
  const found = labelNode(parsed, line, labelIndex);
  if (!found.ok) return found;
  const { array, record } = found;
  const label = record.labels[labelIndex].value as { entity?: unknown; value?: unknown } | null;
  const what = label && typeof label === 'object' && typeof label.entity === 'string' ? ` ${label.entity}` : '';
  const text = label && typeof label === 'object' && typeof label.value === 'string' ? ` ${JSON.stringify(label.value)}` : '';
  return {
    ok: true,
    edit: spliceEdit(line, labelRemoval(array, labelIndex)),
    description: `Remove label ${labelIndex + 1}${what}${text}`,
  };
}

function checkTextRecord(parsed: ParsedLine, line: number): { ok: true; record: RecordLine & { text: NonNullable<RecordLine['text']> } } | Failure {
  if (parsed.kind !== 'record') {
    return { ok: false, message: `Line ${line + 1} is not a valid JSON record; fix it before labelling.` };
  }
  const text = parsed.text;
  if (!text) return { ok: false, message: `Line ${line + 1} has no "text" string to label.` };
  return { ok: true, record: { ...parsed, text } };
}

function labelNode(parsed: ParsedLine, line: number, labelIndex: number): { ok: true; node: Node; array: Node; record: RecordLine } | Failure {
  if (parsed.kind !== 'record') return { ok: false, message: `Line ${line + 1} is not a valid JSON record; fix it first.` };
  const array = parsed.labelsNode;
  if (!array || array.type !== 'array') return { ok: false, message: `Line ${line + 1} has no "labels" array.` };
  const node = (array.children ?? [])[labelIndex];
  if (!Number.isInteger(labelIndex) || !node || !parsed.labels[labelIndex]) {
    return { ok: false, message: `Line ${line + 1} has no label ${labelIndex + 1} (it has ${parsed.labels.length}).` };
  }
  return { ok: true, node, array, record: parsed };
}

function columnRange(line: number, start: number, end: number): TextEdit['range'] {
  return { start: { line, character: start }, end: { line, character: end } };
}

function spliceEdit(line: number, splice: Splice): TextEdit {
  return { range: columnRange(line, splice.from, splice.to), newText: splice.text };
}

function isTag(entity: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(entity);
}

/** Lines whose labels write tags (LOAN_AMOUNT) get tags; otherwise display names (借款金额). */
function usesTags(labels: readonly (Record<string, unknown> | null)[]): boolean {
  const entities = labels.map((l) => l?.entity).filter((e): e is string => typeof e === 'string');
  return entities.length > 0 && entities.every(isTag);
}

/**
 * Sets label `labelIndex`'s "value" to the text it points at (`value`, text[start:end]), replacing
 * only the value string (or adding a "value" property when there is none).
 */
export function updateLabelValueEdit(lineText: string, parsed: ParsedLine, line: number, labelIndex: number, value: string): LabelEditResult {
  const found = labelNode(parsed, line, labelIndex);
  if (!found.ok) return found;
  const { node } = found;
  if (node.type !== 'object') return { ok: false, message: `Line ${line + 1}: label ${labelIndex + 1} is not an object; fix it by hand.` };
  const style = lineStyle(lineText);
  const description = `Set the value of label ${labelIndex + 1} to ${JSON.stringify(value)}, the text it points at`;
  const valueNode = lastPropertyValue(node, 'value');
  if (valueNode) {
    return {
      ok: true,
      edit: { range: columnRange(line, valueNode.offset, valueNode.offset + valueNode.length), newText: jsonString(value, style) },
      description,
    };
  }
  const at = node.offset + node.length - 1;
  const property = `"value":${style.afterColon}${jsonString(value, style)}`;
  const newText = (node.children ?? []).length > 0 ? `,${style.afterComma}${property}` : property;
  return { ok: true, edit: { range: columnRange(line, at, at), newText }, description };
}

/**
 * Moves label `labelIndex` to code points [start, end): replaces its "start" and "end" numbers (one
 * edit from the first of them to the last, every byte in between kept).
 */
export function reanchorLabelEdit(lineText: string, parsed: ParsedLine, line: number, labelIndex: number, start: number, end: number): LabelEditResult {
  const found = labelNode(parsed, line, labelIndex);
  if (!found.ok) return found;
  const { node } = found;
  const startNode = node.type === 'object' ? lastPropertyValue(node, 'start') : undefined;
  const endNode = node.type === 'object' ? lastPropertyValue(node, 'end') : undefined;
  if (!startNode || !endNode) return { ok: false, message: `Line ${line + 1}: label ${labelIndex + 1} has no "start" and "end" to move.` };
  const [first, second] = startNode.offset < endNode.offset ? [startNode, endNode] : [endNode, startNode];
  const replacement = (n: Node): string => String(n === startNode ? start : end);
  const from = first.offset;
  const to = second.offset + second.length;
  const newText = replacement(first) + lineText.slice(first.offset + first.length, second.offset) + replacement(second);
  return {
    ok: true,
    edit: { range: columnRange(line, from, to), newText },
    description: `Move label ${labelIndex + 1} to [${start}, ${end})`,
  };
}
