import * as assert from 'node:assert/strict';
import type { FeatureColumn } from '../../src/server/credit/creditColumns';
import { featureStability, MIN_STABILITY_ROWS, stabilityWarning } from '../../src/server/credit/featureStability';
import { categoricalPsi, numericPsi, quantileEdges } from '../../src/server/metrics/populationStability';

const near = (actual: number, expected: number, what: string): void => assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('population stability index (PSI)', () => {
  it('two bins at the training median: 80/20 against 50/50 is 0.3·ln 4 (hand-computed)', () => {
    // Bins (−∞, 5] and (5, ∞) from training 1..10; actual: 8 values ≤ 5, 2 above.
    // (0.8 − 0.5)·ln(0.8/0.5) + (0.2 − 0.5)·ln(0.2/0.5) = 0.3·ln 1.6 + 0.3·ln 2.5 = 0.3·ln 4.
    const r = numericPsi(range(1, 10), [1, 2, 3, 4, 5, 1, 2, 3, 9, 10], 2);
    assert.deepEqual(
      r.bins.map((b) => [b.label, b.expected, b.actual]),
      [
        ['≤ 5', 0.5, 0.8],
        ['> 5', 0.5, 0.2],
      ],
    );
    near(r.psi, 0.3 * Math.log(4), 'psi');
  });

  it('deciles of the training values; the same distribution scores 0', () => {
    assert.deepEqual(quantileEdges(range(1, 10), 10), range(1, 9));
    assert.deepEqual(quantileEdges([1, 1, 1, 1, 2, 2, 2, 2, 3, 3], 10), [1, 2]);
    const r = numericPsi(range(1, 10), range(1, 10));
    assert.equal(r.bins.length, 10);
    assert.equal(r.psi, 0);
  });

  it('categories, and missing values in a bin of their own (hand-computed)', () => {
    // A 50%/B 50% against A 75%/B 25%: 0.25·ln 1.5 + 0.25·ln 2 = 0.25·ln 3.
    const c = categoricalPsi([...Array(50).fill('A'), ...Array(50).fill('B')], [...Array(75).fill('A'), ...Array(25).fill('B')]);
    near(c.psi, 0.25 * Math.log(3), 'categorical psi');
    // Training all present at 1 and 2; actual half missing: (0.25 − 0.5)·ln 0.5 twice, plus (0.5 − 0.0001)·ln(0.5/0.0001) for the empty bin floored at 0.0001.
    const m = numericPsi([1, 1, 2, 2], [1, 2, null, null], 2);
    assert.deepEqual(
      m.bins.map((b) => b.label),
      ['≤ 1', '> 1', 'missing'],
    );
    near(m.psi, 2 * 0.25 * Math.log(2) + (0.5 - 0.0001) * Math.log(0.5 / 0.0001), 'psi with missing');
  });

  it('per feature across two column layouts, and a warning naming exactly the columns above 0.25', () => {
    const training: FeatureColumn[] = [
      { name: '纳税额(万元)', index: 0, kind: 'float', decimals: 1 },
      { name: '区域', index: 1, kind: 'categorical', decimals: 0 },
    ];
    // The file scored has the columns the other way round.
    const actual: FeatureColumn[] = [
      { ...training[0], index: 1 },
      { ...training[1], index: 0 },
    ];
    const trainingCells = range(1, 100).map((i) => [String(i), i % 2 === 0 ? '华东' : '华北']);
    const shifted = range(1, 100).map((i) => [i % 2 === 0 ? '华东' : '华北', String(i + 60)]);
    const { features: f, leftOut } = featureStability(training, trainingCells, actual, shifted);
    assert.deepEqual(leftOut, []);
    assert.equal(f[1].psi, 0, 'the region mix did not change');
    assert.ok(f[0].psi > 0.25, `tax paid moved up by 60: PSI ${f[0].psi}`);
    const warning = stabilityWarning(f, { column: 'score (P(违约))', psi: 0.1, bins: [] }, 100)!;
    assert.match(warning, /纳税额\(万元\) \(\d+\.\d\d\)/);
    assert.doesNotMatch(warning, /区域|score/);
    assert.equal(stabilityWarning([f[1]], null, 100), null);
    assert.equal(stabilityWarning(f, null, MIN_STABILITY_ROWS - 1), null, 'too few rows to tell a shift from noise');
  });

  it('leaves out identifier-like categorical columns (company names), saying so', () => {
    const name: FeatureColumn = { name: '企业名称', index: 0, kind: 'categorical', decimals: 0 };
    const r = featureStability(
      [name],
      range(1, 60).map((i) => [`企业${i}`]),
      [name],
      range(61, 70).map((i) => [`企业${i}`]),
    );
    assert.deepEqual(r.features, []);
    assert.match(r.leftOut[0], /^企业名称 \(60 distinct values in training/);
  });
});
