import { LabelSchema, type LabelType } from '../../common/labelSchema';
import type { TokenExample } from '../../common/workerProtocol';
import { codePointLength, codePointSlice } from '../dataset/jsonStringMap';
import type { BertTokenizer, TextTokens } from '../tokenization/bertTokenizer';
import { WordBoundary, type WordSegmenter } from '../tokenization/wordSegmenter';
import { IGNORED_LABEL, type BioScheme } from './bioScheme';
import { DEFAULT_WINDOW_OPTIONS, tokenWindows, type TokenWindow, type WindowOptions } from './tokenWindows';

/** A label as records hold it: code points, end exclusive; entity = display name or tag. */
export interface EntityLabel {
  entity: string;
  start: number;
  end: number;
}

/** A gold span with its type resolved through the schema. */
export interface GoldSpan {
  type: LabelType;
  start: number;
  end: number;
}

/** What is wrong with a label, as data: each reader words it for its own purpose (training, evaluation). */
export type EncodingProblemDetail =
  | { kind: 'unknown-type'; /** The display names of the types that do exist. */ knownTypes: string[] }
  | { kind: 'bad-offsets'; /** The text's length in code points. */ textLength: number }
  | { kind: 'overlap'; /** The earlier label it overlaps, which is kept. */ overlapped: EntityLabel }
  | { kind: 'token-boundary'; /** The tokens the span cuts through, as text. */ tokens: string[] };

export type EncodingProblemKind = EncodingProblemDetail['kind'];

/** A label that cannot be trained on as it is; the record is still used, this label is not (or only partly). */
export type EncodingProblem = EncodingProblemDetail & {
  label: EntityLabel;
  /** The problem in the words of training. */
  message: string;
};

/** A text's tokens cut into model inputs: what inference needs to map predictions back to spans. */
export interface EncodedText {
  text: string;
  tokens: TextTokens;
  windows: TokenWindow[];
  /** Per window: [CLS] tokens [SEP]. */
  inputIds: number[][];
  /** Per window, with a segmenter: where each of its tokens sits in a word (WordBoundary; none at [CLS] and [SEP]). */
  wordBoundaryIds?: number[][];
}

export interface EncodedEntityRecord extends EncodedText {
  /** One per window, in window order. */
  examples: TokenExample[];
  /** Every label whose type and offsets are usable, including those with overlap or token-boundary problems. */
  gold: GoldSpan[];
  problems: EncodingProblem[];
}

/**
 * A text as a model reads it: its tokens cut into windows, and with `segmenter` (a model that reads
 * word boundaries) where each token sits in a word.
 */
export function encodeText(
  tokenizer: BertTokenizer,
  text: string,
  windowOptions: WindowOptions = DEFAULT_WINDOW_OPTIONS,
  segmenter?: WordSegmenter,
): EncodedText {
  const tokens = tokenizer.tokenize(text);
  // Sentence starts first, then any token; within each, by the hash of the token ids around it. Only
  // texts longer than one window ask, so short records never look for sentences.
  let sentences: Set<number> | undefined;
  const rank = (t: number): number => {
    sentences ??= new Set(sentenceStarts(text, tokens));
    return (sentences.has(t) ? 0 : 2 ** 32) + neighbourHash(tokens.ids, t);
  };
  const windows = tokenWindows(tokens.ids.length, windowOptions, rank);
  const { cls, sep } = tokenizer.special;
  const inputIds = windows.map((w) => [cls, ...tokens.ids.slice(w.start, w.end), sep]);
  if (!segmenter) return { text, tokens, windows, inputIds };
  const boundaries = segmenter.tokenBoundaries(text, tokens);
  const wordBoundaryIds = windows.map((w) => [WordBoundary.none, ...boundaries.slice(w.start, w.end), WordBoundary.none]);
  return { text, tokens, windows, inputIds, wordBoundaryIds };
}

const SENTENCE_ENDS = new Set(['。', '！', '？', '；', '!', '?', ';']);

/** Tokens that begin a sentence: the previous token ends with 。！？； or a line break lies between them. */
export function sentenceStarts(text: string, tokens: TextTokens): number[] {
  const chars = Array.from(text);
  const starts: number[] = [];
  for (let j = 1; j < tokens.ids.length; j++) {
    let boundary = SENTENCE_ENDS.has(chars[tokens.ends[j - 1] - 1]);
    for (let c = tokens.ends[j - 1]; c < tokens.starts[j] && !boundary; c++) boundary = chars[c] === '\n';
    if (boundary) starts.push(j);
  }
  return starts;
}

/** FNV-1a over the token ids from two before to two after a position: the same wherever that text moves. */
function neighbourHash(ids: readonly number[], at: number): number {
  let h = 0x811c9dc5;
  for (let j = Math.max(0, at - 2); j < Math.min(ids.length, at + 3); j++) h = Math.imul(h ^ ids[j], 0x01000193);
  return h >>> 0;
}

/** A label for messages: its type, offsets and the text they cover. */
export const describeLabel = (l: EntityLabel, text: string): string =>
  `label ${l.entity} [${l.start}, ${l.end}) "${codePointSlice(text, Math.max(0, l.start), Math.max(0, l.end))}"`;

