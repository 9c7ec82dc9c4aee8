import { parseTree } from 'jsonc-parser';
import { splitLines } from '../dataset/jsonlLine';
import { jsonSyntaxError } from './jsonSyntaxError';
import type { Reporter } from './types';

/** A JSON object of the input and the 1-based line it starts on. */
export interface LocatedObject {
  line: number;
  value: Record<string, unknown>;
}

function stripBom(content: string): string {
  return content.startsWith('\uFEFF') ? content.slice(1) : content;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The objects of a JSON Lines file that have a string "text"; every other non-blank line is
 * reported as unreadable (with what JSON.parse found and where) and skipped.
 */
export function readJsonLines(content: string, reporter: Reporter): LocatedObject[] {
  const objects: LocatedObject[] = [];
  splitLines(stripBom(content)).forEach((text, i) => {
    const line = i + 1;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      reporter.add(line, undefined, 'unreadable-record', `malformed JSON: ${jsonSyntaxError(text, err as Error).message}; skipped`);
      return;
    }
    const problem = textProblem(value);
    if (problem) reporter.add(line, isObject(value) ? value.id : undefined, 'unreadable-record', `${problem}; skipped`);
    else objects.push({ line, value: value as Record<string, unknown> });
  });
  return objects;
}

/** Why a parsed value is not a record with a text, or undefined when it is one. */
export function textProblem(value: unknown, field = '"text"'): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  const text = value.text;
  if (text === undefined) return `no ${field} field`;
  if (typeof text !== 'string') return `${field} is not a string`;
  return undefined;
}

/**
 * Parses a whole JSON document strictly and gives, for each element of its top-level array (or the
 * top-level object itself), the line it starts on. Undefined (reported) when it is not JSON.
 */
export function readJsonDocument(content: string, reporter: Reporter): { array: boolean; items: { line: number; value: unknown }[] } | undefined {
  const text = stripBom(content);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const syntax = jsonSyntaxError(text, err as Error);
    reporter.add(syntax.offset === undefined ? 1 : lineOf(syntax.offset), undefined, 'unreadable-record', `not a JSON document: ${syntax.message}; nothing converted`);
    return undefined;
  }
  // JSON.parse has the values; the tree has where each starts.
  const root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  if (!root) {
    reporter.add(1, undefined, 'unreadable-record', 'not a JSON document: empty; nothing converted');
    return undefined;
  }
  if (Array.isArray(value)) return { array: true, items: (root.children ?? []).map((child, i) => ({ line: lineOf(child.offset), value: value[i] })) };
  return { array: false, items: [{ line: lineOf(root.offset), value }] };
}
