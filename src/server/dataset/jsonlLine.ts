import { parseTree, type Node } from 'jsonc-parser';
import { readJson } from './jsonDepth';
import { JsonStringMap } from './jsonStringMap';

/** Where a JSON value sits in its line: UTF-16 columns, end exclusive. */
export interface ColumnSpan {
  start: number;
  end: number;
}

export interface LabelEntry {
  index: number;
  /** The label object's place in the line. */
  columns: ColumnSpan;
  value: unknown;
}

export type ParsedLine =
  | { kind: 'blank' }
  | { kind: 'malformed'; code: 'malformed-json' | 'nested-too-deep'; message: string }
  | {
      kind: 'record';
      value: unknown;
      root: Node;
      /** The record's "text" string, when it is one. */
      text?: { literal: ColumnSpan; map: JsonStringMap };
      /** The "labels" property value node, whatever its type. */
      labelsNode?: Node;
      labels: LabelEntry[];
    };

/** A line that is a JSON value (an object or not): what edits of a record work on. */
export type RecordLine = Extract<ParsedLine, { kind: 'record' }>;

/**
 * Parses one JSONL line strictly (JSON.parse) and locates its parts (jsonc-parser's tree, which
 * recurses: a line nested deeper than MAX_JSON_DEPTH is refused before it is built).
 */
export function parseJsonlLine(line: string): ParsedLine {
  if (line.trim() === '') return { kind: 'blank' };
  const reading = readJson(line);
  if (!reading.ok) return { kind: 'malformed', code: reading.tooDeep ? 'nested-too-deep' : 'malformed-json', message: reading.message };
  const { value } = reading;
  const root = parseTree(line);
  if (!root) return { kind: 'malformed', code: 'malformed-json', message: 'could not locate the JSON value' };
  const result: RecordLine = { kind: 'record', value, root, labels: [] };
  if (root.type !== 'object') return result;

  const textNode = lastPropertyValue(root, 'text');
  if (textNode && textNode.type === 'string') {
    const contentStart = textNode.offset + 1;
    const contentEnd = textNode.offset + textNode.length - 1;
    const map = JsonStringMap.fromRawContent(line.slice(contentStart, contentEnd));
    if (map) result.text = { literal: { start: textNode.offset, end: textNode.offset + textNode.length }, map };
  }

  const labelsNode = lastPropertyValue(root, 'labels');
  if (labelsNode) {
    result.labelsNode = labelsNode;
    const parsedLabels = (value as { labels?: unknown }).labels;
    if (labelsNode.type === 'array' && Array.isArray(parsedLabels)) {
      (labelsNode.children ?? []).forEach((child, index) => {
        result.labels.push({ index, columns: { start: child.offset, end: child.offset + child.length }, value: parsedLabels[index] });
      });
    }
  }
  return result;
}

/** The value node of the last property named `key` (JSON.parse keeps the last duplicate too). */
export function lastPropertyValue(objectNode: Node, key: string): Node | undefined {
  let found: Node | undefined;
  for (const prop of objectNode.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (keyNode?.value === key && valueNode) found = valueNode;
  }
  return found;
}

/** Splits document text into lines the way editors count them (\n, \r\n or \r). */
export function splitLines(content: string): string[] {
  return content.split(/\r\n|\n|\r/);
}
