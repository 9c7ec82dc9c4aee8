// Trains a tiny credit model (random Qwen2 base with the real vocabulary, LoRA adapter) through the
// real worker, for the unit and integration tests that score with one.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CreditTrainParams, TrainResult } from '../src/common/workerProtocol';
import { prepareCreditTraining, type PreparedCreditTraining } from '../src/server/training/creditTraining';
import { WorkerJobs } from '../src/server/worker/workerJobs';
import { WorkerSupervisor } from '../src/server/worker/workerSupervisor';

export const TINY_QWEN_BASE: CreditTrainParams['base'] = { kind: 'tiny', vocabSize: 151646, hiddenSize: 64, layers: 2, heads: 4 };

export function repoPython(repo: string): string {
  const venv = join(repo, '.venv', 'bin', 'python');
  return existsSync(venv) ? venv : 'python3';
}

export interface TrainedCreditModel {
  dir: string;
  prepared: PreparedCreditTraining;
  result: TrainResult;
}

/**
 * Trains on `csv` (default samples/credit.csv) into `outDir` (which must not exist). One torch thread:
 * the tiny model gains nothing from more, and this machine's cores are shared.
 */
export async function trainTinyCreditModel(repo: string, outDir: string, options: { csv?: string; epochs?: number } = {}): Promise<TrainedCreditModel> {
  const file = options.csv ?? join(repo, 'samples', 'credit.csv');
  const prepared = prepareCreditTraining({
    jobId: `test-credit-${process.pid}-${Date.now()}`,
    bytes: readFileSync(file),
    file,
    tokenizerDir: join(repo, 'models', 'tokenizers', 'qwen2'),
    base: TINY_QWEN_BASE,
    outDir,
    hyper: { epochs: options.epochs ?? 2, batchSize: 32, learningRate: 1e-3, patience: 0, device: 'cpu' },
  });
  const supervisor = new WorkerSupervisor({
    workerDir: join(repo, 'src', 'server', 'worker', 'python'),
    locatePython: async () => ({ ok: true, python: repoPython(repo), source: 'setting' }),
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  const jobs = new WorkerJobs(supervisor);
  try {
    const result = await jobs.trainCredit(prepared.params);
    return { dir: result.modelDir, prepared, result };
  } finally {
    jobs.dispose();
    await supervisor.dispose();
  }
}
