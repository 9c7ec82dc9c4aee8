import * as assert from 'node:assert/strict';
import { LabelSchema } from '../../src/common/labelSchema';
import { prepareEntityTraining } from '../../src/server/training/entityTraining';
import {
  SCRATCH_EPOCH_RANGE,
  SCRATCH_REGULARISATION,
  SCRATCH_TARGET_STEPS,
  scratchRegularisation,
  scratchSchedule,
} from '../../src/server/training/scratchSchedule';
import { TINY_ENTITY_BASE } from '../../src/server/training/baseModels';

describe('the schedule of an entity model trained from random weights is sized in steps for its data', () => {
  it('a small set gets many epochs with small batches, a large one few; early stopping waits for half of the steps', () => {
    const small = scratchSchedule(400);
    assert.equal(small.batchSize, 16);
    assert.equal(small.epochs, SCRATCH_EPOCH_RANGE.max, '25 steps an epoch would need 120 epochs for the target: capped');
    assert.equal(small.minSteps, Math.round(0.5 * 100 * 25));
    const large = scratchSchedule(10_000);
    assert.equal(large.batchSize, 32);
    assert.equal(large.epochs, Math.ceil(SCRATCH_TARGET_STEPS / Math.ceil(10_000 / 32)));
    assert.equal(large.minSteps, Math.round(0.5 * large.epochs! * 313));
    assert.equal(scratchSchedule(200_000).epochs, SCRATCH_EPOCH_RANGE.min);
    assert.equal(large.patience, 5);
    assert.equal(large.selectionWindow, 3, 'epochs judged by their mean dev F1 over three evaluations');
    assert.ok(large.warmupRatio! > 0);
  });

  it('what the user set wins, and the minimum steps follow the epochs asked for', () => {
    const asked = scratchSchedule(400, { epochs: 40, learningRate: 1e-3, patience: 0 });
    assert.deepEqual([asked.epochs, asked.learningRate, asked.patience, asked.batchSize], [40, 1e-3, 0, 16]);
    assert.equal(asked.minSteps, Math.round(0.5 * 40 * 25));
    assert.equal(scratchSchedule(400, { batchSize: 8 }).minSteps, Math.round(0.5 * 60 * 50));
  });

  it('prepareEntityTraining gives a model from scratch this schedule and a pretrained base only what was asked', function () {
    this.timeout(60_000); // each call loads the shipped tokenizer
    const content = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({ id: `r${i}`, text: `借款金额${i + 1}万元`, labels: [{ entity: '借款金额', start: 4, end: 6 + String(i + 1).length }] }),
    ).join('\n');
    const common = {
      jobId: 'j',
      content,
      file: 'd.jsonl',
      schema: new LabelSchema(),
      tokenizerDir: 'models/tokenizers/bert-base-chinese',
      outDir: '/tmp/none',
      hyper: { epochs: 7 },
    };
    const tiny = prepareEntityTraining({ ...common, base: TINY_ENTITY_BASE });
    const n = tiny.params.train.length;
    assert.deepEqual(tiny.params.hyper, { seed: 42, ...scratchSchedule(n, { epochs: 7 }) });
    assert.deepEqual(tiny.params.base, { ...TINY_ENTITY_BASE, dropout: 0.5, tokenDropout: 0.1 }, '45 records: the small-data regularisation');
    const lighter = prepareEntityTraining({
      ...common,
      base: { kind: 'tiny', architecture: 'bilstm', vocabSize: 21128, hiddenSize: 256, wordBoundaries: true, dropout: 0.2 },
    });
    assert.deepEqual(lighter.params.base, { ...TINY_ENTITY_BASE, dropout: 0.2, tokenDropout: 0.1 }, 'what the base names wins');
    const bert = prepareEntityTraining({ ...common, base: { kind: 'tiny', architecture: 'bert', vocabSize: 21128 } });
    assert.deepEqual(bert.params.base, { kind: 'tiny', architecture: 'bert', vocabSize: 21128 }, 'a small BERT has no such settings');
    const folder = prepareEntityTraining({ ...common, base: { kind: 'folder', path: '/models/bert' } });
    assert.deepEqual(folder.params.hyper, { seed: 42, epochs: 7 });
  });

  it('the small BiLSTM is regularised strongly for small sets, lightly for large ones, in between on the log of the size', () => {
    const { small, large } = SCRATCH_REGULARISATION;
    assert.deepEqual(scratchRegularisation(400), { dropout: small.dropout, tokenDropout: small.tokenDropout });
    assert.deepEqual(scratchRegularisation(small.examples), { dropout: small.dropout, tokenDropout: small.tokenDropout });
    assert.deepEqual(scratchRegularisation(large.examples), { dropout: large.dropout, tokenDropout: large.tokenDropout });
    assert.deepEqual(scratchRegularisation(200_000), { dropout: large.dropout, tokenDropout: large.tokenDropout });
    const middle = scratchRegularisation(Math.sqrt(small.examples * large.examples));
    assert.ok(Math.abs(middle.dropout - (small.dropout + large.dropout) / 2) < 1e-3, `${middle.dropout}`);
    assert.ok(Math.abs(middle.tokenDropout - (small.tokenDropout + large.tokenDropout) / 2) < 1e-3, `${middle.tokenDropout}`);
  });
});
