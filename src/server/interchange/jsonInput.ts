import { createScanner, SyntaxKind } from 'jsonc-parser';
import { readJson, tooDeepAt, tooDeepMessage } from '../dataset/jsonDepth';
import { jsonSyntaxError } from '../dataset/jsonSyntaxError';
import { splitLines } from '../dataset/jsonlLine';
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
    const reading = readJson(text);
    if (!reading.ok) {
      reporter.add(line, undefined, 'unreadable-record', `${reading.tooDeep ? '' : 'malformed JSON: '}${reading.message}; skipped`);
      return;
    }
    const { value } = reading;
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

/** A value of a JSON document: the line it starts on and its place in the top-level array (0 for a lone object). */
export interface DocumentItem {
  line: number;
  index: number;
  value: unknown;
}

/**
 * Parses a whole JSON document strictly and gives, for each element of its top-level array (or the
 * top-level object itself), the line it starts on. Undefined (reported) when it is not JSON. An
 * element nested deeper than MAX_JSON_DEPTH is reported and left out; the others are read.
 */
export function readJsonDocument(content: string, reporter: Reporter): { array: boolean; items: DocumentItem[] } | undefined {
  const text = stripBom(content);
  const locate = textLocator(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // jsonc-parser (behind jsonSyntaxError) recurses: not on a text nested too deep for it.
    const syntax = tooDeepAt(text) === undefined ? jsonSyntaxError(text, err as Error) : { message: (err as Error).message, offset: undefined };
    reporter.add(
      syntax.offset === undefined ? 1 : locate(syntax.offset).line,
      undefined,
      'unreadable-record',
      `not a JSON document: ${syntax.message}; nothing converted`,
    );
    return undefined;
  }
  if (!Array.isArray(value)) {
    const deep = tooDeepAt(text);
    if (deep !== undefined) {
      const at = locate(deep);
      reporter.add(at.line, undefined, 'unreadable-record', `the document is ${tooDeepMessage(at.column)}; nothing converted`);
      return undefined;
    }
    return { array: false, items: [{ line: locate(text.search(/\S/)).line, index: 0, value }] };
  }
  const starts = arrayElementStarts(text);
  const items: DocumentItem[] = [];
  starts.forEach((start, index) => {
    const deep = tooDeepAt(text, start, starts[index + 1] ?? text.length);
    if (deep === undefined) {
      items.push({ line: locate(start).line, index, value: value[index] });
      return;
    }
    const at = locate(deep);
    reporter.add(at.line, undefined, 'unreadable-record', `element ${index + 1} of the list is ${tooDeepMessage(at.column)}; skipped`);
  });
  return { array: true, items };
}

/** Where each element of the top-level array of a valid JSON text starts (a token scan, no recursion). */
function arrayElementStarts(text: string): number[] {
  const scanner = createScanner(text, true);
  const starts: number[] = [];
  let depth = 0;
  let expectElement = false;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    const opens = token === SyntaxKind.OpenBracketToken || token === SyntaxKind.OpenBraceToken;
    const closes = token === SyntaxKind.CloseBracketToken || token === SyntaxKind.CloseBraceToken;
    if (depth === 1 && expectElement && !closes) {
      starts.push(scanner.getTokenOffset());
      expectElement = false;
    }
    if (opens) expectElement = depth++ === 0;
    else if (closes) depth--;
    else if (token === SyntaxKind.CommaToken && depth === 1) expectElement = true;
  }
  return starts;
}

/** The 1-based line and column of an offset in text (lines end at "\n"). */
function textLocator(text: string): (offset: number) => { line: number; column: number } {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };
}
