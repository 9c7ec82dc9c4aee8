/**
 * Metrics of a binary classifier's probabilities against 0/1 labels: ROC-AUC (ties count one half),
 * KS, Gini, Brier score, and the counts at a threshold. Undefined values are null with no guessing:
 * AUC, KS and Gini need both classes.
 */

export type BinaryLabel = 0 | 1;

function check(labels: readonly BinaryLabel[], scores: readonly number[]): void {
  if (labels.length !== scores.length) throw new RangeError(`${labels.length} labels but ${scores.length} scores`);
  scores.forEach((s, i) => {
    if (!Number.isFinite(s)) throw new RangeError(`score ${i} is ${s}, not a finite number`);
  });
}

/** Indexes grouped by equal score, groups in ascending score order. */
function tieGroups(scores: readonly number[]): number[][] {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const groups: number[][] = [];
  for (const i of order) {
    const last = groups[groups.length - 1];
    if (last && scores[last[0]] === scores[i]) last.push(i);
    else groups.push([i]);
  }
  return groups;
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random negative,
 * a tie counting one half (Mann-Whitney U with mid-ranks). Null without both classes.
 */
export function rocAuc(labels: readonly BinaryLabel[], scores: readonly number[]): number | null {
  check(labels, scores);
  const positives = labels.filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return null;
  let negativesBelow = 0;
  let u = 0;
  for (const group of tieGroups(scores)) {
    const pos = group.filter((i) => labels[i] === 1).length;
    const neg = group.length - pos;
    u += pos * (negativesBelow + neg / 2);
    negativesBelow += neg;
  }
  return u / (positives * negatives);
}

/** Gini = 2·AUC − 1. */
export function gini(labels: readonly BinaryLabel[], scores: readonly number[]): number | null {
  const auc = rocAuc(labels, scores);
  return auc === null ? null : 2 * auc - 1;
}

export interface KolmogorovSmirnov {
  /** max over thresholds of |F_defaulters(t) − F_non-defaulters(t)|, cumulative distributions of the score. */
  ks: number;
  /** The score at which the gap is largest (scores ≤ it on one side). */
  threshold: number;
}

/** KS statistic between the scores of the positives and the negatives; tied scores move together. */
export function kolmogorovSmirnov(labels: readonly BinaryLabel[], scores: readonly number[]): KolmogorovSmirnov | null {
  check(labels, scores);
  const positives = labels.filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return null;
  let cumPos = 0;
  let cumNeg = 0;
  let best: KolmogorovSmirnov = { ks: 0, threshold: Math.min(...scores) };
  for (const group of tieGroups(scores)) {
    for (const i of group) {
      if (labels[i] === 1) cumPos++;
      else cumNeg++;
    }
    const gap = Math.abs(cumPos / positives - cumNeg / negatives);
    if (gap > best.ks) best = { ks: gap, threshold: scores[group[0]] };
  }
  return best;
}

/** Mean squared difference between probability and label. Null for no examples. */
export function brierScore(labels: readonly BinaryLabel[], probabilities: readonly number[]): number | null {
  check(labels, probabilities);
  probabilities.forEach((p, i) => {
    if (p < 0 || p > 1) throw new RangeError(`probability ${i} is ${p}, outside [0, 1]`);
  });
  if (labels.length === 0) return null;
  return labels.reduce<number>((s, y, i) => s + (probabilities[i] - y) ** 2, 0) / labels.length;
}

export interface ThresholdCounts {
  threshold: number;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
  /** Of the default class (1). */
  precision: number | null;
  recall: number | null;
}

/** Confusion counts when a score ≥ threshold is called 1. */
export function thresholdCounts(labels: readonly BinaryLabel[], scores: readonly number[], threshold: number): ThresholdCounts {
  check(labels, scores);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  labels.forEach((y, i) => {
    const called = scores[i] >= threshold;
    if (called && y === 1) tp++;
    else if (called) fp++;
    else if (y === 1) fn++;
    else tn++;
  });
  return {
    threshold,
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: tp + fn === 0 ? null : tp / (tp + fn),
  };
}
