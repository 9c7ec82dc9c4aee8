import type { EntityCalibration } from './entityCalibration';

const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);

/** One line for training output: the threshold, how it was chosen, and how well the confidences held on dev. */
export function calibrationSummary(c: EntityCalibration): string {
  const fitted = c.method === 'platt' ? `Platt scaling (a ${c.parameters!.a.toFixed(3)}, b ${c.parameters!.b.toFixed(3)})` : 'no calibration (no dev span to fit on)';
  const brier = c.brier === null ? '' : `, Brier ${c.brier.toFixed(3)} (raw ${c.brierRaw!.toFixed(3)})`;
  return (
    `calibrated on ${c.dev.records} dev records (${c.dev.candidateSpans} decoded spans, ${c.dev.correctSpans} correct, ${c.dev.goldSpans} gold) with ${c.graph}: ` +
    `${fitted}; confidence threshold ${c.threshold.toFixed(3)} (best dev micro F1 ${pct(c.dev.atThreshold.f1)}, P ${pct(c.dev.atThreshold.precision)}, R ${pct(c.dev.atThreshold.recall)}; ` +
    `F1 without it ${pct(c.dev.all.f1)})${brier}`
  );
}

/** The card's compact form for JSON output. */
export function calibrationBrief(c: EntityCalibration): Record<string, unknown> {
  return { method: c.method, threshold: c.threshold, devSpans: c.dev.candidateSpans, devF1AtThreshold: c.dev.atThreshold.f1, devF1WithoutThreshold: c.dev.all.f1, brier: c.brier, graph: c.graph };
}
