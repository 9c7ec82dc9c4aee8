import * as assert from 'node:assert/strict';
import { compareAuc } from '../../src/server/evaluation/aucComparison';
import { rocAuc, type BinaryLabel } from '../../src/server/metrics/binaryMetrics';
import { bootstrapIntervals } from '../../src/server/metrics/bootstrapIntervals';
import { delongTest, midRanks } from '../../src/server/metrics/delongTest';
import { twoSidedNormalP } from '../../src/server/metrics/normalDistribution';
import { Rng } from '../../src/server/util/prng';

const near = (actual: number | null | undefined, expected: number, tolerance: number, what: string): void => {
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} is not within ${tolerance} of ${expected}`,
  );
};

/** A table of `rows` with `defaults` positives; each model's score is signal·label + N(0, 1) noise (seeded). */
function simulated(rows: number, defaults: number, signals: number[], seed: number): { labels: BinaryLabel[]; scores: number[][] } {
  const rng = new Rng(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng.float())) * Math.cos(2 * Math.PI * rng.float());
  const labels = Array.from({ length: rows }, (_, i) => (i < defaults ? 1 : 0) as BinaryLabel);
  return { labels, scores: signals.map((s) => labels.map((l) => s * l + normal())) };
}

describe('credit uncertainty: bootstrap intervals of AUC, KS and Gini', () => {
  it('a perfectly separating score has every interval at exactly 1', () => {
    const labels: BinaryLabel[] = [0, 0, 0, 1, 1, 0, 1, 0];
    const scores = [0.1, 0.2, 0.3, 0.9, 0.8, 0.15, 0.7, 0.05];
    const i = bootstrapIntervals(labels, scores, { replicates: 200 })!;
    for (const f of [i.auc, i.ks, i.gini]) assert.deepEqual([f.estimate, f.low, f.high], [1, 1, 1]);
  });

  it('a score unrelated to the label: the AUC interval holds 0.5 and is as wide as the Hanley-McNeil standard error says; the KS interval reaches 0', function () {
    this.timeout(30_000);
    const m = 300;
    const n = 300;
    const { labels, scores } = simulated(m + n, m, [0], 7);
    const i = bootstrapIntervals(labels, scores[0], { replicates: 2000, seed: 1 })!;
    assert.ok(i.auc.low < 0.5 && 0.5 < i.auc.high, `[${i.auc.low}, ${i.auc.high}] holds 0.5`);
    // Under H0 (AUC 0.5) the AUC's standard error is sqrt((m + n + 1) / (12 m n)).
    const width = 2 * 1.959964 * Math.sqrt((m + n + 1) / (12 * m * n));
    near(i.auc.high - i.auc.low, width, 0.15 * width, 'interval width');
    near(i.gini.high - i.gini.low, 2 * (i.auc.high - i.auc.low), 1e-12, 'Gini interval is twice the AUC one');
    // The true KS is 0; a sample's KS is above it, and the (basic) interval corrects for that.
    assert.ok(i.ks.estimate > 0);
    assert.equal(i.ks.low, 0);
  });

  it('covers the true AUC and KS of two normal populations about 95% of the time', function () {
    this.timeout(60_000);
    // Scores N(0, 1) for non-defaulters and N(1, 1) for defaulters: AUC = Φ(1/√2) = 0.76025, KS = 2Φ(1/2) − 1 = 0.38292.
    const trueAuc = 0.760249;
    const trueKs = 0.382925;
    let aucCovered = 0;
    let ksCovered = 0;
    const tables = 40;
    for (let t = 0; t < tables; t++) {
      const { labels, scores } = simulated(300, 100, [1], 100 + t);
      const i = bootstrapIntervals(labels, scores[0], { replicates: 400, seed: t })!;
      if (i.auc.low <= trueAuc && trueAuc <= i.auc.high) aucCovered++;
      if (i.ks.low <= trueKs && trueKs <= i.ks.high) ksCovered++;
    }
    assert.ok(aucCovered >= 34, `AUC covered in ${aucCovered} of ${tables} tables`);
    assert.ok(ksCovered >= 34, `KS covered in ${ksCovered} of ${tables} tables`);
  });

  it('is seeded: the same seed gives the same interval, another seed a slightly different one', () => {
    const { labels, scores } = simulated(200, 40, [1], 3);
    const a = bootstrapIntervals(labels, scores[0], { replicates: 300, seed: 5 })!;
    assert.deepEqual(bootstrapIntervals(labels, scores[0], { replicates: 300, seed: 5 }), a);
    const b = bootstrapIntervals(labels, scores[0], { replicates: 300, seed: 6 })!;
    assert.notDeepEqual(b.auc, a.auc);
    near(b.auc.low, a.auc.low, 0.03, 'another seed, lower bound');
  });

  it('is undefined with one class, and refuses too few replicates', () => {
    assert.equal(bootstrapIntervals([1, 1, 1], [0.2, 0.5, 0.9]), null);
    assert.throws(() => bootstrapIntervals([0, 1], [0.2, 0.5], { replicates: 3 }), /replicates must be an integer ≥ 10/);
  });
});

describe("credit uncertainty: DeLong's paired test of two AUCs", () => {
  it('mid-ranks give ties the mean of their ranks', () => {
    assert.deepEqual(midRanks([0.3, 0.1, 0.3, 0.2]), [3.5, 1, 3.5, 2]);
  });

  it('matches a hand computation on two positives and two negatives', () => {
    // Positives first. A: positives 0.9, 0.6; negatives 0.7, 0.2 -> V10 = [1, 0.5], V01 = [0.5, 1], AUC 0.75.
    // B: positives 0.8, 0.05; negatives 0.5, 0.1 -> V10 = [1, 0], V01 = [0.5, 0.5], AUC 0.5.
    // S10 = [[0.125, 0.25], [0.25, 0.5]], S01 = [[0.125, 0], [0, 0]]; Var(A − B) = (0.125 + 0.5 − 0.5)/2 + 0.125/2 = 0.125.
    const labels: BinaryLabel[] = [1, 1, 0, 0];
    const t = delongTest(labels, [0.9, 0.6, 0.7, 0.2], [0.8, 0.05, 0.5, 0.1])!;
    near(t.difference, 0.25, 1e-12, 'difference');
    near(t.standardError, Math.sqrt(0.125), 1e-12, 'standard error');
    near(t.z, 0.25 / Math.sqrt(0.125), 1e-12, 'z');
    // 2·(1 − Φ(0.70711)) = 0.47950
    near(t.pValue, 0.4795, 1e-4, 'p-value');
  });

  it('the normal tail is right at known points', () => {
    near(twoSidedNormalP(1.959964), 0.05, 1e-6, 'p at 1.96');
    near(twoSidedNormalP(0), 1, 1e-6, 'p at 0');
    near(twoSidedNormalP(3.290527), 0.001, 1e-6, 'p at 3.29');
  });

  it('two scores ranking the rows the same way (one a monotone transform of the other) do not differ', () => {
    const { labels, scores } = simulated(100, 30, [1], 11);
    const t = delongTest(
      labels,
      scores[0],
      scores[0].map((s) => 1 / (1 + Math.exp(-3 * s))),
    )!;
    assert.equal(t.difference, 0);
    assert.equal(t.pValue, 1);
  });

  it('its standard error agrees with a paired bootstrap of the AUC difference', () => {
    const { labels, scores } = simulated(600, 150, [1, 0.6], 21);
    const t = delongTest(labels, scores[0], scores[1])!;
    const rng = new Rng(9);
    const pos = labels.flatMap((l, i) => (l === 1 ? [i] : []));
    const neg = labels.flatMap((l, i) => (l === 0 ? [i] : []));
    const diffs: number[] = [];
    for (let b = 0; b < 1000; b++) {
      const rows = [...pos.map(() => pos[rng.int(0, pos.length - 1)]), ...neg.map(() => neg[rng.int(0, neg.length - 1)])];
      const l = rows.map((i) => labels[i]);
      diffs.push(
        rocAuc(
          l,
          rows.map((i) => scores[0][i]),
        )! -
          rocAuc(
            l,
            rows.map((i) => scores[1][i]),
          )!,
      );
    }
    const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
    const sd = Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / (diffs.length - 1));
    near(t.standardError, sd, 0.12 * sd, 'DeLong SE vs bootstrap SD');
  });

  it('a hundred firms do not make a difference of AUC decisive; thousands of rows with the same models do', () => {
    const small = simulated(100, 15, [1.0, 0.6], 4);
    const large = simulated(4000, 600, [1.0, 0.6], 4);
    const s = compareAuc(small.labels, small.scores[0], small.scores[1], 'GBDT')!;
    const l = compareAuc(large.labels, large.scores[0], large.scores[1], 'GBDT')!;
    assert.ok(s.pValue! > 0.05, `100 rows: p = ${s.pValue}`);
    assert.match(s.reading, /^No real difference between the LLM and the GBDT: .*within noise on 100 rows\.$/);
    assert.ok(s.low < 0 && s.high > 0, `100 rows: the difference's interval [${s.low}, ${s.high}] holds 0`);
    assert.ok(l.pValue! < 0.05, `4000 rows: p = ${l.pValue}`);
    assert.match(l.reading, /^The LLM ranks better than the GBDT: AUC difference \+0\.\d{3}/);
    const si = bootstrapIntervals(small.labels, small.scores[0], { replicates: 500 })!;
    assert.ok(si.auc.high - si.auc.low > 0.15, `100 rows: the AUC interval is wide (${si.auc.low}–${si.auc.high})`);
  });

  it('needs two rows of each class', () => {
    assert.equal(delongTest([1, 0, 0], [0.9, 0.1, 0.2], [0.8, 0.3, 0.1]), null);
  });
});
