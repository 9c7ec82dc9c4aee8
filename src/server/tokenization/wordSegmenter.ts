import type { Tokenizer } from '@huggingface/tokenizers';
import { createHash } from 'node:crypto';
import { RecentCache } from '../dataset/recentCache';
import { parseTokenizerJson, readTokenizerText } from './tokenizerFolder';
import type { TextTokens } from './bertTokenizer';

/**
 * Where each token sits in a word, the small BiLSTM's extra input (`word_boundary_ids`): 0 for the
 * special tokens and padding, else whether the token begins, continues, ends or is a whole word.
 */
export const WordBoundary = { none: 0, begin: 1, middle: 2, end: 3, single: 4 } as const;
export type WordBoundaryId = (typeof WordBoundary)[keyof typeof WordBoundary];

/** The file in an entity model folder that holds the segmenter the model was trained with. */
export const WORD_SEGMENTER_FILE = 'word-segmenter.json';

/** GPT-2's byte-level alphabet: the character that stands for each byte in a byte-level BPE token. */
function byteLevelAlphabet(): Map<string, number> {
  const printable = (b: number): boolean => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const byChar = new Map<string, number>();
  let next = 256;
  for (let b = 0; b < 256; b++) byChar.set(String.fromCodePoint(printable(b) ? b : next++), b);
  return byChar;
}

/** Segmenters built, by the hash of their file's text. */
const loaded = new RecentCache<string, WordSegmenter>(4);

const isSpace = (char: string): boolean => /^\s$/u.test(char);

const utf8Length = (codePoint: number): number => (codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4);

/**
 * Words of a Chinese text as a byte-level BPE tokenizer cuts it (the shipped Qwen2 tokenizer: its
 * pieces are mostly whole words, learnt from a large corpus). A character model that knows where
 * words begin and end finds entity boundaries more often: CLUENER F1 from 450 records 0.379 -> 0.448,
 * from 1,000 0.500 -> 0.516 (bench/README.md). No Chinese word segmenter ships as an npm package with a
 * vocabulary we may ship, and the tokenizer library gives pieces without offsets, so the offsets are
 * counted here from the pieces' bytes.
 */
export class WordSegmenter {
  private readonly bytes = byteLevelAlphabet();

  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly file: string,
    /** The file's text, to copy into a trained model's folder unchanged. */
    readonly fileText: string,
  ) {}

  /**
   * Loads a byte-level BPE tokenizer.json (a Qwen2-family tokenizer's); throws TokenizerLoadError.
   * Every model folder trained with the shipped segmenter holds a copy of it: the same text is built
   * into a tokenizer once (about 0.4 s and tens of MB each).
   */
  static load(file: string): WordSegmenter {
    const text = readTokenizerText(file);
    const key = createHash('sha1').update(text).digest('base64');
    const known = loaded.get(key);
    if (known) return known;
    const segmenter = new WordSegmenter(parseTokenizerJson(file, text, 'BPE'), file, text);
    loaded.set(key, segmenter);
    return segmenter;
  }

  /** Per code point of `text`: begin, middle, end or single (a whole piece); none for white space. */
  characterBoundaries(text: string): Uint8Array {
    const chars = Array.from(text);
    const out = new Uint8Array(chars.length).fill(WordBoundary.single);
    // The tokenizer normalizes to NFC first. That mostly maps a character to one character (CJK
    // compatibility ideographs); where it changes the count, positions cannot be matched and every
    // character stays a word of its own.
    const normalized = Array.from(text.normalize('NFC'));
    if (normalized.length !== chars.length) return out;
    const pieces = this.tokenizer.tokenize(normalized.join(''), { add_special_tokens: false });
    let char = 0;
    let byteInChar = 0;
    for (const piece of pieces) {
      // The piece owns the characters whose first byte it holds.
      let start = byteInChar === 0 ? char : char + 1;
      for (const symbol of piece) {
        const count = this.bytes.has(symbol) ? 1 : utf8Length(symbol.codePointAt(0)!);
        for (let k = 0; k < count && char < normalized.length; k++) {
          byteInChar++;
          if (byteInChar === utf8Length(normalized[char].codePointAt(0)!)) {
            char++;
            byteInChar = 0;
          }
        }
      }
      let last = byteInChar > 0 ? char : char - 1;
      // A piece may hold the space before a word (" Apple") or the line break after it (".\n"): the word is without them.
      while (start < last && isSpace(normalized[start])) start++;
      while (last > start && isSpace(normalized[last])) last--;
      for (let c = start; c <= last; c++) {
        out[c] = last === start ? WordBoundary.single : c === start ? WordBoundary.begin : c === last ? WordBoundary.end : WordBoundary.middle;
      }
    }
    chars.forEach((c, i) => {
      if (isSpace(c)) out[i] = WordBoundary.none;
    });
    return out;
  }

  /**
   * Per token of `tokens` (code-point offsets into `text`): where it sits in the segmenter's words. A
   * token of several characters (digits, Latin word pieces) begins a word when its first character
   * does and ends one when its last does.
   */
  tokenBoundaries(text: string, tokens: TextTokens): WordBoundaryId[] {
    const chars = this.characterBoundaries(text);
    return tokens.starts.map((start, t) => {
      const end = tokens.ends[t];
      if (end - start === 1) return (chars[start] || WordBoundary.single) as WordBoundaryId;
      const first = chars[start];
      const last = chars[end - 1];
      const begins = first === WordBoundary.begin || first === WordBoundary.single || first === WordBoundary.none;
      const ends = last === WordBoundary.end || last === WordBoundary.single || last === WordBoundary.none;
      return begins && ends ? WordBoundary.single : begins ? WordBoundary.begin : ends ? WordBoundary.end : WordBoundary.middle;
    });
  }
}
