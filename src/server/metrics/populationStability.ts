/**
 * Population stability index between an expected distribution (the model's training split) and an
 * actual one (the file scored or evaluated): PSI = Σ (actual share − expected share) · ln(actual share /
 * expected share) over bins. Numeric values are binned at the expected values' deciles (edges are
 * deduplicated, so a column with few distinct values gets fewer bins); categorical values bin by
 * category; missing values get a bin of their own. An empty bin's share is floored at 0.0001, the
 * usual convention, so the index stays finite. Banks read PSI < 0.1 as stable, 0.1–0.25 as a shift
 * to watch and > 0.25 as a shift that invalidates the model's figures.
 */

import type { PsiBin } from '../../common/evaluationReport';

/** Above this PSI a distribution has shifted too far for the model's figures to hold. */
export const PSI_WARNING = 0.25;

const EMPTY_SHARE = 0.0001;

/** Bins are labelled "≤ 3.5", "(3.5, 7]", "> 7", a category, or "missing". */
export interface PsiResult {
  psi: number;
  bins: PsiBin[];
}

export const psiTerm = (expected: number, actual: number): number => {
  const e = Math.max(expected, EMPTY_SHARE);
  const a = Math.max(actual, EMPTY_SHARE);
  return (a - e) * Math.log(a / e);
};

function fromCounts(labels: readonly string[], expected: readonly number[], actual: readonly number[]): PsiResult {
  const te = expected.reduce((s, c) => s + c, 0);
  const ta = actual.reduce((s, c) => s + c, 0);
  if (te === 0 || ta === 0) throw new RangeError(`PSI needs values on both sides (expected ${te}, actual ${ta})`);
  const bins = labels.map((label, k) => ({ label, expected: expected[k] / te, actual: actual[k] / ta }));
  return { psi: bins.reduce((s, b) => s + psiTerm(b.expected, b.actual), 0), bins };
}

/** The distinct interior decile edges of ascending `sorted` (nearest-rank), at most bins − 1 of them. */
export function quantileEdges(sorted: readonly number[], bins: number): number[] {
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const v = sorted[Math.min(sorted.length - 1, Math.ceil((k / bins) * sorted.length) - 1)];
    if (v < sorted[sorted.length - 1] && (edges.length === 0 || v > edges[edges.length - 1])) edges.push(v);
  }
  return edges;
}

/** PSI of numeric values (null = missing), binned at the expected values' quantiles: bins are (edge_{k-1}, edge_k]. */
export function numericPsi(expected: readonly (number | null)[], actual: readonly (number | null)[], bins = 10): PsiResult {
  const sorted = expected.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const edges = sorted.length === 0 ? [] : quantileEdges(sorted, bins);
  const labels =
    edges.length === 0 ? ['all values'] : [`≤ ${edges[0]}`, ...edges.slice(1).map((e, k) => `(${edges[k]}, ${e}]`), `> ${edges[edges.length - 1]}`];
  const bin = (v: number): number => {
    let k = 0;
    while (k < edges.length && v > edges[k]) k++;
    return k;
  };
  const count = (values: readonly (number | null)[]): number[] => {
    const c = new Array<number>(labels.length + 1).fill(0);
    for (const v of values) c[v === null ? labels.length : bin(v)]++;
    return c;
  };
  const e = count(expected);
  const a = count(actual);
  const withMissing = e[labels.length] + a[labels.length] > 0;
  return withMissing ? fromCounts([...labels, 'missing'], e, a) : fromCounts(labels, e.slice(0, -1), a.slice(0, -1));
}

/** PSI of categorical values (null = missing): one bin per category seen on either side. */
export function categoricalPsi(expected: readonly (string | null)[], actual: readonly (string | null)[]): PsiResult {
  const key = (v: string | null): string => v ?? 'missing';
  const labels = [...new Set([...expected, ...actual].map(key))].sort();
  const count = (values: readonly (string | null)[]): number[] => {
    const c = new Map(labels.map((l) => [l, 0]));
    for (const v of values) c.set(key(v), c.get(key(v))! + 1);
    return labels.map((l) => c.get(l)!);
  };
  return fromCounts(labels, count(expected), count(actual));
}
