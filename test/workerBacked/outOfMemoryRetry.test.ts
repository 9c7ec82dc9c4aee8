// The CUDA out-of-memory path end to end, on the CPU (a GPU machine is rare): the real Python worker raises a real
// torch.cuda.OutOfMemoryError inside a training step (the test hook FINLABEL_WORKER_FAULT), answers
// OUT_OF_MEMORY with the batch size, the language server's training queue retries once with half the
// batch, and the job ends with the notes and message the extension shows (trainingOutcome.ts).
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TrainingEndedParams, TrainingProgressParams } from '../../src/common/lspProtocol';
import { LabelSchema } from '../../src/common/labelSchema';
import { TrainingJobs } from '../../src/server/training/trainingJobs';
import { WorkerJobs } from '../../src/server/worker/workerJobs';
import { WorkerSupervisor } from '../../src/server/worker/workerSupervisor';
import { syntheticClauses } from '../unit/syntheticTrainingData';
import { workerPython } from './workerPython';

const repo = path.resolve(__dirname, '..', '..', '..');
const workerDir = path.join(repo, 'src', 'server', 'worker', 'python');
const python = path.join(repo, '.venv', 'bin', 'python');
// The first optimizer step of every job runs out of memory when the batch size is over 4.
const FAULT = 'oom-at-step:1,batch-over:4';

/** What showOutcome (src/extension/training/trainingOutcome.ts) puts in front of the user for these two endings. */
function userMessage(e: TrainingEndedParams): string {
  const notes = e.notes.length > 0 ? ` ${e.notes.join('; ')}.` : '';
  if (e.outcome === 'finished') return `FinLabel: entity model ${path.basename(e.modelDir)} trained.${notes}`;
  if (e.outcome === 'failed' && e.kind === 'out-of-memory') return `FinLabel: ${e.message}${notes}`;
  return `unexpected ending: ${JSON.stringify(e)}`;
}

describe("CUDA out of memory, end to end on the CPU: the worker's OUT_OF_MEMORY answer and the server's half-batch retry (cuda_path_on_cpu)", function () {
  this.timeout(240_000);
  let supervisor: WorkerSupervisor;
  let workerJobs: WorkerJobs;
  let jobs: TrainingJobs;
  let stderr = '';
  const ended: TrainingEndedParams[] = [];
  const progress: TrainingProgressParams[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'finlabel-oom-'));
  const dataset = path.join(dir, 'clauses.jsonl');

  before(function () {
    workerPython(repo);
    writeFileSync(dataset, syntheticClauses(3, 40));
    supervisor = new WorkerSupervisor({
      workerDir,
      locatePython: async () => ({ ok: true, python, source: 'setting' }),
      env: { ...process.env, OMP_NUM_THREADS: '1', FINLABEL_WORKER_FAULT: FAULT },
      onStderr: (text) => (stderr += text),
    });
    workerJobs = new WorkerJobs(supervisor);
    jobs = new TrainingJobs({
      jobs: workerJobs,
      ensureWorker: () => supervisor.ensureStarted(),
      schema: () => new LabelSchema(),
      readDataset: (file) => Promise.resolve(readFileSync(file)),
      workspaceFolders: () => [dir],
      onProgress: (p) => progress.push(p),
      onEnded: (e) => ended.push(e),
    });
  });

  after(async () => {
    await jobs?.shutdown(10_000);
    workerJobs?.dispose();
    await supervisor?.dispose();
  });

  const train = async (batchSize: number, outDir: string): Promise<TrainingEndedParams> => {
    const started = jobs.start({
      task: 'entities',
      datasetUri: pathToFileURL(dataset).toString(),
      base: { kind: 'tiny' },
      epochs: 1,
      batchSize,
      device: 'cpu',
      outDir,
    });
    if (!started.ok) assert.fail(started.message);
    const ending = await jobs.whenEnded(started.job.jobId);
    assert.ok(ending, 'the job is known');
    return ending;
  };

  it('batch 8 runs out of memory in its first step; the retry at batch 4 trains, and the user is told', async () => {
    const outDir = path.join(dir, 'model-8');
    const e = await train(8, outDir);
    assert.equal(e.outcome, 'finished', `${JSON.stringify(e)}\n${stderr.slice(-3000)}`);
    if (e.outcome !== 'finished') return;
    assert.equal(e.notes[0], 'CUDA ran out of memory with batch size 8; retried with batch size 4');
    assert.ok(
      progress.some((p) => p.job.jobId === e.job.jobId && p.line === 'CUDA ran out of memory with batch size 8; retried with batch size 4…'),
      'the training log says so',
    );
    const card = JSON.parse(readFileSync(path.join(outDir, 'card.json'), 'utf8')) as { training: { hyperparameters: { batchSize: number } } };
    assert.equal(card.training.hyperparameters.batchSize, 4, "the model folder is the retry's");
    assert.match(userMessage(e), /^FinLabel: entity model model-8 trained\. CUDA ran out of memory with batch size 8; retried with batch size 4; /);
  });

  it('batch 16 runs out of memory, and so does the retry at 8: the job fails with what to do, and no folder', async () => {
    const outDir = path.join(dir, 'model-16');
    const e = await train(16, outDir);
    assert.equal(e.outcome, 'failed', JSON.stringify(e));
    if (e.outcome !== 'failed') return;
    assert.equal(e.kind, 'out-of-memory');
    assert.deepEqual(e.data, { batchSize: 8, memoryBytes: null });
    assert.deepEqual(e.notes, ['CUDA ran out of memory with batch size 16; retried with batch size 8']);
    assert.equal(
      userMessage(e),
      'FinLabel: CUDA ran out of memory with batch size 8; try 4 (CUDA out of memory. Tried to allocate 2.00 GiB ' +
        `(injected by FINLABEL_WORKER_FAULT=${FAULT} at step 1, batch size 8)). ` +
        'It had already been retried once with half the batch size; lower the batch size further or train a smaller base model. ' +
        'CUDA ran out of memory with batch size 16; retried with batch size 8.',
    );
    assert.ok(!existsSync(outDir), 'no model folder');
    assert.deepEqual(readdirSync(dir).sort(), ['clauses.jsonl', 'model-8']);
  });
});
