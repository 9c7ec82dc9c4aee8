import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { LabelType } from '../../common/labelSchema';
import { CALIBRATION_KEY, readCalibration, type EntityCalibration } from '../calibration/entityCalibration';
import { BioScheme } from '../entities/bioScheme';
import type { CrfScores } from '../entities/linearChainCrf';
import type { SpanShape, SpanShapes } from '../entities/spanShapes';
import { DEFAULT_WINDOW_OPTIONS, windowOptionsProblem, type WindowOptions } from '../entities/tokenWindows';
import { BertTokenizer } from '../tokenization/bertTokenizer';
import { loadTokenizerFolder, TOKENIZER_CONFIG_FILE, TOKENIZER_FILE, TokenizerLoadError } from '../tokenization/tokenizerFolder';
import { WORD_SEGMENTER_FILE, WordSegmenter } from '../tokenization/wordSegmenter';

export const ONNX_FILE = 'model.onnx';
export const INT8_FILE = 'model.int8.onnx';
export const LABELS_FILE = 'labels.json';
export const CARD_FILE = 'card.json';
/** Transition scores of a model trained with a CRF over its tags (the small BiLSTM); absent for the others. */
export const CRF_FILE = 'crf.json';

/**
 * Which of a folder's graphs to serve: model.onnx (fp32), model.int8.onnx, or 'auto': the int8 graph
 * when the folder has one (training writes it only when asked, with its agreement with fp32 in the
 * card), else model.onnx.
 */
export type ModelPrecision = 'auto' | 'fp32' | 'int8';
export const MODEL_PRECISIONS: readonly ModelPrecision[] = ['auto', 'fp32', 'int8'];

/** A folder that is not a usable entity model; the message names the folder and what is missing or wrong. */
export class EntityModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntityModelError';
  }
}

