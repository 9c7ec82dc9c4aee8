/** How well confidences match what happened: a reliability table and the Brier score. */

export interface ReliabilityBin {
  /** Confidence range [from, to) (the last bin includes 1). */
  from: number;
  to: number;
  count: number;
  /** Mean confidence of the bin's spans; null when empty. */
  meanConfidence: number | null;
  /** Share of the bin's spans that are correct (strict match of a gold span); null when empty. */
  precision: number | null;
}

export function reliabilityTable(confidences: readonly number[], correct: readonly boolean[], bins = 10): ReliabilityBin[] {
  const sums = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  const counts = new Array<number>(bins).fill(0);
  confidences.forEach((c, i) => {
    const k = Math.min(bins - 1, Math.max(0, Math.floor(c * bins)));
    counts[k]++;
    sums[k] += c;
    if (correct[i]) hits[k]++;
  });
  return counts.map((count, k) => ({
    from: k / bins,
    to: (k + 1) / bins,
    count,
    meanConfidence: count === 0 ? null : sums[k] / count,
    precision: count === 0 ? null : hits[k] / count,
  }));
}

/** Mean squared difference between confidence and outcome (1 correct, 0 not); null without spans. */
export function brierScore(confidences: readonly number[], correct: readonly boolean[]): number | null {
  if (confidences.length === 0) return null;
  return confidences.reduce((s, c, i) => s + (c - (correct[i] ? 1 : 0)) ** 2, 0) / confidences.length;
}
