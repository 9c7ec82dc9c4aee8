import type { Kappa } from '../../common/datasetReports';

/**
 * A confusion table of two annotators' classes over the same items (characters), and its Cohen's kappa:
 * kappa = (p_o - p_e) / (1 - p_e), with p_o = sum_k n_kk / N and p_e = sum_k a_k * b_k / N^2
 * (a_k, b_k: items A and B put in class k).
 */
export class ConfusionTable {
  private readonly cells = new Map<string, number>();
  private readonly rowTotals = new Map<string, number>();
  private readonly columnTotals = new Map<string, number>();
  private diagonal = 0;
  private total = 0;

  add(a: string, b: string, n = 1): void {
    if (n === 0) return;
    const key = `${a}\u0000${b}`;
    this.cells.set(key, (this.cells.get(key) ?? 0) + n);
    this.rowTotals.set(a, (this.rowTotals.get(a) ?? 0) + n);
    this.columnTotals.set(b, (this.columnTotals.get(b) ?? 0) + n);
    if (a === b) this.diagonal += n;
    this.total += n;
  }

  count(a: string, b: string): number {
    return this.cells.get(`${a}\u0000${b}`) ?? 0;
  }

  /** Every class either annotator used, sorted. */
  classes(): string[] {
    return [...new Set([...this.rowTotals.keys(), ...this.columnTotals.keys()])].sort();
  }

  /** Kappa, or null with the reason when it is undefined (no items, or p_e = 1). */
  kappa(): Kappa {
    const n = this.total;
    if (n === 0) return { value: null, reason: 'no characters to compare', observed: null, expected: null, characters: 0 };
    let chanceProducts = 0;
    for (const [k, a] of this.rowTotals) chanceProducts += a * (this.columnTotals.get(k) ?? 0);
    const observed = this.diagonal / n;
    const expected = chanceProducts / (n * n);
    // In integers, so that p_e = 1 is detected exactly rather than as 0.9999999.
    const denominator = n * n - chanceProducts;
    if (denominator === 0) {
      const only = [...this.rowTotals.keys()][0];
      return {
        value: null,
        reason: `every character is "${only}" for both annotators: the expected agreement p_e is 1, so kappa = (p_o - p_e) / (1 - p_e) is undefined`,
        observed,
        expected,
        characters: n,
      };
    }
    return { value: (n * this.diagonal - chanceProducts) / denominator, observed, expected, characters: n };
  }
}
