import { jsonString, lineStyle, type LineStyle } from './lineStyle';
import type { Node } from 'jsonc-parser';
import type { TextEdit } from '../../common/lspProtocol';
import { lastPropertyValue, type RecordLine } from './jsonlLine';

/**
 * Rewrites parts of one dataset line, in the line's own style, and leaves every other byte as it was
 * (unknown keys, key order, spacing, escapes): the record's "text", several labels' fields, a label
 * removed and one added, "meta" keys, in one edit (contract files need all of these). The single-label
 * edits of labelEdits.ts are made of the same splices.
 */

export interface LabelFields {
  entity?: string;
  value?: string;
  start?: number;
  end?: number;
}

/** A label as it is written when added. */
export interface AddedLabel {
  entity: string;
  value: string;
  start: number;
  end: number;
}

export interface RecordRewrite {
  text?: string;
  /** Fields to set, by the label's index in "labels". */
  labels?: ReadonlyMap<number, LabelFields>;
  /** Index of a label to delete. */
  remove?: number;
  /** A label to add, in start order. */
  add?: AddedLabel;
  /** Keys of "meta" to set (added when missing, with "meta" itself); its other keys stay as they are. */
  meta?: Readonly<Record<string, unknown>>;
}

/** The line after the rewrite. */
export function rewriteRecordLine(line: string, parsed: RecordLine, rewrite: RecordRewrite): string {
  const style = lineStyle(line);
  const splices: Splice[] = [];
  if (rewrite.text !== undefined) {
    const textNode = lastPropertyValue(parsed.root, 'text');
    if (textNode) splices.push(replaceNode(textNode, jsonString(rewrite.text, style)));
  }
  const elements = parsed.labelsNode?.type === 'array' ? (parsed.labelsNode.children ?? []) : [];
  for (const [index, fields] of rewrite.labels ?? []) {
    const node = elements[index];
    if (index === rewrite.remove || node?.type !== 'object') continue;
    for (const key of ['entity', 'value', 'start', 'end'] as const) {
      const v = fields[key];
      if (v === undefined) continue;
      const json = typeof v === 'string' ? jsonString(v, style) : String(v);
      const valueNode = lastPropertyValue(node, key);
      if (valueNode) splices.push(replaceNode(valueNode, json));
      else
        splices.push({
          from: node.offset + 1,
          to: node.offset + 1,
          text: `"${key}":${style.afterColon}${json}${(node.children ?? []).length > 0 ? `,${style.afterComma}` : ''}`,
        });
    }
  }
  if (rewrite.remove !== undefined && parsed.labelsNode) splices.push(labelRemoval(parsed.labelsNode, rewrite.remove));
  if (rewrite.add) splices.push(labelInsertion(line, parsed, rewrite.add, style, rewrite));
  if (rewrite.meta) splices.push(...metaSplices(line, parsed, rewrite.meta, style));
  return applySplices(line, splices);
}

function metaSplices(line: string, parsed: RecordLine, fields: Readonly<Record<string, unknown>>, style: LineStyle): Splice[] {
  const meta = lastPropertyValue(parsed.root, 'meta');
  if (meta?.type !== 'object') {
    if (meta) return [replaceNode(meta, jsonValue(fields, style))];
    const properties = parsed.root.children ?? [];
    const last = properties[properties.length - 1];
    const property = `"meta":${style.afterColon}${jsonValue(fields, style)}`;
    if (!last) return [{ from: line.lastIndexOf('}'), to: line.lastIndexOf('}'), text: property }];
    return [{ from: last.offset + last.length, to: last.offset + last.length, text: `,${style.afterComma}${property}` }];
  }
  const splices: Splice[] = [];
  const added: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    const node = lastPropertyValue(meta, key);
    if (node) splices.push(replaceNode(node, jsonValue(value, style)));
    else added.push(`${jsonString(key, style)}:${style.afterColon}${jsonValue(value, style)}`);
  }
  if (added.length > 0) {
    const hasProperties = (meta.children ?? []).length > 0;
    const end = meta.offset + meta.length - 1;
    if (hasProperties) {
      const lastProperty = (meta.children ?? [])[(meta.children ?? []).length - 1];
      const at = lastProperty.offset + lastProperty.length;
      splices.push({ from: at, to: at, text: `,${style.afterComma}${added.join(`,${style.afterComma}`)}` });
    } else {
      splices.push({ from: meta.offset + 1, to: end, text: added.join(`,${style.afterComma}`) });
    }
  }
  return splices;
}

