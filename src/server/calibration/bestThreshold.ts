/**
 * The confidence threshold with the best micro F1 on labelled spans: a span is kept when its
 * confidence is at least the threshold. Candidates are the spans' confidences (the threshold is the
 * confidence of the least confident span kept, a point the dev data vouches for); among equal F1s
 * the lowest wins (it keeps the most spans), except at F1 0, where keeping nothing wins (a model
 * with no correct dev span shows nothing). Without spans the threshold is 0.
 */

export interface ThresholdChoice {
  threshold: number;
  /** Figures of the spans kept at the threshold; null where undefined (nothing kept, no gold). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  kept: number;
}

export function chooseThreshold(confidences: readonly number[], correct: readonly boolean[], goldCount: number): ThresholdChoice {
  const order = confidences.map((_, i) => i).sort((i, j) => confidences[j] - confidences[i]);
  const figures = (kept: number, hits: number, threshold: number): ThresholdChoice => {
    const precision = kept === 0 ? null : hits / kept;
    const recall = goldCount === 0 ? null : hits / goldCount;
    const f1 = kept + goldCount === 0 ? null : (2 * hits) / (kept + goldCount);
    return { threshold, precision, recall, f1, kept };
  };
  // Keeping nothing is the start: F1 0 when there is gold.
  let best = figures(0, 0, order.length === 0 ? 0 : Math.min(1, confidences[order[0]] + Number.EPSILON));
  let hits = 0;
  for (let n = 0; n < order.length; n++) {
    if (correct[order[n]]) hits++;
    // Only where the next span's confidence is lower: equal confidences are kept or dropped together.
    if (n + 1 < order.length && confidences[order[n + 1]] === confidences[order[n]]) continue;
    const candidate = figures(n + 1, hits, confidences[order[n]]);
    const f1 = candidate.f1 ?? 0;
    const bestF1 = best.f1 ?? 0;
    if (f1 > bestF1 || (f1 === bestF1 && f1 > 0)) best = candidate;
  }
  return best;
}
