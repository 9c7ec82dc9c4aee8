import type { Distribution, HistogramBucket } from '../../common/datasetReports';

/** The bucket a length falls in: 0, 1, 2, 3-4, 5-8, 9-16, ... (powers of two), as [from, to]. */
export function bucketOf(value: number): [number, number] {
  if (value <= 2) return [value, value];
  let to = 4;
  while (to < value) to *= 2;
  return [to / 2 + 1, to];
}

/** Nearest-rank percentile of sorted values: the smallest value with at least p of them at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}

/** Min, percentiles, max, mean and a power-of-two histogram of non-negative integers. */
export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0, min: null, p50: null, p90: null, max: null, mean: null, histogram: [] };
  const sorted = [...values].sort((a, b) => a - b);
  const histogram: HistogramBucket[] = [];
  let [from, to] = bucketOf(sorted[0]);
  const [, lastTo] = bucketOf(sorted[sorted.length - 1]);
  let i = 0;
  for (;;) {
    let count = 0;
    while (i < sorted.length && sorted[i] <= to) {
      count++;
      i++;
    }
    histogram.push({ from, to, count });
    if (to >= lastTo) break;
    [from, to] = bucketOf(to + 1);
  }
  return {
    count: sorted.length,
    min: sorted[0],
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
    histogram,
  };
}
