import type { Node } from 'jsonc-parser';
import type { LabelEditResult, TextEdit } from '../../common/lspProtocol';
import { lastPropertyValue, type ParsedLine } from './jsonlLine';

/**
 * The edit that settles a disagreement between two annotators of a record: the labels kept become
 * the record's agreed labels (their "annotator" property is dropped) and the others are deleted. One
 * TextEdit over the changed characters only; the kept labels' other keys, the labels not named, and
 * the rest of the line stay byte for byte.
 */
export function adjudicateLabelsEdit(lineText: string, parsed: ParsedLine, line: number, keep: readonly number[], remove: readonly number[]): LabelEditResult {
  if (parsed.kind !== 'record') return { ok: false, message: `Line ${line + 1} is not a valid JSON record; fix it first.` };
  const array = parsed.labelsNode;
  if (!array || array.type !== 'array') return { ok: false, message: `Line ${line + 1} has no "labels" array.` };
  const elements = array.children ?? [];
  const named = [...keep, ...remove];
  const bad = named.find((i) => !Number.isInteger(i) || i < 0 || i >= elements.length);
  if (bad !== undefined) return { ok: false, message: `Line ${line + 1} has no label ${bad + 1} (it has ${elements.length}).` };
  if (new Set(named).size !== named.length) return { ok: false, message: 'A label cannot be both kept and removed, or named twice.' };
  if (named.length === 0) return { ok: false, message: 'Nothing to keep or remove.' };
  const notObject = keep.find((i) => elements[i].type !== 'object');
  if (notObject !== undefined) return { ok: false, message: `Line ${line + 1}: label ${notObject + 1} is not an object; fix it by hand.` };

  const removed = new Set(remove);
  const kept = new Set(keep);
  const arrayText = spliceChildren(
    lineText,
    array,
    (i) => removed.has(i),
    (i, element) => (kept.has(i) ? withoutProperty(lineText, element, 'annotator') : nodeText(lineText, element)),
  );
  const newLine = lineText.slice(0, array.offset) + arrayText + lineText.slice(array.offset + array.length);
  const what = [keep.length > 0 ? `keep ${count(keep.length)}` : '', remove.length > 0 ? `remove ${count(remove.length)}` : ''].filter(Boolean).join(', ');
  return { ok: true, edit: minimalEdit(lineText, newLine, line), description: `Adjudicate: ${what}` };
}

function count(n: number): string {
  return n === 1 ? '1 label' : `${n} labels`;
}

function nodeText(line: string, node: Node): string {
  return line.slice(node.offset, node.offset + node.length);
}

/** The object's text without its (last) property `key`, and one separating comma; unchanged when it has none. */
function withoutProperty(line: string, object: Node, key: string): string {
  const value = lastPropertyValue(object, key);
  if (!value) return nodeText(line, object);
  const property = value.parent;
  return spliceChildren(
    line,
    object,
    (_, child) => child === property,
    (_, child) => nodeText(line, child),
  );
}

/**
 * The text of an array or object node with some children dropped: the children kept (as `text`
 * writes them) keep the separators that followed them, the leading and trailing whitespace stays,
 * and dropping every child leaves `[]` / `{}`.
 */
function spliceChildren(line: string, node: Node, drop: (i: number, child: Node) => boolean, text: (i: number, child: Node) => string): string {
  const children = node.children ?? [];
  const start = node.offset;
  const end = node.offset + node.length;
  const kept = children.map((_, i) => i).filter((i) => !drop(i, children[i]));
  if (kept.length === 0) return line.slice(start, start + 1) + line.slice(end - 1, end);
  const endOf = (c: Node): number => c.offset + c.length;
  let out = line.slice(start, children[0].offset);
  kept.forEach((i, k) => {
    if (k > 0) {
      const previous = kept[k - 1];
      out += line.slice(endOf(children[previous]), children[previous + 1].offset);
    }
    out += text(i, children[i]);
  });
  return out + line.slice(endOf(children[children.length - 1]), end);
}

/** One TextEdit turning `before` into `after`: only the span between their common prefix and suffix, never splitting a surrogate pair. */
export function minimalEdit(before: string, after: string, line: number): TextEdit {
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHigh(before.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  if (suffix > 0 && isLow(before.charCodeAt(before.length - suffix))) suffix--;
  return {
    range: { start: { line, character: prefix }, end: { line, character: before.length - suffix } },
    newText: after.slice(prefix, after.length - suffix),
  };
}

function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
