import { preTokenize, type BertNormalizerOptions, type PreToken } from './bertPreTokenizer';
import { TOKENIZER_CONFIG_FILE, TOKENIZER_FILE, TokenizerLoadError, type LoadedTokenizer } from './tokenizerFolder';
import * as path from 'node:path';

/** Tokens of a text without special tokens, each with the code points it covers (end exclusive). */
export interface TextTokens {
  ids: number[];
  starts: number[];
  ends: number[];
}

/** The ids of the special tokens a BERT input is framed with. */
export interface BertSpecialIds {
  cls: number;
  sep: number;
  pad: number;
  unk: number;
}

/** A word's WordPiece pieces: ids and lengths in normalized characters; 'unk' when the word is [UNK] as a whole. */
type WordPieces = { ids: number[]; lengths: number[] } | 'unk';
/** Distinct words remembered (a bound on memory for text with endless distinct words). */
const MAX_CACHED_WORDS = 200_000;

function flag(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

/**
 * A WordPiece (BERT-family) tokenizer with code-point offsets: our pre-tokenizer (bertPreTokenizer.ts)
 * and the library's WordPiece model and vocabulary.
 */
export class BertTokenizer {
  readonly special: BertSpecialIds;
  private readonly options: BertNormalizerOptions;
  private readonly literalSpecials: Map<string, number>;
  private readonly prefix: string;
  /** WordPiece's split of each word seen (a word splits the same way wherever it occurs). */
  private readonly pieceCache = new Map<string, WordPieces>();

  private constructor(private readonly loaded: LoadedTokenizer) {
    const jsonFile = path.join(loaded.dir, TOKENIZER_FILE);
    const { json, config, tokenizer } = loaded;
    if (json.model.type !== 'WordPiece')
      throw new TokenizerLoadError(jsonFile, `the entity model needs a WordPiece (BERT) tokenizer, this one is ${json.model.type}`);
    const normalizer = json.normalizer;
    if (!normalizer || normalizer.type !== 'BertNormalizer') {
      throw new TokenizerLoadError(jsonFile, `"normalizer" must be a BertNormalizer (found ${normalizer ? normalizer.type : 'none'})`);
    }
    if (json.pre_tokenizer?.type !== 'BertPreTokenizer') {
      throw new TokenizerLoadError(jsonFile, `"pre_tokenizer" must be a BertPreTokenizer (found ${json.pre_tokenizer?.type ?? 'none'})`);
    }
    this.options = {
      cleanText: flag(normalizer.clean_text, true),
      handleChineseChars: flag(normalizer.handle_chinese_chars, true),
      stripAccents: typeof normalizer.strip_accents === 'boolean' ? normalizer.strip_accents : null,
      lowercase: flag(normalizer.lowercase, true),
    };
    this.prefix = json.model.continuing_subword_prefix ?? '##';
    const idOf = (key: string, fallback: string): number => {
      const token = typeof config[key] === 'string' ? (config[key] as string) : fallback;
      const id = tokenizer.token_to_id(token);
      if (id === undefined)
        throw new TokenizerLoadError(path.join(loaded.dir, TOKENIZER_CONFIG_FILE), `${key} "${token}" is not in the vocabulary of ${TOKENIZER_FILE}`);
      return id;
    };
    this.special = { cls: idOf('cls_token', '[CLS]'), sep: idOf('sep_token', '[SEP]'), pad: idOf('pad_token', '[PAD]'), unk: idOf('unk_token', '[UNK]') };
    this.literalSpecials = new Map((json.added_tokens ?? []).filter((t) => !t.normalized).map((t) => [t.content, t.id]));
  }

  /** Checks that the loaded tokenizer is a BERT WordPiece one; throws TokenizerLoadError naming the file otherwise. */
  static from(loaded: LoadedTokenizer): BertTokenizer {
    return new BertTokenizer(loaded);
  }

  get files(): LoadedTokenizer['files'] {
    return this.loaded.files;
  }

  /** The text's tokens, without [CLS]/[SEP]. */
  tokenize(text: string): TextTokens {
    const out: TextTokens = { ids: [], starts: [], ends: [] };
    for (const piece of preTokenize(text, this.options, this.literalSpecials)) {
      if (piece.kind === 'special') {
        out.ids.push(piece.token.id);
        out.starts.push(piece.token.start);
        out.ends.push(piece.token.end);
      } else {
        this.wordPieces(piece.word, out);
      }
    }
    return out;
  }

  /** [CLS] tokens [SEP], the special tokens covering (0, 0) as in Python's offset mapping. */
  encode(text: string): TextTokens {
    const t = this.tokenize(text);
    return { ids: [this.special.cls, ...t.ids, this.special.sep], starts: [0, ...t.starts, 0], ends: [0, ...t.ends, 0] };
  }

  private wordPieces(word: PreToken, out: TextTokens): void {
    const text = word.chars.join('');
    let pieces = this.pieceCache.get(text);
    if (!pieces) {
      pieces = this.splitWord(text, word.chars.length);
      if (this.pieceCache.size >= MAX_CACHED_WORDS) this.pieceCache.clear();
      this.pieceCache.set(text, pieces);
    }
    const first = word.origin[0];
    const last = word.origin[word.origin.length - 1] + 1;
    if (pieces === 'unk') {
      out.ids.push(this.special.unk);
      out.starts.push(first);
      out.ends.push(last);
      return;
    }
    let k = 0;
    for (let i = 0; i < pieces.ids.length; i++) {
      const length = pieces.lengths[i];
      out.ids.push(pieces.ids[i]);
      out.starts.push(word.origin[k]);
      out.ends.push(word.origin[k + length - 1] + 1);
      k += length;
    }
  }

  /** The WordPiece pieces of one word (their ids and lengths in characters), or 'unk'. */
  private splitWord(text: string, chars: number): WordPieces {
    const model = this.loaded.tokenizer.model!;
    const pieces = model([text]);
    if (pieces.length === 1 && pieces[0] === model.unk_token) return 'unk';
    const out = { ids: [] as number[], lengths: [] as number[] };
    let k = 0;
    pieces.forEach((piece, i) => {
      const surface = i > 0 && piece.startsWith(this.prefix) ? piece.slice(this.prefix.length) : piece;
      const length = Array.from(surface).length;
      out.ids.push(this.loaded.tokenizer.token_to_id(piece)!);
      out.lengths.push(length);
      k += length;
    });
    if (k !== chars) throw new Error(`WordPiece pieces ${JSON.stringify(pieces)} do not spell the word "${text}"`);
    return out;
  }
}
