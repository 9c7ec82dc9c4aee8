import type { BinaryClassifierFigures, CurvePoint, ReliabilityBin } from '../../common/evaluationReport';
import { brierScore, gini, kolmogorovSmirnov, rocAuc, thresholdCounts, type BinaryLabel } from '../metrics/binaryMetrics';

/**
 * The ROC curve: (false positive rate, true positive rate) as the threshold falls from above the
 * highest score to the lowest, tied scores moving together (one point per distinct score), from
 * (0, 0) to (1, 1). Empty without both classes.
 */
export function rocCurve(labels: readonly BinaryLabel[], scores: readonly number[]): CurvePoint[] {
  const positives = labels.filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return [];
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const points: CurvePoint[] = [{ x: 0, y: 0 }];
  let tp = 0;
  let fp = 0;
  order.forEach((i, k) => {
    if (labels[i] === 1) tp++;
    else fp++;
    if (k === order.length - 1 || scores[order[k + 1]] !== scores[i]) points.push({ x: fp / negatives, y: tp / positives });
  });
  return points;
}

/** Equal-width bins of the predicted probability: each bin's mean prediction and observed default rate. */
export function reliabilityCurve(labels: readonly BinaryLabel[], probabilities: readonly number[], bins = 10): ReliabilityBin[] {
  const sums = Array.from({ length: bins }, () => ({ rows: 0, predicted: 0, defaults: 0 }));
  probabilities.forEach((p, i) => {
    const b = sums[Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))];
    b.rows++;
    b.predicted += p;
    b.defaults += labels[i];
  });
  return sums.map((b, k) => ({
    from: k / bins,
    to: (k + 1) / bins,
    rows: b.rows,
    meanPredicted: b.rows === 0 ? null : b.predicted / b.rows,
    observedRate: b.rows === 0 ? null : b.defaults / b.rows,
  }));
}

/** Every figure of a classifier's P(1) against 0/1 labels, with precision/recall/F1 of class 1 at `threshold` (a score ≥ it is called 1). */
export function classifierFigures(labels: readonly BinaryLabel[], probabilities: readonly number[], threshold: number): BinaryClassifierFigures {
  const counts = thresholdCounts(labels, probabilities, threshold);
  const ks = kolmogorovSmirnov(labels, probabilities);
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn } = counts;
  return {
    auc: rocAuc(labels, probabilities),
    ks: ks?.ks ?? null,
    ksThreshold: ks?.threshold ?? null,
    gini: gini(labels, probabilities),
    brier: brierScore(labels, probabilities),
    threshold,
    atThreshold: { precision: counts.precision, recall: counts.recall, f1: 2 * tp + fp + fn === 0 ? null : (2 * tp) / (2 * tp + fp + fn) },
    confusion: { truePositives: tp, falsePositives: fp, trueNegatives: counts.trueNegatives, falseNegatives: fn },
    roc: rocCurve(labels, probabilities),
    reliability: reliabilityCurve(labels, probabilities),
  };
}
