import { isMissing, MAX_CATEGORIES, parseNumber, type FeatureColumn } from '../credit/creditColumns';
import { fitImputation, type Imputation } from '../credit/imputation';

/**
 * The baseline's design matrix: numeric features standardised (mean 0, standard deviation 1 on the
 * training rows), categorical ones one-hot over the categories seen in training (a category not seen
 * there is all zeros), missing cells filled first with imputation fitted on the training rows. Every
 * statistic comes from the training rows only and is reused as is on the rows evaluated.
 */
export interface BaselineEncoder {
  imputation: Imputation;
  /** Categorical columns with too many distinct values to one-hot (names, identifiers), with why. */
  leftOut: string[];
  /** One entry per design column, e.g. "纳税额(万元)" or "区域=华东". */
  names: string[];
  encode(cells: readonly string[]): number[];
  /**
   * The same features and imputation for trees (the GBDT baseline): one column per feature left in,
   * numbers as imputed (not standardised), categories as their index among the training categories
   * (-1 for one not seen in training).
   */
  trees: { columns: { name: string; categorical: boolean }[]; encode(cells: readonly string[]): number[] };
}

/** `features` give each column's index in the cells of the training rows; `encode` takes cells in the same layout. */

export function fitBaselineEncoder(features: readonly FeatureColumn[], trainingCells: readonly string[][]): BaselineEncoder {
  const leftOut: string[] = [];
  const imputation = fitImputation(features, trainingCells);
  const filled = (f: FeatureColumn, k: number, cells: readonly string[]): string | number | null => {
    const cell = cells[f.index];
    const fit = imputation.columns[k].value;
    if (f.kind === 'categorical') return isMissing(cell) ? fit : cell.trim();
    const n = isMissing(cell) ? undefined : parseNumber(cell);
    return n ?? fit;
  };
  const parts = features.map((f, k) => {
    const values = trainingCells.map((c) => filled(f, k, c));
    if (f.kind === 'categorical') {
      const categories = [...new Set(values.filter((v): v is string => typeof v === 'string'))].sort();
      if (categories.length > MAX_CATEGORIES) {
        leftOut.push(`${f.name} (${categories.length} distinct values in ${trainingCells.length} training rows)`);
        return { names: [], encode: () => [], tree: undefined };
      }
      return {
        names: categories.map((c) => `${f.name}=${c}`),
        encode: (cells: readonly string[]) => categories.map((c) => (filled(f, k, cells) === c ? 1 : 0)),
        tree: { name: f.name, categorical: true, encode: (cells: readonly string[]) => categories.indexOf(filled(f, k, cells) as string) },
      };
    }
    const xs = values.filter((v): v is number => typeof v === 'number');
    const mean = xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = xs.length === 0 ? 0 : Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    return {
      names: [f.name],
      encode: (cells: readonly string[]) => {
        const v = filled(f, k, cells);
        // A column empty in training, or constant there, carries no information: 0.
        return [typeof v !== 'number' || sd === 0 ? 0 : (v - mean) / sd];
      },
      tree: {
        name: f.name,
        categorical: false,
        encode: (cells: readonly string[]) => {
          const v = filled(f, k, cells);
          return typeof v === 'number' ? v : 0;
        },
      },
    };
  });
  return {
    imputation,
    leftOut,
    names: parts.flatMap((p) => p.names),
    encode: (cells) => parts.flatMap((p) => p.encode(cells)),
    trees: {
      columns: parts.flatMap((p) => (p.tree ? [{ name: p.tree.name, categorical: p.tree.categorical }] : [])),
      encode: (cells) => parts.flatMap((p) => (p.tree ? [p.tree.encode(cells)] : [])),
    },
  };
}