/** A new record line in the style of `sample` (another line of the dataset), or compact JSON. */
export function newRecordLine(
  record: { id: string; text: string; labels: AddedLabel[]; meta: Readonly<Record<string, unknown>> },
  sample: string | undefined,
): string {
  return jsonValue(record, sample === undefined ? { afterColon: '', afterComma: '', asciiOnly: false } : lineStyle(sample));
}

/** The smallest edit that turns `before` into `after` on line `line` (never splitting a surrogate pair). */
export function lineEdit(line: number, before: string, after: string): TextEdit {
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before[prefix] === after[prefix]) prefix++;
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  while (suffix < shorter - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return {
    range: { start: { line, character: prefix }, end: { line, character: before.length - suffix } },
    newText: after.slice(prefix, after.length - suffix),
  };
}

/** A replacement of UTF-16 columns [from, to) of the line. */
export interface Splice {
  from: number;
  to: number;
  text: string;
}

function replaceNode(node: Node, text: string): Splice {
  return { from: node.offset, to: node.offset + node.length, text };
}

/** Deletes element `index` and one separating comma with its whitespace: the one after it, or before it when it is the last. The only element leaves `[]`. */
export function labelRemoval(array: Node, index: number): Splice {
  const elements = array.children ?? [];
  const node = elements[index];
  if (elements.length === 1) return { from: array.offset + 1, to: array.offset + array.length - 1, text: '' };
  if (index < elements.length - 1) return { from: node.offset, to: elements[index + 1].offset, text: '' };
  const previous = elements[index - 1];
  return { from: previous.offset + previous.length, to: node.offset + node.length, text: '' };
}

/**
 * Inserts `add` into "labels" in start order (creating "labels" when there is none). Within a rewrite,
 * the label being removed does not count and the labels' new starts do.
 */
export function labelInsertion(
  line: string,
  parsed: RecordLine,
  add: AddedLabel,
  style: LineStyle,
  rewrite: Pick<RecordRewrite, 'remove' | 'labels'> = {},
): Splice {
  const json = jsonValue({ entity: add.entity, value: add.value, start: add.start, end: add.end }, style);
  const sep = `,${style.afterComma}`;
  const array = parsed.labelsNode;
  if (array && array.type === 'array') {
    const elements = array.children ?? [];
    const remaining = elements.map((node, index) => ({ node, index })).filter((e) => e.index !== rewrite.remove);
    if (remaining.length === 0) return { from: array.offset + 1, to: array.offset + 1, text: json };
    const startOf = (index: number): number | undefined => {
      const set = rewrite.labels?.get(index)?.start;
      const original = (parsed.labels[index]?.value as { start?: unknown } | null)?.start;
      return set ?? (typeof original === 'number' ? original : undefined);
    };
    const before = remaining.find((e) => (startOf(e.index) ?? -1) > add.start);
    if (before) return { from: before.node.offset, to: before.node.offset, text: json + sep };
    const last = remaining[remaining.length - 1].node;
    return { from: last.offset + last.length, to: last.offset + last.length, text: sep + json };
  }
  // No "labels" yet: add the property after the record's last one.
  const properties = parsed.root.children ?? [];
  const last = properties[properties.length - 1];
  if (!last) return { from: line.lastIndexOf('}'), to: line.lastIndexOf('}'), text: `"labels":${style.afterColon}[${json}]` };
  return { from: last.offset + last.length, to: last.offset + last.length, text: `${sep}"labels":${style.afterColon}[${json}]` };
}

/** Applies splices of the original line from the end, so earlier offsets stay valid; of two at one offset the wider goes first. */
function applySplices(line: string, splices: Splice[]): string {
  const ordered = [...splices].sort((a, b) => b.from - a.from || b.to - a.to);
  let out = line;
  for (const s of ordered) out = out.slice(0, s.from) + s.text + out.slice(s.to);
  return out;
}

function jsonValue(v: unknown, style: LineStyle): string {
  if (typeof v === 'string') return jsonString(v, style);
  if (Array.isArray(v)) return `[${v.map((x) => jsonValue(x, style)).join(`,${style.afterComma}`)}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v).map(([k, x]) => `${jsonString(k, style)}:${style.afterColon}${jsonValue(x, style)}`);
    return `{${entries.join(`,${style.afterComma}`)}}`;
  }
  return JSON.stringify(v);
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
