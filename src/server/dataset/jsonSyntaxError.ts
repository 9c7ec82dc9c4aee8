import { parse, type ParseError } from 'jsonc-parser';

export interface JsonSyntaxError {
  /** What is wrong and where on its line: `unexpected character "😀" (U+1F600) at column 1`. */
  message: string;
  /** UTF-16 index into the text where it is wrong, when known (for the line of a multi-line text). */
  offset?: number;
}

/**
 * JSON.parse's complaint about `text`, said so that a reader can find it. V8 quotes an unexpected
 * character by its first UTF-16 unit, which for a character outside the BMP (an emoji, 𠀋) is half
 * a surrogate pair and prints as '�', and it gives no position for it; its other messages count
 * positions in UTF-16 units from the start of the text. Here the character is quoted whole with its
 * code point, and the place is a 1-based column in characters (code points) on its line.
 */
export function jsonSyntaxError(text: string, err: Error): JsonSyntaxError {
  const v8 = err.message;
  const positioned = /^(.*?)(?: in JSON)? at position (\d+)/s.exec(v8);
  if (positioned) {
    const offset = Number(positioned[2]);
    const found = offset < text.length ? `, found ${describeCharacter(text, offset)}` : '';
    return { message: `${lowerFirst(positioned[1])} at column ${columnOf(text, offset)}${found}`, offset };
  }
  const token = /^Unexpected token '([\s\S]+?)', /.exec(v8);
  const parserOffset = firstParserError(text);
  if (token) {
    const offset = text.indexOf(token[1], parserOffset ?? 0);
    if (offset >= 0) return { message: `unexpected character ${describeCharacter(text, offset)} at column ${columnOf(text, offset)}`, offset };
  }
  return { message: lowerFirst(v8), ...(parserOffset !== undefined ? { offset: parserOffset } : {}) };
}

/** `"😀" (U+1F600)`: the whole character at a UTF-16 index and its code point. */
function describeCharacter(text: string, offset: number): string {
  const codePoint = text.codePointAt(offset)!;
  return `${JSON.stringify(String.fromCodePoint(codePoint))} (U+${codePoint.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** 1-based column, in code points, of a UTF-16 index on its line. */
function columnOf(text: string, offset: number): number {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  return Array.from(text.slice(lineStart, offset)).length + 1;
}

/** Where a strict JSON parser first stops: V8 does not say for an unexpected token, so its search starts here. */
function firstParserError(text: string): number | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false });
  return errors[0]?.offset;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
