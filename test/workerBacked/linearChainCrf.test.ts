import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LabelSchema } from '../../src/common/labelSchema';
import { bioTransitionAllowed, bioViterbi } from '../../src/server/entities/bioViterbi';
import { crfLogMarginals, crfViterbi, type CrfScores } from '../../src/server/entities/linearChainCrf';
import { EntityModelError, loadEntityModelFolder } from '../../src/server/inference/entityModelFolder';
import { Rng } from '../../src/server/util/prng';
import { prepareEntityTraining } from '../../src/server/training/entityTraining';
import type { WorkerJobs } from '../../src/server/worker/workerJobs';
import type { WorkerSupervisor } from '../../src/server/worker/workerSupervisor';
import { syntheticClauses } from '../unit/syntheticTrainingData';
import { servedAgainstWorker } from './servedAgainstWorker';
import { startWorkerJobs } from './workerPython';

const LABELS = 5; // O, B-X, I-X, B-Y, I-Y

function randomCase(rng: Rng, tokens: number): { scores: { data: Float32Array; tokens: number; labels: number }; crf: CrfScores } {
  const normal = (): number => (rng.float() - 0.5) * 6;
  return {
    scores: { data: Float32Array.from({ length: tokens * LABELS }, normal), tokens, labels: LABELS },
    crf: {
      labels: LABELS,
      start: Float64Array.from({ length: LABELS }, normal),
      end: Float64Array.from({ length: LABELS }, normal),
      transitions: Float64Array.from({ length: LABELS * LABELS }, normal),
    },
  };
}

/** Every valid BIO path of `tokens` tags with its score by the CRF's definition. */
function enumerate(scores: { data: Float32Array; tokens: number }, crf: CrfScores): { path: number[]; score: number }[] {
  const out: { path: number[]; score: number }[] = [];
  const walk = (path: number[]): void => {
    if (path.length === scores.tokens) {
      let score = crf.start[path[0]] + crf.end[path[path.length - 1]];
      path.forEach((k, t) => (score += scores.data[t * LABELS + k] + (t > 0 ? crf.transitions[path[t - 1] * LABELS + k] : 0)));
      out.push({ path, score });
      return;
    }
    for (let k = 0; k < LABELS; k++) if (bioTransitionAllowed(path.length === 0 ? -1 : path[path.length - 1], k)) walk([...path, k]);
  };
  walk([]);
  return out;
}

describe('decoding with a CRF (linearChainCrf)', () => {
  it('finds the best valid BIO path and the marginals that brute force over every path finds', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 40; trial++) {
      const tokens = 1 + (trial % 5);
      const { scores, crf } = randomCase(rng, tokens);
      const paths = enumerate(scores, crf);
      const best = paths.reduce((a, b) => (b.score > a.score ? b : a));
      assert.deepEqual([...crfViterbi(scores, crf)], best.path, `trial ${trial}`);
      const total = paths.reduce((s, p) => s + Math.exp(p.score), 0);
      const marginals = crfLogMarginals(scores, crf);
      for (let t = 0; t < tokens; t++) {
        for (let k = 0; k < LABELS; k++) {
          const expected = paths.filter((p) => p.path[t] === k).reduce((s, p) => s + Math.exp(p.score), 0) / total;
          assert.ok(
            Math.abs(Math.exp(marginals.data[t * LABELS + k]) - expected) < 1e-5,
            `trial ${trial}, token ${t}, tag ${k}: ${Math.exp(marginals.data[t * LABELS + k])} vs ${expected}`,
          );
        }
      }
    }
  });

  it('lets a transition score overrule the tokens: a strong I-X after B-X joins a token the tokens alone leave out', () => {
    // token scores: B-X, then O slightly ahead of I-X; the learnt B-X -> I-X score tips it
    const lp = (p: number[]): number[] => p.map(Math.log);
    const scores = { data: Float32Array.from([...lp([0.1, 0.8, 0.05, 0.03, 0.02]), ...lp([0.5, 0.05, 0.4, 0.03, 0.02])]), tokens: 2, labels: LABELS };
    assert.deepEqual([...bioViterbi(scores)], [1, 0]);
    const transitions = new Float64Array(LABELS * LABELS);
    transitions[1 * LABELS + 2] = 1;
    assert.deepEqual([...crfViterbi(scores, { labels: LABELS, start: new Float64Array(LABELS), end: new Float64Array(LABELS), transitions })], [1, 2]);
  });

  it('refuses scores and transitions of different label counts', () => {
    const { scores, crf } = randomCase(new Rng(1), 3);
    assert.throws(() => crfViterbi({ ...scores, labels: 3, data: scores.data.subarray(0, 9) }, crf), /3 labels, transition scores for 5/);
  });
});

const repo = path.resolve(__dirname, '..', '..', '..');

describe('a small BiLSTM-CRF trained by the worker, served by onnxruntime-node', function () {
  this.timeout(240_000);
  const scratch = mkdtempSync(path.join(tmpdir(), 'finlabel-crf-'));
  const modelDir = path.join(scratch, 'model');
  const schema = new LabelSchema();
  let supervisor: WorkerSupervisor | undefined;
  let jobs: WorkerJobs;

  before(async function () {
    ({ supervisor, jobs } = startWorkerJobs(repo));
    const prepared = prepareEntityTraining({
      jobId: 'crf',
      content: syntheticClauses(11, 300),
      file: 'clauses.jsonl',
      schema,
      tokenizerDir: path.join(repo, 'models', 'tokenizers', 'bert-base-chinese'),
      base: { kind: 'tiny', architecture: 'bilstm', vocabSize: 21128, hiddenSize: 48 },
      outDir: modelDir,
      hyper: { epochs: 6, batchSize: 16, learningRate: 5e-3 },
      export: { onnx: true, quantize: false },
    });
    await jobs.trainEntities(prepared.params, prepared.dev);
  });

  after(async () => {
    await supervisor?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('decodes in the server as PyTorch decodes in the worker: the same spans from crf.json and the graph', async () => {
    const model = loadEntityModelFolder(modelDir);
    assert.ok(model.crf, 'the folder has crf.json and it is read');
    const records = syntheticClauses(12, 40)
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { text: string; labels: { entity: string; start: number; end: number }[] });
    const { served, spans, correct } = await servedAgainstWorker(jobs, modelDir, records);
    assert.ok(spans >= 60 && correct / spans > 0.8, `the model learnt the task: ${correct} of ${spans} spans exactly gold`);
    const scores = served.flatMap((d) => d.map((s) => s.score));
    assert.ok(
      scores.every((s) => s > 0 && s <= 1),
      'span scores from the marginals are probabilities',
    );
  });

  it('refuses a folder whose crf.json belongs to other labels, naming the file', () => {
    const file = path.join(modelDir, 'crf.json');
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, JSON.stringify({ ...JSON.parse(original), bio: ['O', 'B-X', 'I-X'] }));
      assert.throws(
        () => loadEntityModelFolder(modelDir),
        (err: Error) => err instanceof EntityModelError && err.message.startsWith(file) && /is not the label list of labels\.json/.test(err.message),
      );
      writeFileSync(file, JSON.stringify({ ...JSON.parse(original), end: [1, 2] }));
      assert.throws(() => loadEntityModelFolder(modelDir), /"end" must hold 7 finite numbers/);
    } finally {
      writeFileSync(file, original);
    }
  });
});
