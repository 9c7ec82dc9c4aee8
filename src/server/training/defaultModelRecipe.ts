/**
 * The recipe of the shipped default entity model (models/default-entities): which generated data it is
 * trained and tested on, the model's shape and the training settings, and which files of the trained
 * folder ship. `npm run train-default-model` (bench/trainDefaultModel.ts) carries it out.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { TinyBaseModel, TrainHyperparameters } from '../../common/workerProtocol';
import type { WindowOptions } from '../entities/tokenWindows';
import { codePointLength, codePointSlice } from '../dataset/jsonStringMap';
import { INT8_FILE } from '../inference/entityModelFolder';
import { generateContracts } from '../samples/contracts';
import { deriveSeed, Rng } from '../util/prng';
import { generateJudgments } from '../samples/judgments';
import { generateRecords, type RecordCounts, type SampleRecord } from '../samples/records';

/** The shipped folder may hold at most this many bytes: it travels in every VSIX and is loaded on every laptop. */
export const DEFAULT_MODEL_MAX_BYTES = 20 * 1000 * 1000;

export interface DefaultModelRecipe {
  seed: number;
  /** Generated training data: court-judgment fact paragraphs and the due-diligence/contract records. */
  train: { judgments: number; records: RecordCounts };
  /** Generated records that pick the best epoch (with the real calibration paragraphs, when present). */
  dev: { judgments: number; records: RecordCounts };
  /** Generated records from other streams of the generators, never trained on. */
  heldOut: { judgments: number; records: RecordCounts };
  /**
   * Real court-judgment paragraphs (../shared, not in the repository), when present: split by a hash of
   * their ids into thirds: `train` (repeated `oversample` times in the training data), `calibration`
   * (best epoch, calibration and threshold) and `test` (figures only, never seen).
   */
  real: { file: string; oversample: number };
  base: TinyBaseModel;
  /** Window length the model trains and predicts with (card.json), and the overlap of long texts' windows. */
  windows: WindowOptions;
  hyper: TrainHyperparameters;
}

/** Scales the generator's usual mix of layouts (long, \r\n, no entities, non-BMP, quotes) to `total` records. */
export function recordCounts(total: number, longShare = 0.04): RecordCounts {
  const share = (p: number): number => Math.round(total * p);
  return { total, long: share(longShare), crlf: share(0.03), empty: share(0.03), nonBmp: share(0.05), quotes: share(0.03) };
}

export const DEFAULT_MODEL_RECIPE: DefaultModelRecipe = {
  seed: 20251206,
  train: { judgments: 2600, records: recordCounts(800) },
  dev: { judgments: 120, records: recordCounts(40) },
  heldOut: { judgments: 200, records: recordCounts(600, 0.1) },
  real: { file: '../shared/data/court-judgment-loans/dev.jsonl', oversample: 6 },
  // 21,128 x 128 embeddings are most of the weights: 3.1M parameters, a 12.6 MB fp32 ONNX file
  base: { kind: 'tiny', vocabSize: 21128, hiddenSize: 128, layers: 2, heads: 4, intermediateSize: 512, maxPositions: 256 },
  // 256-token windows: on a CPU a training step costs per token about half what it does at 512, and the
  // words that decide an entity (借款/利息/保证期间 …) sit within a few characters of it
  windows: { maxLength: 256, overlap: 64 },
  hyper: { epochs: 12, batchSize: 16, learningRate: 3e-3, warmupRatio: 0.06, weightDecay: 0.01, patience: 3 },
};

export interface GeneratedSplit {
  records: { id: string; text: string; labels: SampleRecord['labels'] }[];
  jsonl: string;
}

function generate(seed: number, stream: string, counts: { judgments: number; records: RecordCounts }): GeneratedSplit {
  const judgments = generateJudgments(new Rng(deriveSeed(seed, `${stream}/judgments`)), counts.judgments, `cj-${stream.split('/').pop()}`);
  const records = generateRecords(new Rng(deriveSeed(seed, stream)), counts.records, { signatureBlocks: true });
  const all = new Rng(deriveSeed(seed, `${stream}/order`)).shuffle([...judgments, ...records]);
  return { records: all, jsonl: jsonlOf(all) };
}

/** One JSON line per record, the dataset format training reads. */
export function jsonlOf(records: readonly { id: string; text: string; labels: readonly unknown[]; meta?: unknown }[]): string {
  return records.map((r) => `${JSON.stringify({ id: r.id, text: r.text, labels: r.labels, ...(r.meta === undefined ? {} : { meta: r.meta }) })}\n`).join('');
}

export function trainingRecords(recipe: DefaultModelRecipe): GeneratedSplit {
  return generate(recipe.seed, 'default-model/train', recipe.train);
}

export function devRecords(recipe: DefaultModelRecipe): GeneratedSplit {
  return generate(recipe.seed, 'default-model/dev', recipe.dev);
}

