import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ResponseError } from 'vscode-jsonrpc/node';
import type { TrainingEndedParams, TrainingProgressParams } from '../../src/common/lspProtocol';
import { LabelSchema } from '../../src/common/labelSchema';
import { WorkerErrorCode, type EntityTrainParams, type TrainResult, type WorkerStatus } from '../../src/common/workerProtocol';
import { listModels, modelDescription, modelsDir, type RegisteredModel } from '../../src/extension/models/modelRegistry';
import { TrainingJobs } from '../../src/server/training/trainingJobs';
import { problemAt } from '../../src/server/training/trainingProblems';
import type { JobOptions } from '../../src/server/worker/workerJobs';
import { repoRoot } from '../support/tinyEntityModel';
import { syntheticClauses } from './syntheticTrainingData';

const READY: WorkerStatus = {
  state: 'ready',
  python: 'python3',
  restarts: 0,
  device: {
    device: 'cpu',
    name: 'test CPU',
    deviceCount: 0,
    memoryBytes: null,
    torchVersion: '2',
    cudaVersion: null,
    pythonVersion: '3',
    pythonExecutable: 'python3',
  },
};

/** One call of the worker's train/entities as the queue made it; the test decides how it ends. */
interface Call {
  params: EntityTrainParams;
  options: JobOptions;
  finish: (result: TrainResult) => void;
  fail: (err: unknown) => void;
}

/**
 * The queue in front of a worker that the test drives: the worker's side (train/entities) is a
 * promise per call, so queueing, CUDA out-of-memory answers (which a CPU cannot produce) and
 * cancellation can be played in any order. Preparation (split, tokenizer, BIO) is the real one.
 */
