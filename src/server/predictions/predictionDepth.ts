import type { PredictionDepth } from '../../common/lspProtocol';
import { assessDepth, type DepthTally } from '../calibration/outOfDepth';
import type { EntityCalibration } from '../calibration/entityCalibration';

const pct = (v: number): string => `${(v * 100).toFixed(0)}%`;

/**
 * A document's depth: its texts' tallies summed and judged by the model card's out-of-depth rule (a
 * model without calibration is never judged out of depth: it has no dev data to compare with).
 * `shown` is the number of confident spans, which are hidden when the document is out of depth.
 */
export function documentDepth(
  calibration: EntityCalibration | undefined,
  tallies: readonly DepthTally[],
  shown: number,
  threshold: number,
  thresholdSource: PredictionDepth['thresholdSource'],
): PredictionDepth {
  const candidates = tallies.reduce((s, t) => s + t.candidates, 0);
  const lowConfidence = tallies.reduce((s, t) => s + t.lowConfidence, 0);
  const stats = calibration?.outOfDepth;
  const judged = stats ? assessDepth(stats, { candidates, lowConfidence }) : undefined;
  const outOfDepth = judged?.outOfDepth ?? false;
  const where = thresholdSource === 'setting' ? 'finlabel.predictions.confidenceThreshold' : thresholdSource === 'card' ? "the model card's" : 'no calibration';
  const figures = { threshold, candidates, lowConfidence, expectedLowShare: stats?.expectedLowShare ?? null, hidden: outOfDepth ? shown : 0 };
  const message = outOfDepth
    ? `model out of its depth here: ${outOfDepthReason(figures, 'hidden')}`
    : `${shown} prediction${shown === 1 ? '' : 's'} at confidence ≥ ${threshold.toFixed(2)} (${where}); ${lowConfidence} of ${candidates} spans found were below it`;
  return { ...figures, thresholdSource, outOfDepth, message };
}

/**
 * Why a document is out of the model's depth, from its figures, ending with what that makes of its
 * other (confident) predictions: the status bar's and hover's "hidden", the CLI's "may be noise" (it prints them).
 */
export function outOfDepthReason(
  depth: Pick<PredictionDepth, 'threshold' | 'candidates' | 'lowConfidence' | 'expectedLowShare' | 'hidden'>,
  others: 'hidden' | 'noise',
): string {
  const { lowConfidence, candidates, hidden } = depth;
  const expected = depth.expectedLowShare === null ? '' : `, against ${pct(depth.expectedLowShare)} on its dev data`;
  const fate = others === 'hidden' ? (hidden === 1 ? 'is hidden' : 'are hidden') : 'may be noise';
  return (
    `${lowConfidence} of the ${candidates} spans it finds are below its confidence threshold ${depth.threshold.toFixed(2)} ` +
    `(${pct(lowConfidence / candidates)}${expected}): this text looks unlike what it was trained on, so its ${hidden} other prediction${hidden === 1 ? '' : 's'} ${fate}`
  );
}