/** An entity model folder as the worker writes it, checked and with its tokenizer loaded. */
export interface EntityModelFolder {
  dir: string;
  /** What to call the model in messages and hovers: the card's name, else the folder's name. */
  name: string;
  onnxFile: string;
  /** model.int8.onnx when the folder has one. */
  int8File: string | undefined;
  tokenizer: BertTokenizer;
  scheme: BioScheme;
  /** Per tag, the shortest span the model was trained on (labels.json); shorter decoded spans are left out. */
  spanShapes: SpanShapes;
  /** Window length and overlap the model was trained with (card.json), else DEFAULT_WINDOW_OPTIONS (512 / 64). */
  windows: WindowOptions;
  /** The card's "calibration" (confidences, threshold, out-of-depth statistics); absent: uncalibrated (raw span scores, threshold 0). */
  calibration: EntityCalibration | undefined;
  /** crf.json's transition scores, which decoding adds to the graph's token scores; absent: tokens decode alone. */
  crf: CrfScores | undefined;
  /** word-segmenter.json, for a model that reads where words begin and end (its graph's word_boundary_ids); absent for the others. */
  segmenter: WordSegmenter | undefined;
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new EntityModelError(`${file}: cannot read the ${what}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch (err) {
    throw new EntityModelError(`${file}: the ${what} is not valid JSON (${(err as Error).message})`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * labels.json: `bio` must be O then B-/I- of each type in `types`, in order (BioScheme's ids); a type's
 * optional `shortestSpan` is the fewest code points its spans had in training and `numeralInEverySpan`
 * says each held a numeral (spanShapes.ts).
 */
function readLabels(file: string): { scheme: BioScheme; spanShapes: SpanShapes } {
  const value = readJson(file, 'label list');
  if (!isRecord(value) || !Array.isArray(value.bio) || !Array.isArray(value.types)) {
    throw new EntityModelError(`${file}: expected {"bio": ["O", "B-TAG", "I-TAG", ...], "types": [{"name", "tag", "color"}, ...]}`);
  }
  const types: LabelType[] = value.types.map((t, i) => {
    if (!isRecord(t) || typeof t.name !== 'string' || typeof t.tag !== 'string')
      throw new EntityModelError(`${file}: types[${i}] needs a string "name" and "tag"`);
    return { name: t.name, tag: t.tag, color: typeof t.color === 'string' ? t.color : '#9e9e9e', description: '' };
  });
  const scheme = new BioScheme(types);
  if (JSON.stringify(value.bio) !== JSON.stringify(scheme.names)) {
    throw new EntityModelError(`${file}: "bio" ${JSON.stringify(value.bio)} does not match its "types" (expected ${JSON.stringify(scheme.names)})`);
  }
  const spanShapes = new Map<string, SpanShape>();
  value.types.forEach((t, i) => {
    const { shortestSpan: n, numeralInEverySpan: numeral } = t as Record<string, unknown>;
    if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 1))
      throw new EntityModelError(`${file}: types[${i}].shortestSpan must be a whole number of at least 1, not ${JSON.stringify(n)}`);
    if (numeral !== undefined && typeof numeral !== 'boolean')
      throw new EntityModelError(`${file}: types[${i}].numeralInEverySpan must be true or false, not ${JSON.stringify(numeral)}`);
    if (n === undefined && numeral === undefined) return;
    spanShapes.set(types[i].tag, { shortest: (n as number | undefined) ?? 1, numeral: numeral === true });
  });
  return { scheme, spanShapes };
}

/** crf.json: `bio` as labels.json lists it, then `start`, `end` ([labels]) and `transitions` ([labels][labels], row = previous tag). */
function readCrf(file: string, scheme: BioScheme): CrfScores | undefined {
  if (!existsSync(file)) return undefined;
  const value = readJson(file, 'transition scores');
  const labels = scheme.names.length;
  const shape = `expected {"bio": ${JSON.stringify(scheme.names)}, "start": [${labels} numbers], "end": [${labels} numbers], "transitions": [${labels} rows of ${labels} numbers]}`;
  if (!isRecord(value)) throw new EntityModelError(`${file}: ${shape}`);
  if (JSON.stringify(value.bio) !== JSON.stringify(scheme.names))
    throw new EntityModelError(
      `${file}: "bio" ${JSON.stringify(value.bio)} is not the label list of ${LABELS_FILE} (${JSON.stringify(scheme.names)}); the folder mixes two models`,
    );
  const numbers = (v: unknown, where: string): Float64Array => {
    if (!Array.isArray(v) || v.length !== labels || !v.every((x) => typeof x === 'number' && Number.isFinite(x)))
      throw new EntityModelError(`${file}: "${where}" must hold ${labels} finite numbers; ${shape}`);
    return Float64Array.from(v as number[]);
  };
  const rows = value.transitions;
  if (!Array.isArray(rows) || rows.length !== labels) throw new EntityModelError(`${file}: "transitions" must hold ${labels} rows; ${shape}`);
  const transitions = new Float64Array(labels * labels);
  rows.forEach((row, i) => transitions.set(numbers(row, `transitions[${i}]`), i * labels));
  return { labels, start: numbers(value.start, 'start'), end: numbers(value.end, 'end'), transitions };
}

interface CardFields {
  name?: string;
  windows?: WindowOptions;
  calibration?: EntityCalibration;
}

function readCard(file: string): CardFields {
  if (!existsSync(file)) return {};
  const card = readJson(file, 'model card');
  if (!isRecord(card)) return {};
  const out: CardFields = {};
  if (card[CALIBRATION_KEY] !== undefined) {
    const read = readCalibration(card[CALIBRATION_KEY]);
    if (!read.ok)
      throw new EntityModelError(`${file}: "${CALIBRATION_KEY}": ${read.message} (delete the key to use the model uncalibrated, or calibrate it again)`);
    out.calibration = read.calibration;
  }
  if (typeof card.name === 'string' && card.name.trim() !== '') out.name = card.name;
  const w = card.windows;
  if (isRecord(w) && typeof w.maxLength === 'number' && typeof w.overlap === 'number') {
    const windows = { maxLength: w.maxLength, overlap: w.overlap };
    const problem = windowOptionsProblem(windows);
    if (problem) throw new EntityModelError(`${file}: "windows": ${problem}`);
    out.windows = windows;
  }
  return out;
}

/**
 * Checks an entity model folder and loads its tokenizer and labels. Throws EntityModelError saying
 * which file is missing or wrong. The ONNX graph's inputs are checked when its session is created.
 */
export function loadEntityModelFolder(dir: string): EntityModelFolder {
  const abs = path.resolve(dir);
  if (!existsSync(abs)) throw new EntityModelError(`${abs}: the entity model folder does not exist`);
  if (!statSync(abs).isDirectory())
    throw new EntityModelError(
      `${abs}: is a file; an entity model is a folder holding ${ONNX_FILE}, ${TOKENIZER_FILE}, ${TOKENIZER_CONFIG_FILE} and ${LABELS_FILE}`,
    );
  const missing = [ONNX_FILE, TOKENIZER_FILE, TOKENIZER_CONFIG_FILE, LABELS_FILE].filter((f) => !existsSync(path.join(abs, f)));
  if (missing.length > 0) {
    throw new EntityModelError(
      `${abs}: not an entity model folder: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing (a trained model folder holds ${ONNX_FILE}, ${TOKENIZER_FILE}, ${TOKENIZER_CONFIG_FILE} and ${LABELS_FILE})`,
    );
  }
  let tokenizer: BertTokenizer;
  try {
    tokenizer = BertTokenizer.from(loadTokenizerFolder(abs));
  } catch (err) {
    if (err instanceof TokenizerLoadError) throw new EntityModelError(err.message);
    throw err;
  }
  const { scheme, spanShapes } = readLabels(path.join(abs, LABELS_FILE));
  const card = readCard(path.join(abs, CARD_FILE));
  const int8 = path.join(abs, INT8_FILE);
  const segmenterFile = path.join(abs, WORD_SEGMENTER_FILE);
  let segmenter: WordSegmenter | undefined;
  try {
    segmenter = existsSync(segmenterFile) ? WordSegmenter.load(segmenterFile) : undefined;
  } catch (err) {
    if (err instanceof TokenizerLoadError) throw new EntityModelError(`${err.message} (the word segmenter the model was trained with)`);
    throw err;
  }
  return {
    dir: abs,
    name: card.name ?? path.basename(abs),
    onnxFile: path.join(abs, ONNX_FILE),
    int8File: existsSync(int8) ? int8 : undefined,
    tokenizer,
    scheme,
    spanShapes,
    windows: card.windows ?? DEFAULT_WINDOW_OPTIONS,
    calibration: card.calibration,
    crf: readCrf(path.join(abs, CRF_FILE), scheme),
    segmenter,
  };
}

/** The ONNX file a precision picks in a folder; int8 asked for but missing is an error. */
export function onnxFileFor(model: EntityModelFolder, precision: ModelPrecision): string {
  if (precision === 'fp32') return model.onnxFile;
  if (model.int8File) return model.int8File;
  if (precision === 'auto') return model.onnxFile;
  throw new EntityModelError(`${model.dir}: has no ${INT8_FILE} (train with quantization on, or use the fp32 ${ONNX_FILE})`);
}