function harness(status: WorkerStatus = READY) {
  const dir = mkdtempSync(path.join(tmpdir(), 'finlabel-jobs-'));
  const dataset = path.join(dir, 'clauses.jsonl');
  writeFileSync(dataset, syntheticClauses(3, 40));
  const calls: Call[] = [];
  const ended: TrainingEndedParams[] = [];
  const progress: TrainingProgressParams[] = [];
  let callWaiter: (() => void) | undefined;
  const jobs = new TrainingJobs({
    jobs: {
      trainEntities: (params, _dev, options = {}) =>
        new Promise<TrainResult>((finish, fail) => {
          calls.push({ params, options, finish, fail });
          options.token?.onCancellationRequested(() => fail(new ResponseError(WorkerErrorCode.cancelled, 'cancelled')));
          callWaiter?.();
        }),
      trainCredit: () => Promise.reject(new Error('not in this test')),
    },
    ensureWorker: () => Promise.resolve(status),
    schema: () => new LabelSchema(),
    readDataset: (file) => Promise.resolve(readFileSync(file)),
    workspaceFolders: () => [dir],
    onProgress: (p) => progress.push(p),
    onEnded: (e) => ended.push(e),
    now: () => new Date('2025-01-02T03:04:05Z'),
  });
  const nextCall = async (n: number): Promise<Call> => {
    while (calls.length < n) await new Promise<void>((resolve) => (callWaiter = resolve));
    return calls[n - 1];
  };
  const endOf = async (jobId: string): Promise<TrainingEndedParams> => {
    for (;;) {
      const e = ended.find((x) => x.job.jobId === jobId);
      if (e) return e;
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const start = (extra: { outDir?: string; batchSize?: number } = {}) => {
    const r = jobs.start({ task: 'entities', datasetUri: pathToFileURL(dataset).toString(), base: { kind: 'tiny' }, epochs: 1, ...extra });
    if (!r.ok) assert.fail(r.message);
    return r.job;
  };
  return { dir, dataset, jobs, calls, ended, progress, nextCall, endOf, start };
}

const result = (modelDir: string): TrainResult => ({
  modelDir,
  epochs: [],
  bestEpoch: 1,
  bestDevMetric: 0.5,
  samplesPerSecond: 1,
  seconds: 1,
  device: 'cpu',
  peakMemoryBytes: null,
});

describe('training jobs in the language server', () => {
  it("calibrates the trained entity model on the job's own dev split and says so; the card then holds it", async function () {
    this.timeout(60_000);
    const h = harness();
    const job = h.start();
    const call = await h.nextCall(1);
    // The "worker" writes a real model folder: the shipped default model's files.
    const shipped = path.join(repoRoot(), 'models', 'default-entities');
    mkdirSync(job.outDir, { recursive: true });
    for (const f of ['model.onnx', 'model.int8.onnx', 'tokenizer.json', 'tokenizer_config.json', 'labels.json'])
      if (existsSync(path.join(shipped, f))) copyFileSync(path.join(shipped, f), path.join(job.outDir, f));
    writeFileSync(path.join(job.outDir, 'card.json'), JSON.stringify(call.params.output.card, null, 2));
    call.finish(result(job.outDir));
    const ended = await h.endOf(job.jobId);
    assert.equal(ended.outcome, 'finished');
    const devRecords = (call.params.output.card as { data: { split: { devRecords: number } } }).data.split.devRecords;
    assert.ok(devRecords > 0);
    const card = JSON.parse(readFileSync(path.join(job.outDir, 'card.json'), 'utf8')) as {
      calibration?: { dev: { records: number }; threshold: number };
      data: unknown;
    };
    assert.ok(card.calibration, 'card.json holds the calibration');
    assert.equal(card.calibration.dev.records, devRecords, "fitted on the job's own dev split");
    assert.deepEqual(card.data, (call.params.output.card as { data: unknown }).data, 'the rest of the card is kept');
    const note = ended.notes.find((n) => n.startsWith('calibrated on'));
    assert.ok(
      note && note.includes(`calibrated on ${devRecords} dev records`) && note.includes(`confidence threshold ${card.calibration.threshold.toFixed(3)}`),
      note,
    );
    assert.ok(
      h.progress.some((p) => p.line === note),
      'the training log says so',
    );
  });

  it('runs one job at a time: the second waits, queued, and runs when the first ends', async () => {
    const h = harness();
    const first = h.start();
    const second = h.start();
    assert.equal(first.outDir, path.join(h.dir, '.finlabel', 'models', 'entities', 'clauses-20250102-030405'));
    assert.equal(second.outDir, `${first.outDir}-2`, 'two jobs started in the same second get their own folders');
    assert.equal(second.state, 'queued');
    assert.equal(second.position, 1);
    assert.ok(h.progress.some((p) => p.job.jobId === second.jobId && p.line === 'queued behind 1 job'));

    const call = await h.nextCall(1);
    assert.equal(call.params.jobId, first.jobId);
    assert.deepEqual(
      h.jobs.list().map((j) => [j.jobId, j.state, j.position]),
      [
        [first.jobId, 'running', 0],
        [second.jobId, 'queued', 1],
      ],
    );
    call.finish(result(first.outDir));
    assert.equal((await h.endOf(first.jobId)).outcome, 'finished');
    const next = await h.nextCall(2);
    assert.equal(next.params.jobId, second.jobId, 'the queued job starts when the worker is free');
    next.finish(result(second.outDir));
    await h.endOf(second.jobId);
    assert.deepEqual(h.jobs.list(), []);
  });

  it('retries once with half the batch size when CUDA runs out of memory, and says so', async () => {
    const h = harness();
    const job = h.start({ batchSize: 32 });
    const oom = (batchSize: number) =>
      new ResponseError(WorkerErrorCode.outOfMemory, `CUDA ran out of memory with batch size ${batchSize}`, { batchSize, memoryBytes: 1 });
    (await h.nextCall(1)).fail(oom(32));
    const retry = await h.nextCall(2);
    assert.equal(retry.params.hyper.batchSize, 16);
    retry.finish(result(job.outDir));
    const ended = await h.endOf(job.jobId);
    assert.equal(ended.outcome, 'finished');
    // This fake worker writes no model folder, so there is nothing to calibrate, and the job says so.
    assert.equal(ended.notes[0], 'CUDA ran out of memory with batch size 32; retried with batch size 16');
    assert.match(ended.notes[1], /^not calibrated \(.*the entity model folder does not exist\)/);
    assert.equal(ended.notes.length, 2);
    assert.ok(
      h.progress.some((p) => p.line.startsWith('CUDA ran out of memory with batch size 32; retried')),
      'the log says so',
    );

    const again = h.start({ batchSize: 8 });
    (await h.nextCall(3)).fail(oom(8));
    (await h.nextCall(4)).fail(oom(4));
    const failed = await h.endOf(again.jobId);
    assert.equal(failed.outcome, 'failed');
    if (failed.outcome !== 'failed') return;
    assert.equal(failed.kind, 'out-of-memory');
    assert.match(failed.message, /batch size 4.*already been retried once with half the batch size/);
    assert.equal(h.calls.length, 4, 'only one retry');
  });

  it('cancels a queued job without starting it, and the running one through the worker', async () => {
    const h = harness();
    const running = h.start();
    const queued = h.start();
    const call = await h.nextCall(1);
    assert.equal(h.jobs.cancel(queued.jobId), true);
    const q = await h.endOf(queued.jobId);
    assert.equal(q.outcome, 'cancelled');
    assert.equal(h.jobs.cancel(running.jobId), true);
    assert.equal(call.options.token?.isCancellationRequested, true, 'the worker request is cancelled');
    assert.equal((await h.endOf(running.jobId)).outcome, 'cancelled');
    assert.equal(h.calls.length, 1, 'the queued job never reached the worker');
    assert.equal(h.jobs.cancel('no-such-job'), false);
  });

  it('a background retrain gives way: a job the user starts cancels it and runs first, and it says why', async () => {
    const h = harness();
    const reviewed: string[] = [];
    const spec = {
      content: readFileSync(h.dataset, 'utf8'),
      hyper: { maxSeconds: 30, threads: 1 },
      review: (dir: string) => (reviewed.push(dir), Promise.resolve('reviewed')),
    };
    const started = h.jobs.start({ task: 'entities', datasetUri: pathToFileURL(h.dataset).toString(), base: { kind: 'tiny' } }, spec);
    if (!started.ok) assert.fail(started.message);
    assert.equal(started.job.background, true);
    assert.match(started.job.outDir, /clauses-20250102-030405-retrained$/, 'its folder says it was retrained in the background');
    const backgroundCall = await h.nextCall(1);
    assert.equal(backgroundCall.params.hyper.maxSeconds, 30);
    assert.equal(backgroundCall.params.hyper.threads, 1);

    const user = h.start();
    assert.equal(backgroundCall.options.token?.isCancellationRequested, true, 'the background job is cancelled in the worker');
    const gaveWay = await h.endOf(started.job.jobId);
    assert.equal(gaveWay.outcome, 'cancelled');
    if (gaveWay.outcome !== 'cancelled') return;
    assert.equal(gaveWay.gaveWay, true);
    assert.match(gaveWay.message, /gave way to a training job you started/);
    const userCall = await h.nextCall(2);
    assert.equal(userCall.params.jobId, user.jobId);
    userCall.finish(result(user.outDir));
    await h.endOf(user.jobId);
    assert.deepEqual(reviewed, [], 'a cancelled retrain is never reviewed');
  });

  it('a queued background retrain waits behind every job the user starts, even one started after it', async () => {
    const h = harness();
    const first = h.start();
    const spec = { content: readFileSync(h.dataset, 'utf8'), hyper: {}, review: () => Promise.resolve('reviewed') };
    const background = h.jobs.start({ task: 'entities', datasetUri: pathToFileURL(h.dataset).toString(), base: { kind: 'tiny' } }, spec);
    if (!background.ok) assert.fail(background.message);
    const second = h.start();
    assert.deepEqual(
      h.jobs.list().map((j) => j.jobId),
      [first.jobId, second.jobId, background.job.jobId],
    );
    assert.deepEqual(
      h.jobs.list().map((j) => j.position),
      [0, 1, 2],
    );
    (await h.nextCall(1)).finish(result(first.outDir));
    const next = await h.nextCall(2);
    assert.equal(next.params.jobId, second.jobId);
    next.finish(result(second.outDir));
    const last = await h.nextCall(3);
    assert.equal(last.params.jobId, background.job.jobId);
    last.finish(result(background.job.outDir));
    const ended = await h.endOf(background.job.jobId);
    assert.equal(ended.outcome, 'finished');
    assert.ok(ended.notes.includes('reviewed'), 'the retrained model is reviewed before the job ends');
  });

  it('closing the window cancels every job and waits for the running one to end', async () => {
    const h = harness();
    const running = h.start();
    const queued = h.start();
    await h.nextCall(1);
    await h.jobs.shutdown(2000);
    assert.deepEqual(
      h.ended.map((e) => [e.job.jobId, e.outcome]).sort(),
      [
        [queued.jobId, 'cancelled'],
        [running.jobId, 'cancelled'],
      ].sort(),
    );
    assert.deepEqual(h.jobs.start({ task: 'entities', datasetUri: pathToFileURL(h.dataset).toString(), base: { kind: 'tiny' } }), {
      ok: false,
      message: 'the FinLabel server is shutting down',
    });
  });

  it('fails with the worker problem when Python or torch is missing', async () => {
    const h = harness({ state: 'unavailable', python: 'python3', problem: 'missing-package', message: 'torch is not installed', stderr: '', restarts: 0 });
    const job = h.start();
    const ended = await h.endOf(job.jobId);
    assert.equal(ended.outcome, 'failed');
    if (ended.outcome !== 'failed') return;
    assert.equal(ended.kind, 'missing-package');
    assert.equal(ended.workerProblem, 'missing-package');
    assert.equal(h.calls.length, 0);
  });

  it('fails with the line and byte offset of a dataset that is not UTF-8, before the worker trains anything', async () => {
    const h = harness();
    const lines = readFileSync(h.dataset, 'utf8').split('\n');
    const offset = Buffer.byteLength(`${lines[0]}\n${lines[1]}\n`);
    writeFileSync(h.dataset, Buffer.concat([Buffer.from(`${lines[0]}\n${lines[1]}\n`), Buffer.from([0xff]), Buffer.from(lines.slice(2).join('\n'))]));
    const ended = await h.endOf(h.start().jobId);
    assert.equal(ended.outcome, 'failed');
    if (ended.outcome !== 'failed') return;
    assert.equal(ended.kind, 'dataset');
    assert.deepEqual(
      ended.problems.map((p) => p.line),
      [3],
    );
    assert.match(ended.problems[0].message, new RegExp(`^not valid UTF-8 at byte offset ${offset} \\(0xFF\\)`));
    assert.equal(h.calls.length, 0);
  });

  it('refuses a model folder that exists, and a dataset that is not a file', () => {
    const h = harness();
    const r = h.jobs.start({ task: 'entities', datasetUri: pathToFileURL(h.dataset).toString(), base: { kind: 'tiny' }, outDir: h.dir });
    assert.deepEqual(r, { ok: false, message: `${h.dir} already exists; a model folder is never overwritten` });
    const u = h.jobs.start({ task: 'entities', datasetUri: 'untitled:Untitled-1', base: { kind: 'tiny' } });
    assert.equal(u.ok, false);
  });
});

describe('training problems and the model registry on disk', () => {
  it('places dataset messages at their file and line', () => {
    const file = '/w/数据 😀.jsonl';
    assert.deepEqual(problemAt(file, `${file}:12: label 3 was left out`), { file, line: 12, message: 'label 3 was left out' });
    assert.deepEqual(problemAt(file, `${file}:7:3: cell "x" is not a number`), { file, line: 7, message: 'cell "x" is not a number' });
    assert.deepEqual(problemAt(file, `${file}: 2 lines are not a record (line 4, 9); fix them`), {
      file,
      line: 4,
      message: '2 lines are not a record (line 4, 9); fix them',
    });
    assert.deepEqual(problemAt(file, `${file}: no records to train on`), { file, line: 1, message: 'no records to train on' });
  });

  it('lists trained models with their key figure, skips staging folders and says when a card is missing or broken', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'finlabel-registry-'));
    const dir = (name: string) => {
      const d = path.join(modelsDir(root, 'credit'), name);
      mkdirSync(d, { recursive: true });
      return d;
    };
    writeFileSync(path.join(dir('good'), 'card.json'), JSON.stringify({ task: 'credit', training: { bestDevMetric: 0.8123 } }));
    writeFileSync(path.join(dir('broken'), 'card.json'), '{"task": ');
    dir('no-card');
    dir('.good2.partial-123-abcdef01');
    const models = listModels([root], 'credit');
    assert.deepEqual(models.map((m) => m.name).sort(), ['broken', 'good', 'no-card']);
    const good = models.find((m) => m.name === 'good');
    assert.deepEqual(good?.metric, { name: 'AUC', value: 0.8123 });
    assert.match(modelDescription(good as RegisteredModel), /^AUC 0\.812 · \d{4}-\d\d-\d\d \d\d:\d\d$/);
    assert.match(modelDescription(models.find((m) => m.name === 'broken') as RegisteredModel), /^card\.json is not valid JSON/);
    assert.equal(modelDescription(models.find((m) => m.name === 'no-card') as RegisteredModel), 'no card.json');
    assert.deepEqual(listModels([root], 'entities'), []);
  });
});
