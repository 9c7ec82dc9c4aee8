/**
 * BERT's normalizer and pre-tokenizer (Hugging Face tokenizers' BertNormalizer + BertPreTokenizer),
 * re-done per code point so that every normalized character knows which character of the original
 * text it came from: the library gives tokens, not offsets.
 *
 * It follows the Rust implementation the Python fast tokenizer runs, not the JS library's copy: the
 * JS copy tests "Chinese characters" per UTF-16 unit, so CJK Extension B (𠀋 U+2000B) is not split
 * off and "😀𠀋" becomes one [UNK] where Python makes two. Here both characters are pre-tokens of
 * their own, as in Python. Order as in Rust: clean text, isolate Chinese characters, strip accents
 * (NFD, drop non-spacing marks), lowercase (per character, no context).
 */

export interface BertNormalizerOptions {
  cleanText: boolean;
  handleChineseChars: boolean;
  /** null: follows lowercase (the library's default). */
  stripAccents: boolean | null;
  lowercase: boolean;
}

/** A word BERT's WordPiece model is run on, with where each of its characters came from. */
export interface PreToken {
  /** Normalized characters (code points). */
  chars: string[];
  /** origin[k] = code-point index in the original text of chars[k]. */
  origin: number[];
}

/** A special token written literally in the text ("[SEP]"), matched before normalization as Python does. */
export interface LiteralSpecialToken {
  id: number;
  start: number;
  end: number;
}

export type PreTokenPiece = { kind: 'word'; word: PreToken } | { kind: 'special'; token: LiteralSpecialToken };

const CONTROL = /^\p{C}$/u;
const WHITESPACE = /^\p{White_Space}$/u;
const PUNCTUATION = /^[\p{P}\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/u;
const NON_SPACING_MARK = /\p{Mn}/gu;

/** The Rust tokenizers' is_chinese_char: CJK Unified Ideographs and their extensions, compatibility ideographs. */
export function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

function isControl(ch: string): boolean {
  return ch !== '\t' && ch !== '\n' && ch !== '\r' && CONTROL.test(ch);
}

/**
 * normalizeChar's results per options object (a tokenizer keeps one): the normalization of a character
 * depends on nothing else, and a dataset repeats a few thousand characters millions of times.
 */
const normalizedChars = new WeakMap<BertNormalizerOptions, Map<string, readonly string[]>>();
/** Distinct characters remembered per options object (a bound on memory for adversarial text). */
const MAX_MEMO_CHARS = 100_000;

function memoOf(options: BertNormalizerOptions): Map<string, readonly string[]> {
  let memo = normalizedChars.get(options);
  if (!memo) {
    memo = new Map();
    normalizedChars.set(options, memo);
  }
  return memo;
}

/** The normalized characters one original character becomes ('' when it is dropped). */
function normalizeChar(ch: string, options: BertNormalizerOptions): string[] {
  const cp = ch.codePointAt(0)!;
  if (options.cleanText) {
    if (cp === 0 || cp === 0xfffd || isControl(ch)) return [];
    if (ch === '\t' || ch === '\n' || ch === '\r' || WHITESPACE.test(ch)) return [' '];
  }
  let out = ch;
  if (options.stripAccents ?? options.lowercase) out = out.normalize('NFD').replace(NON_SPACING_MARK, '');
  if (options.lowercase) out = Array.from(out, (c) => c.toLowerCase()).join('');
  return Array.from(out);
}

function splitWords(chars: readonly string[], origin: readonly number[], handleChineseChars: boolean): PreToken[] {
  const words: PreToken[] = [];
  let current: PreToken | undefined;
  const flush = (): void => {
    if (current) words.push(current);
    current = undefined;
  };
  for (let k = 0; k < chars.length; k++) {
    const ch = chars[k];
    if (WHITESPACE.test(ch)) {
      flush();
    } else if (PUNCTUATION.test(ch) || (handleChineseChars && isChineseChar(ch.codePointAt(0)!))) {
      flush();
      words.push({ chars: [ch], origin: [origin[k]] });
    } else {
      current ??= { chars: [], origin: [] };
      current.chars.push(ch);
      current.origin.push(origin[k]);
    }
  }
  flush();
  return words;
}

/** Normalizes and pre-tokenizes a run of text whose first code point is at `offset` in the whole text. */
function preTokenizeRun(codePoints: readonly string[], offset: number, options: BertNormalizerOptions): PreToken[] {
  const chars: string[] = [];
  const origin: number[] = [];
  const memo = memoOf(options);
  codePoints.forEach((ch, i) => {
    let normalized = memo.get(ch);
    if (!normalized) {
      normalized = normalizeChar(ch, options);
      if (memo.size >= MAX_MEMO_CHARS) memo.clear();
      memo.set(ch, normalized);
    }
    for (const n of normalized) {
      chars.push(n);
      origin.push(offset + i);
    }
  });
  return splitWords(chars, origin, options.handleChineseChars);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Splits a text into WordPiece words and literal special tokens, in order. `specials` are the
 * tokenizer's added tokens that match the raw text (normalized: false), longest first.
 */
export function preTokenize(text: string, options: BertNormalizerOptions, specials: ReadonlyMap<string, number> = new Map()): PreTokenPiece[] {
  const codePoints = Array.from(text);
  if (specials.size === 0) return preTokenizeRun(codePoints, 0, options).map((word) => ({ kind: 'word', word }));
  const pattern = new RegExp(
    [...specials.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'gu',
  );
  const pieces: PreTokenPiece[] = [];
  let cpPos = 0;
  let utf16Pos = 0;
  const toCodePoint = (utf16: number): number => {
    cpPos += Array.from(text.slice(utf16Pos, utf16)).length;
    utf16Pos = utf16;
    return cpPos;
  };
  let runStart = 0;
  for (const match of text.matchAll(pattern)) {
    const start = toCodePoint(match.index);
    const end = start + Array.from(match[0]).length;
    for (const word of preTokenizeRun(codePoints.slice(runStart, start), runStart, options)) pieces.push({ kind: 'word', word });
    pieces.push({ kind: 'special', token: { id: specials.get(match[0])!, start, end } });
    runStart = end;
  }
  for (const word of preTokenizeRun(codePoints.slice(runStart), runStart, options)) pieces.push({ kind: 'word', word });
  return pieces;
}
