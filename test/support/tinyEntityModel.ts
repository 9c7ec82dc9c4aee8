/**
 * A tiny entity model trained through the real worker on the sample dataset, for the inference
 * tests and benchmarks. Training takes a while on 2 cores, so the folder is kept under
 * test-results/ and reused while the dataset and the training request stay the same (a stamp file
 * holds the hash of both).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LabelSchema } from '../../src/common/labelSchema';
import type { BaseModel, TrainHyperparameters } from '../../src/common/workerProtocol';
import { prepareEntityTraining } from '../../src/server/training/entityTraining';
import { WorkerJobs } from '../../src/server/worker/workerJobs';
import { WorkerSupervisor } from '../../src/server/worker/workerSupervisor';

export interface TinyModelRecipe {
  /** Folder name under test-results/. */
  name: string;
  base: BaseModel;
  hyper: TrainHyperparameters;
  /** Records of samples/due_diligence.jsonl to train on (all when absent). */
  records?: number;
  quantize?: boolean;
}

export const TINY_RECIPE: TinyModelRecipe = {
  name: 'tiny-entity-model',
  base: { kind: 'tiny', vocabSize: 21128, hiddenSize: 64, layers: 2, heads: 2 },
  hyper: { epochs: 15, learningRate: 5e-3, batchSize: 16, patience: 0, device: 'cpu' },
  quantize: true,
};

export const BERT_BASE_SHAPE_RECIPE: TinyModelRecipe = {
  name: 'bert-base-shape-model',
  base: { kind: 'tiny', vocabSize: 21128, hiddenSize: 768, layers: 12, heads: 12, intermediateSize: 3072 },
  hyper: { epochs: 1, batchSize: 8, patience: 0, device: 'cpu' },
  records: 12,
  quantize: true,
};

export function repoRoot(): string {
  // out/test/support -> repository root
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'samples'))) {
    const up = resolve(dir, '..');
    if (up === dir) throw new Error(`no repository root above ${__dirname}`);
    dir = up;
  }
  return dir;
}

function python(root: string): string {
  const venv = join(root, '.venv', 'bin', 'python');
  return existsSync(venv) ? venv : 'python3';
}

/** The model folder for the recipe, trained now when it is missing or stale. Returns its path. */
export async function ensureTrainedModel(recipe: TinyModelRecipe = TINY_RECIPE, log: (line: string) => void = () => undefined): Promise<string> {
  const root = repoRoot();
  const datasetFile = join(root, 'samples', 'due_diligence.jsonl');
  const lines = readFileSync(datasetFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const content = `${lines.slice(0, recipe.records ?? lines.length).join('\n')}\n`;
  const stamp = createHash('sha256').update(content).update(JSON.stringify(recipe)).digest('hex');
  const outDir = join(root, 'test-results', recipe.name);
  const stampFile = join(root, 'test-results', `${recipe.name}.stamp`);
  if (existsSync(join(outDir, 'model.onnx')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return outDir;

  rmSync(outDir, { recursive: true, force: true });
  rmSync(stampFile, { force: true });
  const prepared = prepareEntityTraining({
    jobId: `test-${recipe.name}`,
    content,
    file: datasetFile,
    schema: new LabelSchema(),
    tokenizerDir: join(root, 'models', 'tokenizers', 'bert-base-chinese'),
    base: recipe.base,
    outDir,
    hyper: recipe.hyper,
    devRatio: 0.1,
    export: { onnx: true, quantize: recipe.quantize ?? false },
  });
  const supervisor = new WorkerSupervisor({
    workerDir: join(root, 'src', 'server', 'worker', 'python'),
    locatePython: async () => ({ ok: true, python: python(root), source: 'setting' }),
    // Two threads fighting over two busy cores are much slower than one.
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  const jobs = new WorkerJobs(supervisor);
  const started = Date.now();
  try {
    const result = await jobs.trainEntities(prepared.params, prepared.dev);
    log(`trained ${recipe.name} in ${((Date.now() - started) / 1000).toFixed(1)} s: dev F1 ${result.bestDevMetric}`);
  } finally {
    jobs.dispose();
    await supervisor.dispose();
  }
  writeFileSync(stampFile, stamp);
  return outDir;
}
