import { markdownTable } from '../analysis/markdownTable';
import { decimal } from '../analysis/reportFormat';
import type { EntityCalibration } from './entityCalibration';
import type { ReliabilityBin } from './reliability';

const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);

/** One line for training output: the threshold, how it was chosen, and how well the confidences held on dev. */
export function calibrationSummary(c: EntityCalibration): string {
  const fitted =
    c.method === 'platt' ? `Platt scaling (a ${c.parameters!.a.toFixed(3)}, b ${c.parameters!.b.toFixed(3)})` : 'no calibration (no dev span to fit on)';
  const brier = c.brier === null ? '' : `, Brier ${c.brier.toFixed(3)} (raw ${c.brierRaw!.toFixed(3)})`;
  return (
    `calibrated on ${c.dev.records} dev records (${c.dev.candidateSpans} decoded spans, ${c.dev.correctSpans} correct, ${c.dev.goldSpans} gold) with ${c.graph}: ` +
    `${fitted}; confidence threshold ${c.threshold.toFixed(3)} (best dev micro F1 ${pct(c.dev.atThreshold.f1)}, P ${pct(c.dev.atThreshold.precision)}, R ${pct(c.dev.atThreshold.recall)}; ` +
    `F1 without it ${pct(c.dev.all.f1)})${brier}`
  );
}

/** The card's compact form for JSON output. */
export function calibrationBrief(c: EntityCalibration): Record<string, unknown> {
  return {
    method: c.method,
    threshold: c.threshold,
    devSpans: c.dev.candidateSpans,
    devF1AtThreshold: c.dev.atThreshold.f1,
    devF1WithoutThreshold: c.dev.all.f1,
    brier: c.brier,
    graph: c.graph,
  };
}

/** A reliability table as Markdown: the bins with spans, their mean confidence and observed precision. */
export function reliabilityMarkdown(bins: readonly ReliabilityBin[], brier: number | null): string[] {
  const rows = bins
    .filter((b) => b.count > 0)
    .map((b) => [`${b.from.toFixed(1)}–${b.to.toFixed(1)}`, `${b.count}`, decimal(b.meanConfidence), decimal(b.precision)]);
  if (rows.length === 0) return ['No decoded span: no reliability table.'];
  return [markdownTable(['confidence', 'spans', 'mean confidence', 'precision (strict match)'], rows, [1, 2, 3]), '', `Brier score ${decimal(brier)}.`];
}
