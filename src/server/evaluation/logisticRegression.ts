/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS), for the credit baseline.
 *
 * Written here rather than taken from a library: no package in node_modules fits a logistic
 * regression, the baseline has tens of features (one Newton step is a small dense solve), and IRLS
 * converges in a handful of steps to the unique optimum, so the result does not depend on a learning
 * rate or an iteration budget. The intercept is not penalised.
 */

export interface LogisticModel {
  intercept: number;
  weights: number[];
  /** Newton steps taken, and whether the last one moved the coefficients less than the tolerance. */
  iterations: number;
  converged: boolean;
}

export interface LogisticOptions {
  /** L2 penalty λ on the weights: the objective is Σ log-loss + λ/2 · |w|². Default 1. */
  l2?: number;
  maxIterations?: number;
  tolerance?: number;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Solves A x = b for a symmetric positive definite A (Cholesky); A is not modified. */
function solveSpd(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l = a.map((row) => row.map(() => 0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(s > 0)) throw new RangeError('the Newton system is not positive definite');
        l[i][i] = Math.sqrt(s);
      } else {
        l[i][j] = s / l[j][j];
      }
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
    y[i] = s / l[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}

/** Fits P(y=1 | x) = σ(b + w·x) on rows `x` (all the same length) and 0/1 labels `y`. */
export function fitLogisticRegression(x: readonly (readonly number[])[], y: readonly (0 | 1)[], options: LogisticOptions = {}): LogisticModel {
  if (x.length !== y.length) throw new RangeError(`${x.length} rows but ${y.length} labels`);
  if (x.length === 0) throw new RangeError('no rows to fit');
  const l2 = options.l2 ?? 1;
  if (!(l2 > 0)) throw new RangeError(`the L2 penalty must be positive (got ${l2}); without it separable data has no optimum`);
  const d = x[0].length + 1;
  // Coefficients θ = [b, w...]; rows get a leading 1 for the intercept.
  const rows = x.map((r) => {
    if (r.length !== d - 1) throw new RangeError(`rows have ${r.length} and ${d - 1} features`);
    return [1, ...r];
  });
  const theta = new Array<number>(d).fill(0);
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const gradient = theta.map((t, j) => (j === 0 ? 0 : l2 * t));
    const hessian = theta.map((_, i) => theta.map((__, j) => (i === j && i > 0 ? l2 : 0)));
    rows.forEach((r, n) => {
      const p = sigmoid(r.reduce((s, v, j) => s + v * theta[j], 0));
      const w = p * (1 - p);
      for (let i = 0; i < d; i++) {
        gradient[i] += (p - y[n]) * r[i];
        for (let j = 0; j <= i; j++) hessian[i][j] += w * r[i] * r[j];
      }
    });
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) hessian[i][j] = hessian[j][i];
    // The intercept is unpenalised: a tiny ridge keeps the system solvable when every p is 0 or 1.
    hessian[0][0] += 1e-12;
    const step = solveSpd(hessian, gradient);
    let moved = 0;
    for (let j = 0; j < d; j++) {
      theta[j] -= step[j];
      moved = Math.max(moved, Math.abs(step[j]));
    }
    if (moved < tolerance) return { intercept: theta[0], weights: theta.slice(1), iterations: iteration, converged: true };
  }
  return { intercept: theta[0], weights: theta.slice(1), iterations: maxIterations, converged: false };
}

export function predictProbability(model: LogisticModel, row: readonly number[]): number {
  return sigmoid(row.reduce((s, v, j) => s + v * model.weights[j], model.intercept));
}
