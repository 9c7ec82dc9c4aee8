/**
 * The confidence threshold with the best micro F1 on labelled spans: a span is kept when its
 * confidence is at least the threshold. The cut falls between two neighbouring confidences (the spans
 * above are kept); among equal F1s the cut that keeps the most spans wins, except at F1 0, where
 * keeping nothing wins (a model with no correct dev span shows nothing). The threshold is the
 * midpoint between the least confident span kept and the most confident span dropped (0 and 1 stand
 * in for a missing neighbour), not the kept span's own confidence: a small dev set pins the cut down
 * only that far, and new text need not reach the exact confidence of a dev span. Without spans the
 * threshold is 0.
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
  let best = figures(0, 0, order.length === 0 ? 0 : (1 + confidences[order[0]]) / 2);
  let hits = 0;
  for (let n = 0; n < order.length; n++) {
    if (correct[order[n]]) hits++;
    // Only where the next span's confidence is lower: equal confidences are kept or dropped together.
    if (n + 1 < order.length && confidences[order[n + 1]] === confidences[order[n]]) continue;
    const next = n + 1 < order.length ? confidences[order[n + 1]] : 0;
    const candidate = figures(n + 1, hits, (confidences[order[n]] + next) / 2);
    const f1 = candidate.f1 ?? 0;
    const bestF1 = best.f1 ?? 0;
    if (f1 > bestF1 || (f1 === bestF1 && f1 > 0)) best = candidate;
  }
  return best;
}
