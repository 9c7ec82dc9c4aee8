import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LabelSchema } from '../../src/common/labelSchema';
import { EntityModelError, loadEntityModelFolder } from '../../src/server/inference/entityModelFolder';
import { EntityPredictor } from '../../src/server/inference/entityPredictor';
import { TINY_ENTITY_BASE } from '../../src/server/training/baseModels';
import { prepareEntityTraining } from '../../src/server/training/entityTraining';
import { WORD_SEGMENTER_FILE } from '../../src/server/tokenization/wordSegmenter';
import type { WorkerJobs } from '../../src/server/worker/workerJobs';
import type { WorkerSupervisor } from '../../src/server/worker/workerSupervisor';
import { syntheticClauses } from '../unit/syntheticTrainingData';
import { servedAgainstWorker } from './servedAgainstWorker';
import { startWorkerJobs } from './workerPython';

const repo = path.resolve(__dirname, '..', '..', '..');
const shippedSegmenter = path.join(repo, 'models', 'tokenizers', 'qwen2', 'tokenizer.json');

describe('the small BiLSTM with word boundaries, trained by the worker and served by onnxruntime-node', function () {
  this.timeout(240_000);
  const scratch = mkdtempSync(path.join(tmpdir(), 'finlabel-words-'));
  const modelDir = path.join(scratch, 'model');
  const schema = new LabelSchema();
  const training = (base = { ...TINY_ENTITY_BASE, hiddenSize: 48 } as Parameters<typeof prepareEntityTraining>[0]['base']) =>
    prepareEntityTraining({
      jobId: 'words',
      content: syntheticClauses(21, 300),
      file: 'clauses.jsonl',
      schema,
      tokenizerDir: path.join(repo, 'models', 'tokenizers', 'bert-base-chinese'),
      base,
      outDir: modelDir,
      hyper: { epochs: 6, batchSize: 16, learningRate: 5e-3 },
      export: { onnx: true, quantize: false },
    });
  let supervisor: WorkerSupervisor | undefined;
  let jobs: WorkerJobs;

  before(async function () {
    ({ supervisor, jobs } = startWorkerJobs(repo));
    const prepared = training();
    await jobs.trainEntities(prepared.params, prepared.dev);
  });

  after(async () => {
    await supervisor?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('the default small model reads word boundaries, and its folder keeps the segmenter it was trained with', () => {
    assert.equal(TINY_ENTITY_BASE.kind === 'tiny' && TINY_ENTITY_BASE.wordBoundaries, true);
    const { params } = training();
    assert.ok(
      params.train.every((e) => e.wordBoundaryIds?.length === e.inputIds.length && e.wordBoundaryIds[0] === 0 && e.wordBoundaryIds.at(-1) === 0),
      'every example has one boundary per token, 0 at [CLS] and [SEP]',
    );
    assert.ok(new Set(params.train.flatMap((e) => e.wordBoundaryIds!.slice(1, -1))).size >= 3, 'words of several characters and single ones');
    assert.equal(readFileSync(path.join(modelDir, WORD_SEGMENTER_FILE), 'utf8'), readFileSync(shippedSegmenter, 'utf8'));
    assert.ok(loadEntityModelFolder(modelDir).segmenter, 'the folder is read with its segmenter');
    // Trained further, the model keeps reading them: the base folder's segmenter goes on.
    const further = training({ kind: 'folder', path: modelDir });
    assert.ok(further.params.train[0].wordBoundaryIds && further.params.output.files[WORD_SEGMENTER_FILE]);
    // Without them (--word-boundaries off), no boundaries and no segmenter.
    const without = training({ ...TINY_ENTITY_BASE, wordBoundaries: false });
    assert.ok(without.params.train.every((e) => e.wordBoundaryIds === undefined) && !(WORD_SEGMENTER_FILE in without.params.output.files));
  });

  it('the server predicts what PyTorch predicts in the worker from the same tokens and boundaries', async () => {
    const records = syntheticClauses(22, 40)
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { text: string; labels: { entity: string; start: number; end: number }[] });
    const { spans, correct } = await servedAgainstWorker(jobs, modelDir, records);
    assert.ok(spans >= 60 && correct / spans > 0.8, `the model learnt the task: ${correct} of ${spans} spans exactly gold`);
  });

  it('a folder whose segmenter is missing or is not a byte-level BPE tokenizer is refused, saying which file', async () => {
    const file = path.join(modelDir, WORD_SEGMENTER_FILE);
    const aside = path.join(scratch, 'aside.json');
    renameSync(file, aside);
    try {
      await assert.rejects(
        EntityPredictor.load(modelDir, { threads: 1 }),
        (err: Error) => err instanceof EntityModelError && /reads word_boundary_ids, but its folder has no word-segmenter\.json/.test(err.message),
      );
      copyFileSync(path.join(repo, 'models', 'tokenizers', 'bert-base-chinese', 'tokenizer.json'), file);
      assert.throws(
        () => loadEntityModelFolder(modelDir),
        (err: Error) => err instanceof EntityModelError && err.message.startsWith(file) && /must be a BPE tokenizer, this one is WordPiece/.test(err.message),
      );
    } finally {
      rmSync(file, { force: true });
      renameSync(aside, file);
    }
    assert.ok(existsSync(file));
  });
});
