/**
 * DeLong's test of two correlated ROC-AUCs (DeLong, DeLong & Clarke-Pearson 1988), computed from
 * mid-ranks as in Sun & Xu (2014): both classifiers score the same rows, so the test uses the
 * covariance of their AUCs instead of treating them as independent. Ties count one half, as in
 * `rocAuc`.
 */
import { classIndexes } from './bootstrapIntervals';
import type { BinaryLabel } from './binaryMetrics';
import { twoSidedNormalP } from './normalDistribution';

export interface PairedAucTest {
  /** AUC of the first classifier minus AUC of the second. */
  difference: number;
  /** Standard error of the difference; 0 when both score the rows in the same order. */
  standardError: number;
  /** difference / standardError; null when the standard error is 0. */
  z: number | null;
  /** Two-sided p-value under H0: equal AUCs (1 when the standard error is 0 and the AUCs are equal). */
  pValue: number | null;
  /** 95% normal interval of the difference. */
  low: number;
  high: number;
}

const Z_95 = 1.959963984540054;

/** Mid-ranks (1-based, ties get the mean of their ranks) of `values`. */
export function midRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]] === values[order[start]]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]] = rank;
    start = end + 1;
  }
  return ranks;
}

/** The placement values of one classifier: V10 per positive, V01 per negative, and its AUC. */
function placements(scores: readonly number[], positives: readonly number[], negatives: readonly number[]): { v10: number[]; v01: number[]; auc: number } {
  const m = positives.length;
  const n = negatives.length;
  const all = midRanks([...positives, ...negatives].map((i) => scores[i]));
  const pos = midRanks(positives.map((i) => scores[i]));
  const neg = midRanks(negatives.map((i) => scores[i]));
  // Negatives below positive i (ties ½) = its rank among all minus its rank among the positives.
  const v10 = pos.map((r, i) => (all[i] - r) / n);
  const v01 = neg.map((r, j) => 1 - (all[m + j] - r) / m);
  return { v10, v01, auc: v10.reduce((s, v) => s + v, 0) / m };
}

function covariance(a: readonly number[], b: readonly number[]): number {
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  return a.reduce((s, v, i) => s + (v - ma) * (b[i] - mb), 0) / (a.length - 1);
}

/**
 * DeLong's paired test of AUC(a) − AUC(b) on the same rows. Null when a class has fewer than two
 * rows (the variance needs two of each).
 */
export function delongTest(labels: readonly BinaryLabel[], a: readonly number[], b: readonly number[]): PairedAucTest | null {
  if (a.length !== labels.length || b.length !== labels.length) throw new RangeError(`${labels.length} labels but ${a.length} and ${b.length} scores`);
  const { positives, negatives } = classIndexes(labels);
  if (positives.length < 2 || negatives.length < 2) return null;
  const pa = placements(a, positives, negatives);
  const pb = placements(b, positives, negatives);
  const m = positives.length;
  const n = negatives.length;
  const variance =
    (covariance(pa.v10, pa.v10) + covariance(pb.v10, pb.v10) - 2 * covariance(pa.v10, pb.v10)) / m +
    (covariance(pa.v01, pa.v01) + covariance(pb.v01, pb.v01) - 2 * covariance(pa.v01, pb.v01)) / n;
  const difference = pa.auc - pb.auc;
  const standardError = Math.sqrt(Math.max(0, variance));
  // Rounding leaves ~1e-17 of variance on identical rankings: below this the AUCs move together.
  if (standardError < 1e-12)
    return { difference, standardError: 0, z: null, pValue: Math.abs(difference) < 1e-12 ? 1 : null, low: difference, high: difference };
  const z = difference / standardError;
  return { difference, standardError, z, pValue: twoSidedNormalP(z), low: difference - Z_95 * standardError, high: difference + Z_95 * standardError };
}
