/**
 * Platt scaling: calibrated = sigmoid(a * logit(score) + b), fitted by maximum likelihood (Newton's
 * method) on scores labelled correct or not, with Platt's smoothed targets (N+ + 1) / (N+ + 2) and
 * 1 / (N- + 2) instead of 1 and 0, so a small or one-sided dev set gives finite parameters. Two
 * parameters, monotone: the ranking of spans is the raw score's.
 */

export interface PlattParameters {
  a: number;
  b: number;
}

/** Scores are clamped to [SCORE_FLOOR, 1 - SCORE_FLOOR] before the logit. */
export const SCORE_FLOOR = 1e-6;

export function logit(p: number): number {
  const q = Math.min(1 - SCORE_FLOOR, Math.max(SCORE_FLOOR, p));
  return Math.log(q / (1 - q));
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export function applyPlatt(p: PlattParameters, score: number): number {
  return sigmoid(p.a * logit(score) + p.b);
}

/** The targets Platt's method fits: (N+ + 1) / (N+ + 2) for correct, 1 / (N- + 2) for wrong. */
export function plattTargets(correct: readonly boolean[]): number[] {
  const positives = correct.filter(Boolean).length;
  const negatives = correct.length - positives;
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (negatives + 2);
  return correct.map((c) => (c ? hi : lo));
}

/** Fits a and b. Needs at least one score; throws otherwise. */
export function fitPlatt(scores: readonly number[], correct: readonly boolean[]): PlattParameters {
  if (scores.length === 0 || scores.length !== correct.length)
    throw new RangeError(`Platt scaling needs scores with a label each: ${scores.length} scores, ${correct.length} labels`);
  const x = scores.map(logit);
  const y = plattTargets(correct);
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  let a = 0;
  let b = logit(mean);
  const loss = (a1: number, b1: number): number => {
    let l = 0;
    x.forEach((xi, i) => {
      const z = a1 * xi + b1;
      // log(1 + e^z) - y z, stable for either sign of z
      l += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i] * z;
    });
    return l;
  };
  let current = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    x.forEach((xi, i) => {
      const p = sigmoid(a * xi + b);
      const d = p - y[i];
      const w = p * (1 - p);
      ga += d * xi;
      gb += d;
      haa += w * xi * xi;
      hab += w * xi;
      hbb += w;
    });
    if (Math.abs(ga) < 1e-10 && Math.abs(gb) < 1e-10) break;
    const det = haa * hbb - hab * hab;
    // Newton's step; when the Hessian is singular (all scores equal) only b moves.
    let da = det > 1e-12 * haa * hbb ? (hbb * ga - hab * gb) / det : 0;
    let db = det > 1e-12 * haa * hbb ? (haa * gb - hab * ga) / det : gb / hbb;
    let step = 1;
    let next = loss(a - da, b - db);
    while (next > current + 1e-12 && step > 1e-8) {
      step /= 2;
      next = loss(a - step * da, b - step * db);
    }
    da *= step;
    db *= step;
    a -= da;
    b -= db;
    const improved = current - next;
    current = next;
    if (Math.abs(da) < 1e-12 && Math.abs(db) < 1e-12) break;
    if (improved >= 0 && improved < 1e-14) break;
  }
  return { a, b };
}