/** Resolves types and offsets; labels with an unknown type or unusable offsets become problems. */
function goldSpans(
  text: string,
  labels: readonly EntityLabel[],
  schema: LabelSchema,
  problems: EncodingProblem[],
): { gold: GoldSpan[]; sources: EntityLabel[] } {
  const length = codePointLength(text);
  const gold: GoldSpan[] = [];
  const sources: EntityLabel[] = [];
  for (const label of labels) {
    const type = schema.resolve(label.entity);
    if (!type) {
      const knownTypes = schema.types.map((t) => t.name);
      problems.push({
        kind: 'unknown-type',
        label,
        knownTypes,
        message: `${describeLabel(label, text)}: "${label.entity}" is not a type of the label schema (${knownTypes.join(', ')})`,
      });
    } else if (!Number.isInteger(label.start) || !Number.isInteger(label.end) || label.start < 0 || label.start >= label.end || label.end > length) {
      problems.push({
        kind: 'bad-offsets',
        label,
        textLength: length,
        message: `label ${label.entity} [${label.start}, ${label.end}): offsets outside the text's ${length} code points or reversed`,
      });
    } else {
      gold.push({ type, start: label.start, end: label.end });
      sources.push(label);
    }
  }
  return { gold, sources };
}

/**
 * Token label ids of a record. Each token gets the tag of the characters it covers: O outside every
 * label; B-TAG for the first token inside a label, I-TAG for the next ones; -100 (no loss) for a token
 * whose characters are not all in the same label or all outside (it straddles a boundary). A label that
 * overlaps an earlier one (by start, longer first) is not trained on: BIO cannot hold both.
 */
function tokenLabels(
  text: string,
  tokens: TextTokens,
  scheme: BioScheme,
  gold: readonly GoldSpan[],
  sources: readonly EntityLabel[],
  problems: EncodingProblem[],
): number[] {
  const owner = new Int32Array(codePointLength(text)).fill(-1);
  const order = gold.map((_, i) => i).sort((a, b) => gold[a].start - gold[b].start || gold[b].end - gold[a].end);
  const accepted: number[] = [];
  for (const i of order) {
    const g = gold[i];
    const clash = owner.subarray(g.start, g.end).find((o) => o >= 0);
    if (clash !== undefined) {
      problems.push({
        kind: 'overlap',
        label: sources[i],
        overlapped: sources[clash],
        message: `${describeLabel(sources[i], text)} overlaps ${describeLabel(sources[clash], text)}; BIO tags hold one label per character, so it is left out of training`,
      });
      continue;
    }
    owner.fill(i, g.start, g.end);
    accepted.push(i);
  }
  const labels: number[] = [];
  const begun = new Set<number>();
  const straddling = new Set<number>();
  for (let j = 0; j < tokens.ids.length; j++) {
    const s = tokens.starts[j];
    const e = tokens.ends[j];
    const first = owner[s];
    let same = true;
    for (let c = s + 1; c < e && same; c++) same = owner[c] === first;
    if (!same) {
      labels.push(IGNORED_LABEL);
      for (let c = s; c < e; c++) if (owner[c] >= 0) straddling.add(owner[c]);
    } else if (first < 0) {
      labels.push(0);
    } else {
      const typeIndex = scheme.types.indexOf(gold[first].type);
      labels.push(begun.has(first) ? scheme.insideId(typeIndex) : scheme.beginId(typeIndex));
      begun.add(first);
    }
  }
  // A label round-trips only when tokens start at its start and end at its end, none straddling it.
  for (const i of accepted) {
    const g = gold[i];
    const inside = tokens.starts.map((_, j) => j).filter((j) => tokens.starts[j] < g.end && tokens.ends[j] > g.start);
    const exact = inside.length > 0 && tokens.starts[inside[0]] === g.start && tokens.ends[inside[inside.length - 1]] === g.end;
    if (straddling.has(i) || !exact) {
      const pieces = inside.map((j) => codePointSlice(text, tokens.starts[j], tokens.ends[j]));
      problems.push({
        kind: 'token-boundary',
        label: sources[i],
        tokens: pieces,
        message: `${describeLabel(sources[i], text)} does not start and end at token boundaries (tokens ${JSON.stringify(pieces)}): a model predicts whole tokens, so it cannot find exactly this span`,
      });
    }
  }
  return labels;
}

/** A record's windows as TokenExamples (types resolved by display name or tag among the scheme's), its gold spans, and the labels that cannot be trained on as they are. */
export function encodeEntityRecord(
  tokenizer: BertTokenizer,
  scheme: BioScheme,
  record: { text: string; labels: readonly EntityLabel[] },
  windowOptions: WindowOptions = DEFAULT_WINDOW_OPTIONS,
  segmenter?: WordSegmenter,
): EncodedEntityRecord {
  const encoded = encodeText(tokenizer, record.text, windowOptions, segmenter);
  const problems: EncodingProblem[] = [];
  const { gold, sources } = goldSpans(record.text, record.labels, new LabelSchema(scheme.types), problems);
  const labels = tokenLabels(record.text, encoded.tokens, scheme, gold, sources, problems);
  const examples = encoded.windows.map((w, k) => ({
    inputIds: encoded.inputIds[k],
    labelIds: [IGNORED_LABEL, ...labels.slice(w.start, w.end), IGNORED_LABEL],
    ...(encoded.wordBoundaryIds ? { wordBoundaryIds: encoded.wordBoundaryIds[k] } : {}),
  }));
  return { ...encoded, examples, gold, problems };
}