export function heldOutRecords(recipe: DefaultModelRecipe): { judgments: GeneratedSplit['records']; records: GeneratedSplit['records'] } {
  return {
    judgments: generateJudgments(new Rng(deriveSeed(recipe.seed, 'default-model/held-out/judgments')), recipe.heldOut.judgments, 'cj-held-out'),
    records: generateRecords(new Rng(deriveSeed(recipe.seed, 'default-model/held-out')), recipe.heldOut.records, { signatureBlocks: true }),
  };
}

export interface RealParagraph {
  id: string;
  text: string;
  labels: SampleRecord['labels'];
}

export interface RealSplit {
  train: RealParagraph[];
  calibration: RealParagraph[];
  test: RealParagraph[];
}

/** Thirds of the real paragraphs by the order of sha256(seed:id): the same ids land in the same third every run. */
export function splitRealParagraphs(paragraphs: readonly RealParagraph[], seed: number): RealSplit {
  const key = (p: RealParagraph): string => createHash('sha256').update(`${seed}:${p.id}`).digest('hex');
  const sorted = [...paragraphs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const third = Math.round(sorted.length / 3);
  return { train: sorted.slice(0, third), calibration: sorted.slice(third, 2 * third), test: sorted.slice(2 * third) };
}

/** A generated contract of exactly `length` code points (contracts joined until long enough, then cut): the latency input. */
export function latencyContract(seed: number, length = 2000): string {
  const rng = new Rng(deriveSeed(seed, 'default-model/latency'));
  let text = '';
  while (codePointLength(text) < length)
    text += generateContracts(rng)
      .map((c) => c.content)
      .join('\n');
  return codePointSlice(text, 0, length);
}

/** The files of a trained folder that always ship, in order of need. */
export const SHIPPED_FILES = ['model.onnx', 'tokenizer.json', 'tokenizer_config.json', 'labels.json', 'config.json'] as const;
/** Files that ship whenever the trained folder has them: a model with a CRF decodes with its crf.json. */
export const SHIPPED_WHEN_PRESENT = ['crf.json'] as const;
/** The weights as safetensors, only if everything else leaves room. */
export const OPTIONAL_FILES = ['model.safetensors'] as const;

export interface ShippedFile {
  name: string;
  bytes: number;
}

/** A file of the trained folder that does not ship, and why. */
export interface LeftOutFile extends ShippedFile {
  why: 'size' | 'slower';
}

/**
 * Which files of `trainedDir` ship: every SHIPPED_FILES entry (an error when one is missing or they
 * exceed the limit together), the SHIPPED_WHEN_PRESENT ones it has, the int8 graph when `int8Faster`
 * (measured on the latency contract: for a small model the quantize steps can cost more than the int8
 * matrix products save, and then serving it would be slower and less exact for nothing), then the
 * optional ones that still fit; `leftOut` names the others.
 */
export function chooseShippedFiles(
  trainedDir: string,
  options: { int8Faster: boolean },
  maxBytes = DEFAULT_MODEL_MAX_BYTES,
): { files: ShippedFile[]; leftOut: LeftOutFile[]; bytes: number } {
  const sizeOf = (name: string): number => statSync(path.join(trainedDir, name)).size;
  const required: string[] = [...SHIPPED_FILES, ...(options.int8Faster ? [INT8_FILE] : [])];
  const missing = required.filter((n) => !existsSync(path.join(trainedDir, n)));
  if (missing.length > 0) throw new Error(`${trainedDir}: the trained model folder lacks ${missing.join(', ')}`);
  const present = SHIPPED_WHEN_PRESENT.filter((n) => existsSync(path.join(trainedDir, n)));
  const files: ShippedFile[] = [...required, ...present].map((name) => ({ name, bytes: sizeOf(name) }));
  // card.json and README.md are written afterwards: keep room for them
  const reserve = 64 * 1024;
  let bytes = files.reduce((s, f) => s + f.bytes, 0);
  if (bytes + reserve > maxBytes) throw new Error(`the model files take ${bytes} bytes, over the ${maxBytes}-byte limit: choose a smaller model`);
  const leftOut: LeftOutFile[] = [];
  if (!options.int8Faster && existsSync(path.join(trainedDir, INT8_FILE))) leftOut.push({ name: INT8_FILE, bytes: sizeOf(INT8_FILE), why: 'slower' });
  for (const name of OPTIONAL_FILES) {
    if (!existsSync(path.join(trainedDir, name))) continue;
    const f = { name, bytes: sizeOf(name) };
    if (bytes + f.bytes + reserve <= maxBytes) {
      files.push(f);
      bytes += f.bytes;
    } else {
      leftOut.push({ ...f, why: 'size' });
    }
  }
  return { files, leftOut, bytes };
}
