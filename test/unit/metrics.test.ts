import * as assert from 'node:assert/strict';
import { brierScore, gini, kolmogorovSmirnov, rocAuc, thresholdCounts } from '../../src/server/metrics/binaryMetrics';
import { SpanTally } from '../../src/server/metrics/spanMetrics';

const close = (actual: number | null, expected: number, what = 'value'): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);
};

describe('metrics: strict span precision, recall and F1', () => {
  it('counts per type, micro and macro (hand-computed)', () => {
    const tally = new SpanTally();
    tally.type('C'); // listed with no spans: no F1, not in the macro mean
    tally.add(
      [
        { type: 'A', start: 0, end: 2 },
        { type: 'B', start: 3, end: 5 },
      ],
      [
        { type: 'A', start: 0, end: 2 },
        { type: 'B', start: 3, end: 6 },
      ],
    );
    tally.add(
      [{ type: 'A', start: 1, end: 4 }],
      [
        { type: 'A', start: 1, end: 4 },
        { type: 'A', start: 5, end: 6 },
      ],
    );
    const e = tally.evaluate();
    assert.deepEqual(
      e.types.map((t) => [t.type, t.reference, t.candidate, t.matched]),
      [
        ['C', 0, 0, 0],
        ['A', 2, 3, 2],
        ['B', 1, 1, 0],
      ],
    );
    const a = e.types[1];
    close(a.precision, 2 / 3, 'A precision');
    close(a.recall, 1, 'A recall');
    close(a.f1, 0.8, 'A f1');
    assert.deepEqual([e.types[2].precision, e.types[2].recall, e.types[2].f1], [0, 0, 0]);
    assert.deepEqual([e.types[0].precision, e.types[0].recall, e.types[0].f1], [null, null, null]);
    close(e.micro.precision, 0.5, 'micro precision');
    close(e.micro.recall, 2 / 3, 'micro recall');
    close(e.micro.f1, 4 / 7, 'micro f1');
    close(e.macro.f1, 0.4, 'macro f1');
    assert.equal(e.macro.types, 2);
  });

  it('a type or offset that differs by one is a miss; duplicates match as often as they occur', () => {
    const tally = new SpanTally();
    tally.add(
      [
        { type: 'A', start: 0, end: 2 },
        { type: 'A', start: 0, end: 2 },
      ],
      [
        { type: 'A', start: 0, end: 2 },
        { type: 'B', start: 0, end: 2 },
        { type: 'A', start: 0, end: 3 },
      ],
    );
    const [a, b] = tally.evaluate().types;
    assert.deepEqual([a.reference, a.candidate, a.matched, b.matched], [2, 2, 1, 0]);
  });
});

describe('metrics: ROC-AUC, Gini, KS, Brier', () => {
  const labels = [0, 0, 1, 1] as const;
  const scores = [0.1, 0.4, 0.35, 0.8];

  it('AUC and Gini of a textbook case', () => {
    close(rocAuc(labels, scores), 0.75);
    close(gini(labels, scores), 0.5);
  });

  it('a tie between a positive and a negative counts one half', () => {
    close(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]), 0.875);
    close(rocAuc([0, 1], [0.3, 0.3]), 0.5);
    close(rocAuc([1, 0, 1, 0], [1, 0, 1, 0]), 1);
    close(rocAuc([1, 0], [0, 1]), 0);
  });

  it('AUC, Gini and KS are null without both classes', () => {
    assert.equal(rocAuc([1, 1], [0.2, 0.3]), null);
    assert.equal(gini([0], [0.2]), null);
    assert.equal(kolmogorovSmirnov([0, 0], [0.1, 0.2]), null);
  });

  it('KS is the largest gap between the cumulative score distributions, tied scores moving together', () => {
    assert.deepEqual(kolmogorovSmirnov(labels, scores), { ks: 0.5, threshold: 0.1 });
    assert.deepEqual(kolmogorovSmirnov([0, 1], [0.5, 0.5]), { ks: 0, threshold: 0.5 });
    assert.deepEqual(kolmogorovSmirnov([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9]), { ks: 1, threshold: 0.2 });
  });

  it('Brier score and threshold counts', () => {
    close(brierScore([1, 0], [0.8, 0.3]), 0.065);
    assert.equal(brierScore([], []), null);
    assert.throws(() => brierScore([1], [1.5]), /probability 0 is 1.5, outside \[0, 1\]/);
    assert.deepEqual(thresholdCounts(labels, scores, 0.35), {
      threshold: 0.35,
      truePositives: 2,
      falsePositives: 1,
      trueNegatives: 1,
      falseNegatives: 0,
      precision: 2 / 3,
      recall: 1,
    });
  });

  it('refuses mismatched lengths and non-finite scores', () => {
    assert.throws(() => rocAuc([0, 1], [0.5]), /2 labels but 1 scores/);
    assert.throws(() => rocAuc([0, 1], [0.5, NaN]), /score 1 is NaN/);
  });
});
