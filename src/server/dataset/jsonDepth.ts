import { jsonSyntaxError } from './jsonSyntaxError';

/**
 * The deepest nesting of arrays and objects FinLabel reads in one JSON value. V8's JSON.parse takes
 * any depth, but what comes after it recurses once per level (jsonc-parser's tree, JSON.stringify,
 * structuredClone) and overflows the stack at about 3,000 levels, fewer inside a deep call: one such
 * line would stop the whole file. No real record comes near this.
 */
export const MAX_JSON_DEPTH = 512;

/** A JSON text read by JSON.parse with the depth limit: its value, or why not. */
export type JsonReading = { ok: true; value: unknown } | { ok: false; tooDeep: boolean; message: string };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/**
 * The offset of the first "[" or "{" in text[from, to) that opens a level deeper than MAX_JSON_DEPTH,
 * or undefined. Brackets inside strings do not count. One pass, no recursion, no allocation.
 */
export function tooDeepAt(text: string, from = 0, to = text.length): number | undefined {
  // Going that deep takes more than MAX_JSON_DEPTH opening brackets.
  if (to - from <= MAX_JSON_DEPTH) return undefined;
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = closingQuote(text, i, to);
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > MAX_JSON_DEPTH) return i;
    } else if ((c === CLOSE_BRACKET || c === CLOSE_BRACE) && depth > 0) depth--;
  }
  return undefined;
}

/**
 * The offset of the quote that closes the string opened at `open`, or `to` when none does before it.
 * indexOf, not a loop over every character: most of a record is the text of its strings.
 */
function closingQuote(text: string, open: number, to: number): number {
  for (let q = text.indexOf('"', open + 1); q >= 0 && q < to; q = text.indexOf('"', q + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return q;
  }
  return to;
}

/** What is wrong with a value nested too deep. */
export const TOO_DEEP = `nested more than ${MAX_JSON_DEPTH} levels deep`;

/** TOO_DEEP, and where in its line the level past the limit opens (`column` counts from 1). */
export function tooDeepMessage(column: number): string {
  return `${TOO_DEEP} (level ${MAX_JSON_DEPTH + 1} opens at column ${column})`;
}

/** JSON.parse that refuses a value nested deeper than MAX_JSON_DEPTH; `column` is text's first column in its line. */
export function readJson(text: string, column = 1): JsonReading {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // jsonSyntaxError asks jsonc-parser, which recurses: V8's own message for a text nested too deep for it.
    return { ok: false, tooDeep: false, message: tooDeepAt(text) === undefined ? jsonSyntaxError(text, err as Error).message : (err as Error).message };
  }
  const deep = tooDeepAt(text);
  if (deep !== undefined) return { ok: false, tooDeep: true, message: tooDeepMessage(column + deep) };
  return { ok: true, value };
}
