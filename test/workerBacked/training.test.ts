// End to end over the real protocol: the server's own encoding, split and metrics, the real Python
// worker training small models with PyTorch on the CPU. Each training takes well under a minute here.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import { LabelSchema } from '../../src/common/labelSchema';
import { WorkerErrorCode, WorkerMethod, type JobProgress } from '../../src/common/workerProtocol';
import { encodeEntitySplit, scoreEntityPredictions } from '../../src/server/entities/entityDataset';
import { rocAuc } from '../../src/server/metrics/binaryMetrics';
import { BertTokenizer } from '../../src/server/tokenization/bertTokenizer';
import { loadTokenizerFolder } from '../../src/server/tokenization/tokenizerFolder';
import { prepareCreditTraining } from '../../src/server/training/creditTraining';
import { prepareEntityTraining } from '../../src/server/training/entityTraining';
import { WorkerExitedError } from '../../src/server/worker/workerProcess';
import { WorkerJobs } from '../../src/server/worker/workerJobs';
import { WorkerSupervisor } from '../../src/server/worker/workerSupervisor';
import { ruleCsv, syntheticClauses } from '../unit/syntheticTrainingData';
import { workerPython } from './workerPython';

const repo = path.resolve(__dirname, '..', '..', '..');
const workerDir = path.join(repo, 'src', 'server', 'worker', 'python');
const python = path.join(repo, '.venv', 'bin', 'python');
const bertTokenizer = path.join(repo, 'models', 'tokenizers', 'bert-base-chinese');
const qwenTokenizer = path.join(repo, 'models', 'tokenizers', 'qwen2');
const TINY_BERT = { kind: 'tiny', vocabSize: 21128, hiddenSize: 128, layers: 2, heads: 4, intermediateSize: 256 } as const;
const TINY_QWEN = { kind: 'tiny', vocabSize: 151646, hiddenSize: 64, layers: 2, heads: 4 } as const;

