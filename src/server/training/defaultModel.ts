/**
 * The recipe of the shipped default entity model (models/default-entities): which generated data it is
 * trained and tested on, the model's shape and the training settings, and which files of the trained
 * folder ship. `npm run train-default-model` (bench/trainDefaultModel.ts) carries it out.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { BaseModel, TrainHyperparameters } from '../../common/workerProtocol';
import { codePointLength, codePointSlice } from '../dataset/jsonStringMap';
import { generateContracts } from '../samples/contracts';
import { deriveSeed, Rng } from '../samples/prng';
import { generateRecords, recordsToJsonl, type RecordCounts, type SampleRecord } from '../samples/records';

export const DEFAULT_MODEL_DIR = 'models/default-entities';
/** The shipped folder may hold at most this many bytes (issue #5). */
export const DEFAULT_MODEL_MAX_BYTES = 20 * 1000 * 1000;

export interface DefaultModelRecipe {
  seed: number;
  /** Generated training records (the dev split for early stopping is taken from them). */
  train: RecordCounts;
  devRatio: number;
  /** Generated records from another stream of the generator, never trained on. */
  heldOut: RecordCounts;
  base: Extract<BaseModel, { kind: 'tiny' }>;
  hyper: TrainHyperparameters;
}

/** Scales the generator's usual mix of layouts (long, \r\n, no entities, non-BMP, quotes) to `total` records. */
export function recordCounts(total: number, longShare = 0.04): RecordCounts {
  const share = (p: number): number => Math.round(total * p);
  return { total, long: share(longShare), crlf: share(0.03), empty: share(0.03), nonBmp: share(0.05), quotes: share(0.03) };
}

export const DEFAULT_MODEL_RECIPE: DefaultModelRecipe = {
  seed: 20250,
  train: recordCounts(3000),
  devRatio: 0.05,
  heldOut: recordCounts(600, 0.1),
  // 21,128 x 128 embeddings are most of the weights: 3.1M parameters, a 12.6 MB fp32 ONNX file
  base: { kind: 'tiny', vocabSize: 21128, hiddenSize: 128, layers: 2, heads: 4, intermediateSize: 512, maxPositions: 512 },
  hyper: { epochs: 10, batchSize: 16, learningRate: 3e-3, warmupRatio: 0.06, weightDecay: 0.01, patience: 2 },
};

export interface GeneratedSplit {
  records: SampleRecord[];
  jsonl: string;
}

function generate(seed: number, stream: string, counts: RecordCounts): GeneratedSplit {
  const records = generateRecords(new Rng(deriveSeed(seed, stream)), counts);
  return { records, jsonl: recordsToJsonl(records) };
}

export function trainingRecords(recipe: DefaultModelRecipe): GeneratedSplit {
  return generate(recipe.seed, 'default-model/train', recipe.train);
}

export function heldOutRecords(recipe: DefaultModelRecipe): GeneratedSplit {
  return generate(recipe.seed, 'default-model/held-out', recipe.heldOut);
}

/** A generated contract of exactly `length` code points (contracts joined until long enough, then cut): the latency input. */
export function latencyContract(seed: number, length = 2000): string {
  const rng = new Rng(deriveSeed(seed, 'default-model/latency'));
  let text = '';
  while (codePointLength(text) < length) text += generateContracts(rng).map((c) => c.content).join('\n');
  return codePointSlice(text, 0, length);
}

/** The files of a trained folder that ship, in order of need; the weights as safetensors only if everything fits. */
export const SHIPPED_FILES = ['model.onnx', 'model.int8.onnx', 'tokenizer.json', 'tokenizer_config.json', 'labels.json', 'config.json'] as const;
export const OPTIONAL_FILES = ['model.safetensors'] as const;

export interface ShippedFile {
  name: string;
  bytes: number;
}

/**
 * Which files of `trainedDir` ship: every SHIPPED_FILES entry (an error when one is missing or they
 * exceed the limit together), then the optional ones that still fit; `leftOut` names the others.
 */
export function chooseShippedFiles(trainedDir: string, maxBytes = DEFAULT_MODEL_MAX_BYTES): { files: ShippedFile[]; leftOut: ShippedFile[]; bytes: number } {
  const sizeOf = (name: string): number => statSync(path.join(trainedDir, name)).size;
  const missing = SHIPPED_FILES.filter((n) => !existsSync(path.join(trainedDir, n)));
  if (missing.length > 0) throw new Error(`${trainedDir}: the trained model folder lacks ${missing.join(', ')}`);
  const files: ShippedFile[] = SHIPPED_FILES.map((name) => ({ name, bytes: sizeOf(name) }));
  // card.json and README.md are written afterwards: keep room for them
  const reserve = 64 * 1024;
  let bytes = files.reduce((s, f) => s + f.bytes, 0);
  if (bytes + reserve > maxBytes) throw new Error(`the model files take ${bytes} bytes, over the ${maxBytes}-byte limit: choose a smaller model`);
  const leftOut: ShippedFile[] = [];
  for (const name of OPTIONAL_FILES) {
    if (!existsSync(path.join(trainedDir, name))) continue;
    const f = { name, bytes: sizeOf(name) };
    if (bytes + f.bytes + reserve <= maxBytes) {
      files.push(f);
      bytes += f.bytes;
    } else {
      leftOut.push(f);
    }
  }
  return { files, leftOut, bytes };
}
