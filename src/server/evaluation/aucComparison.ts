import type { AucComparison, FigureIntervals } from '../../common/evaluationReport';
import type { BinaryLabel } from '../metrics/binaryMetrics';
import { bootstrapIntervals, type BootstrapOptions } from '../metrics/bootstrapIntervals';
import { delongTest } from '../metrics/delongTest';

/** Below this p-value a difference of AUCs is read as real rather than noise. */
export const SIGNIFICANCE = 0.05;

/** DeLong's paired test of the LLM's AUC against a baseline's on the same rows, with the reading in words; null with fewer than two rows of a class. */
export function compareAuc(
  labels: readonly BinaryLabel[],
  llm: readonly number[],
  baselineScores: readonly number[],
  baseline: AucComparison['baseline'],
): AucComparison | null {
  const t = delongTest(labels, llm, baselineScores);
  if (!t) return null;
  const figures = `AUC difference ${t.difference >= 0 ? '+' : ''}${t.difference.toFixed(3)} (95% CI ${t.low.toFixed(3)} to ${t.high.toFixed(3)}, DeLong p = ${t.pValue === null ? '—' : t.pValue < 0.001 ? '< 0.001' : t.pValue.toFixed(3)})`;
  let reading: string;
  if (t.pValue === null || t.pValue < SIGNIFICANCE)
    reading = t.difference > 0 ? `The LLM ranks better than the ${baseline}: ${figures}.` : `The LLM ranks worse than the ${baseline}: ${figures}.`;
  else reading = `No real difference between the LLM and the ${baseline}: ${figures}; within noise on ${labels.length} rows.`;
  return { baseline, ...t, reading };
}

/** The report's bootstrap settings: 1000 stratified replicates, seed 42, 95%. */
export const REPORT_BOOTSTRAP: Required<BootstrapOptions> = { replicates: 1000, seed: 42, level: 0.95 };

export function reportIntervals(
  labels: readonly BinaryLabel[],
  scores: readonly number[],
  options: BootstrapOptions = REPORT_BOOTSTRAP,
): FigureIntervals | null {
  return bootstrapIntervals(labels, scores, options);
}
