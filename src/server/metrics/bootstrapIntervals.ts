/**
 * Stratified, seeded bootstrap intervals for ROC-AUC, KS and Gini. Each replicate draws the
 * positives with replacement from the positives and the negatives from the negatives (so every
 * replicate keeps the table's class counts and every figure stays defined), and recomputes the
 * figures with the same functions as the report's point estimates. AUC (a mean of pairs) gets the
 * percentile interval, Gini its image (2·AUC − 1). KS is a maximum over thresholds: its resamples sit
 * above the estimate (most of all when the true KS is near 0), so a percentile interval can miss the
 * estimate itself; it gets the basic bootstrap interval [2·KS − q_hi, 2·KS − q_lo], clipped to
 * [0, 1], which corrects that bias. The same seed gives the same interval on every platform
 * (mulberry32).
 */
import type { FigureIntervals, Interval } from '../../common/evaluationReport';
import { Rng } from '../util/prng';
import { kolmogorovSmirnov, rocAuc, type BinaryLabel } from './binaryMetrics';

export interface BootstrapOptions {
  /** Default 1000. */
  replicates?: number;
  /** Default 42. */
  seed?: number;
  /** Coverage of the interval; default 0.95. */
  level?: number;
}

/** The q-quantile of ascending `sorted` by linear interpolation between order statistics (numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Row indexes of one stratified resample: as many positives and negatives as the table has, each
 * drawn with replacement within its class. Shared by the intervals and the paired bootstrap.
 */
export function stratifiedResample(positives: readonly number[], negatives: readonly number[], rng: Rng): number[] {
  const out = new Array<number>(positives.length + negatives.length);
  let k = 0;
  for (const group of [positives, negatives]) for (let i = 0; i < group.length; i++) out[k++] = group[rng.int(0, group.length - 1)];
  return out;
}

export function classIndexes(labels: readonly BinaryLabel[]): { positives: number[]; negatives: number[] } {
  const positives: number[] = [];
  const negatives: number[] = [];
  labels.forEach((l, i) => (l === 1 ? positives : negatives).push(i));
  return { positives, negatives };
}

/** 95% (by default) intervals of AUC, KS and Gini of `scores` against `labels`; null without both classes. */
export function bootstrapIntervals(labels: readonly BinaryLabel[], scores: readonly number[], options: BootstrapOptions = {}): FigureIntervals | null {
  const replicates = options.replicates ?? 1000;
  const seed = options.seed ?? 42;
  const level = options.level ?? 0.95;
  if (!(Number.isInteger(replicates) && replicates >= 10)) throw new RangeError(`bootstrap replicates must be an integer ≥ 10 (got ${replicates})`);
  if (!(level > 0 && level < 1)) throw new RangeError(`interval level must be between 0 and 1 (got ${level})`);
  const auc = rocAuc(labels, scores);
  const ks = kolmogorovSmirnov(labels, scores);
  if (auc === null || ks === null) return null;
  const { positives, negatives } = classIndexes(labels);
  const rng = new Rng(seed);
  const aucs: number[] = [];
  const kss: number[] = [];
  for (let b = 0; b < replicates; b++) {
    const rows = stratifiedResample(positives, negatives, rng);
    const l = rows.map((i) => labels[i]);
    const s = rows.map((i) => scores[i]);
    aucs.push(rocAuc(l, s)!);
    kss.push(kolmogorovSmirnov(l, s)!.ks);
  }
  aucs.sort((a, b) => a - b);
  kss.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  const aucInterval: Interval = { estimate: auc, low: quantile(aucs, tail), high: quantile(aucs, 1 - tail) };
  const ksInterval: Interval = { estimate: ks.ks, low: Math.max(0, 2 * ks.ks - quantile(kss, 1 - tail)), high: Math.min(1, 2 * ks.ks - quantile(kss, tail)) };
  return {
    auc: aucInterval,
    ks: ksInterval,
    // Gini = 2·AUC − 1 is monotone in AUC, so its percentiles are the AUC's mapped.
    gini: { estimate: 2 * auc - 1, low: 2 * aucInterval.low - 1, high: 2 * aucInterval.high - 1 },
    replicates,
    seed,
    level,
  };
}
