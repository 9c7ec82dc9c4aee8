import type { TextTokens } from '../tokenization/bertTokenizer';

/** A token starts at this UTF-16 offset of the text. */
export const TOKEN_START = 1;
/** A token ends at this UTF-16 offset of the text (end exclusive). */
export const TOKEN_END = 2;

/** What string matching needs of a tokenizer (BertTokenizer): tokens with code-point offsets. */
export interface Tokenizes {
  tokenize(text: string): TextTokens;
}

/**
 * units[i] = the UTF-16 offset where code point i of `text` begins; units[n] = text.length (n code
 * points). A lone surrogate is one code point, as in Python and Array.from.
 */
export function codePointUnits(text: string): Int32Array {
  const units = new Int32Array(text.length + 1);
  let cp = 0;
  for (let u = 0; u < text.length; cp++) {
    units[cp] = u;
    const c = text.charCodeAt(u);
    const pair = c >= 0xd800 && c <= 0xdbff && u + 1 < text.length && (text.charCodeAt(u + 1) & 0xfc00) === 0xdc00;
    u += pair ? 2 : 1;
  }
  units[cp] = text.length;
  return units.subarray(0, cp + 1);
}

/** The inverse of codePointUnits: cps[u] = the code point at (or, inside a pair, holding) UTF-16 offset u. */
export function unitCodePoints(text: string): Int32Array {
  const units = codePointUnits(text);
  const cps = new Int32Array(text.length + 1);
  for (let cp = 0; cp + 1 < units.length; cp++) cps.fill(cp, units[cp], units[cp + 1]);
  cps[text.length] = units.length - 1;
  return cps;
}

/**
 * Where the tokenizer's tokens start and end in `text`, per UTF-16 offset (0 to text.length), as
 * TOKEN_START / TOKEN_END flags: string matching walks UTF-16 units and asks these flags, so a match
 * can only start where a token starts and end where one ends ("5万元" is not found inside "15万元",
 * whose first token is "15").
 */
export function tokenBoundaries(tokenizer: Tokenizes, text: string): Uint8Array {
  const tokens = tokenizer.tokenize(text);
  const units = codePointUnits(text);
  const flags = new Uint8Array(text.length + 1);
  for (let t = 0; t < tokens.starts.length; t++) {
    const start = tokens.starts[t];
    const end = tokens.ends[t];
    if (end <= start || end > units.length - 1) continue;
    flags[units[start]] |= TOKEN_START;
    flags[units[end]] |= TOKEN_END;
  }
  return flags;
}