describe('training over the real worker protocol (PyTorch on the CPU)', function () {
  this.timeout(240_000);
  let supervisor: WorkerSupervisor;
  let jobs: WorkerJobs;
  let stderr = '';
  const scratch = mkdtempSync(path.join(tmpdir(), 'finlabel-training-'));

  before(function () {
    workerPython(repo);
  });

  beforeEach(() => {
    stderr = '';
    supervisor = new WorkerSupervisor({
      workerDir,
      locatePython: async () => ({ ok: true, python, source: 'setting' }),
      // One thread: on a 2-core machine shared with other work, two threads make each step slower.
      env: { ...process.env, OMP_NUM_THREADS: '1' },
      onStderr: (text) => (stderr += text),
    });
    jobs = new WorkerJobs(supervisor);
  });

  afterEach(async () => {
    jobs.dispose();
    await supervisor.dispose();
  });

  it('a tiny BERT learns a synthetic tagging task of loan clauses: strict span F1 >= 0.9 on clauses it never saw', async () => {
    const schema = new LabelSchema();
    const outDir = path.join(scratch, 'entities');
    const prepared = prepareEntityTraining({
      jobId: 'e2e-entities',
      content: syntheticClauses(7, 800),
      file: 'clauses.jsonl',
      schema,
      tokenizerDir: bertTokenizer,
      base: TINY_BERT,
      outDir,
      hyper: { epochs: 8, batchSize: 16, learningRate: 1e-3, warmupRatio: 0.05, patience: 3 },
      export: { onnx: true, quantize: false },
    });
    const progress: JobProgress[] = [];
    const result = await jobs.trainEntities(prepared.params, prepared.dev, { onProgress: (p) => progress.push(p) });

    // Every epoch's dev figure is the server's span F1, and the saved epoch is the best one: a model
    // from scratch judges each epoch by its mean dev F1 over the last three evaluations.
    assert.ok(result.epochs.length >= 3, `trained ${result.epochs.length} epochs`);
    assert.equal(prepared.params.hyper.selectionWindow, 3);
    const metrics = result.epochs.map((e) => e.devMetric ?? 0);
    const windowMean = (i: number): number => metrics.slice(Math.max(0, i - 2), i + 1).reduce((a, b) => a + b, 0) / Math.min(3, i + 1);
    const best = metrics.reduce((b, _, i) => (windowMean(i) > windowMean(b) ? i : b), 0);
    assert.equal(result.bestEpoch, best + 1, `dev F1 per epoch ${metrics.join(' ')}`);
    assert.equal(result.bestDevMetric, metrics[best]);
    assert.ok(
      progress.some((p) => p.phase === 'train' && p.loss !== null && p.step > 0),
      'training progress with a loss arrived',
    );

    // The folder: weights, ONNX, the server's files and the card, and nothing half-written beside it.
    const files = readdirSync(outDir);
    for (const f of ['model.onnx', 'model.safetensors', 'config.json', 'tokenizer.json', 'tokenizer_config.json', 'labels.json', 'card.json'])
      assert.ok(files.includes(f), `${f} in ${files.join(', ')}`);
    assert.deepEqual(
      readdirSync(scratch).filter((f) => f.includes('partial')),
      [],
    );
    const card = JSON.parse(readFileSync(path.join(outDir, 'card.json'), 'utf8')) as { data: { sha256: string }; training: unknown };
    assert.match(card.data.sha256, /^[0-9a-f]{64}$/);
    assert.ok(card.training, 'the worker added its training section');
    assert.ok(result.onnx && result.onnx.maxAbsDiff < 1e-3, `ONNX parity ${result.onnx?.maxAbsDiff}`);

    // Held-out records from another seed, predicted by the saved model, scored by the server's metric.
    const test = syntheticClauses(99, 200)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string; labels: { entity: string; start: number; end: number }[] });
    const split = encodeEntitySplit(BertTokenizer.from(loadTokenizerFolder(bertTokenizer)), prepared.dev.scheme, test);
    const predicted = await jobs.predictEntities({ modelDir: outDir, batch: split.examples.map((e) => e.inputIds) });
    const scores = scoreEntityPredictions(split, predicted.labelIds);
    assert.ok(
      (scores.micro.f1 ?? 0) >= 0.9,
      `held-out micro F1 ${scores.micro.f1} (dev ${result.bestDevMetric}); per type ${JSON.stringify(scores.types.map((t) => [t.type, t.f1]))}`,
    );
  });

  it('a tiny Qwen with LoRA learns a credit rule from the prompts: ROC-AUC >= 0.9 on the held-out 20%', async () => {
    const outDir = path.join(scratch, 'credit');
    const prepared = prepareCreditTraining({
      jobId: 'e2e-credit',
      bytes: ruleCsv(400, 3),
      file: 'rule.csv',
      tokenizerDir: qwenTokenizer,
      base: TINY_QWEN,
      outDir,
      hyper: { epochs: 6, batchSize: 16, learningRate: 2e-3 },
    });
    assert.equal(prepared.params.dev.length, 80, 'the 8:2 split');
    const result = await jobs.trainCredit(prepared.params);
    const files = readdirSync(outDir);
    for (const f of ['adapter_config.json', 'adapter_model.safetensors', 'prompt.json', 'tokenizer.json', 'card.json'])
      assert.ok(files.includes(f), `${f} in ${files.join(', ')}`);

    const scored = await jobs.scoreCredit({ modelDir: outDir, batch: prepared.params.dev.map((e) => e.inputIds) });
    const auc = rocAuc(
      prepared.params.dev.map((e) => e.label),
      scored.probabilities,
    );
    assert.ok(auc !== null && auc >= 0.9, `dev AUC from scoring ${auc} (best epoch's ${result.bestDevMetric})`);
  });

  it('cancelling a training request answers "cancelled" and leaves no model folder', async () => {
    const outDir = path.join(scratch, 'cancelled');
    const prepared = prepareEntityTraining({
      jobId: 'e2e-cancel',
      content: syntheticClauses(5, 400),
      file: 'c.jsonl',
      schema: new LabelSchema(),
      tokenizerDir: bertTokenizer,
      base: TINY_BERT,
      outDir,
      hyper: { epochs: 50 },
    });
    const source = new CancellationTokenSource();
    const run = jobs.trainEntities(prepared.params, prepared.dev, {
      token: source.token,
      onProgress: (p) => p.phase === 'train' && p.step >= 2 && source.cancel(),
    });
    const error = await run.then(
      () => assert.fail('training finished although it was cancelled'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ResponseError && error.code === WorkerErrorCode.cancelled, String(error));
    assert.ok(!existsSync(outDir));
    assert.deepEqual(
      readdirSync(scratch).filter((f) => f.includes('cancelled')),
      [],
    );
  });

  it('a worker that dies mid-training is reported with its exit code and the end of its stderr, and leaves no model folder', async () => {
    const outDir = path.join(scratch, 'crashed');
    const prepared = prepareEntityTraining({
      jobId: 'e2e-crash',
      content: syntheticClauses(5, 400),
      file: 'c.jsonl',
      schema: new LabelSchema(),
      tokenizerDir: bertTokenizer,
      base: TINY_BERT,
      outDir,
      hyper: { epochs: 50 },
    });
    let crashed = false;
    const run = jobs.trainEntities(prepared.params, prepared.dev, {
      onProgress: (p) => {
        if (crashed || p.phase !== 'train' || p.step < 2) return;
        crashed = true;
        void supervisor.request(WorkerMethod.crash, { code: 3 }).catch(() => undefined);
      },
    });
    const error = await run.then(
      () => assert.fail('training finished although the worker died'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof WorkerExitedError, String(error));
    assert.match(error.message, /exited with code 3/);
    assert.match(error.message, /debug\/crash requested/, 'the stderr tail is in the message');
    assert.ok(!existsSync(outDir));
    assert.match(stderr, /debug\/crash requested/);
  });
});
