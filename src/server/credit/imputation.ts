import type { FeatureColumn } from './creditColumns';
import { isMissing, parseNumber } from './creditColumns';

export type ImputationStrategy = 'mean' | 'median' | 'mode';

/** One column's fitted fill value; saved with the model and reused at inference, never refitted there. */
export interface ColumnImputation {
  column: string;
  kind: FeatureColumn['kind'];
  strategy: ImputationStrategy;
  /** The statistic as fitted on the training rows: a number for numeric columns, a string for categorical ones; null when the column was empty in training. */
  value: number | string | null;
  decimals: number;
  /** Training rows the statistic was fitted on (non-missing cells). */
  fittedOn: number;
}

export interface Imputation {
  version: 1;
  columns: ColumnImputation[];
}

/**
 * The original blog post's strategies for its own columns (纳税额, 水电费: mean; 区域经济指数: median; 经营年限: mode;
 * 区域, which the post leaves unfilled: mode). Other columns: mean for decimals, median for integers,
 * mode for categories.
 */
const BLOG_POST_STRATEGIES: Record<string, ImputationStrategy> = {
  '纳税额(万元)': 'mean',
  '水电费(万元)': 'mean',
  区域经济指数: 'median',
  '经营年限(年)': 'mode',
  区域: 'mode',
};

export function defaultStrategy(column: FeatureColumn): ImputationStrategy {
  return BLOG_POST_STRATEGIES[column.name] ?? (column.kind === 'float' ? 'mean' : column.kind === 'integer' ? 'median' : 'mode');
}

/** Most frequent value; ties go to the smallest (as pandas' mode()[0]). */
function mode<T extends number | string>(values: readonly T[]): T | null {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | null = null;
  let bestCount = 0;
  for (const [v, c] of counts) {
    if (c > bestCount || (c === bestCount && best !== null && v < best)) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Fits each feature's fill value on the given (training) rows only. */
export function fitImputation(
  features: readonly FeatureColumn[],
  rows: readonly string[][],
  strategies: Partial<Record<string, ImputationStrategy>> = {},
): Imputation {
  return {
    version: 1,
    columns: features.map((f) => {
      const strategy = strategies[f.name] ?? defaultStrategy(f);
      const cells = rows.map((r) => r[f.index]).filter((c) => !isMissing(c));
      let value: number | string | null;
      let fittedOn = cells.length;
      if (f.kind === 'categorical') {
        value = mode(cells.map((c) => c.trim()));
      } else {
        // Cells that are not numbers (or too large for one) are not fitted on: they are filled like missing ones.
        const xs = cells.flatMap((c) => parseNumber(c) ?? []);
        fittedOn = xs.length;
        value = strategy === 'mean' ? (xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length) : strategy === 'median' ? median(xs) : mode(xs);
      }
      return { column: f.name, kind: f.kind, strategy: f.kind === 'categorical' ? 'mode' : strategy, value, decimals: f.decimals, fittedOn };
    }),
  };
}

/** The text a fill value is shown as in prompts: numbers with the column's decimals. */
export function imputedText(c: ColumnImputation): string {
  if (c.value === null) return '未知';
  return typeof c.value === 'number' ? c.value.toFixed(c.decimals) : c.value;
}

export interface ImputedRow {
  /** Feature values by column name, as shown in the prompt. */
  values: Record<string, string>;
  /** Columns that were missing in this row and filled. */
  imputed: string[];
}

/** Fills a row's missing features with the fitted values; present cells are kept as written (trimmed). */
export function applyImputation(imputation: Imputation, features: readonly FeatureColumn[], cells: readonly string[]): ImputedRow {
  const values: Record<string, string> = {};
  const imputed: string[] = [];
  features.forEach((f) => {
    const fit = imputation.columns.find((c) => c.column === f.name);
    if (!fit) throw new Error(`the imputation values have no entry for column "${f.name}"`);
    const cell = cells[f.index];
    if (isMissing(cell)) {
      values[f.name] = imputedText(fit);
      imputed.push(f.name);
    } else {
      values[f.name] = cell.trim();
    }
  });
  return { values, imputed };
}

/** Parses saved imputation JSON, with a message naming what is wrong. */
export function parseImputation(json: string, file: string): Imputation {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const v = value as Partial<Imputation>;
  if (typeof v !== 'object' || v === null || v.version !== 1 || !Array.isArray(v.columns))
    throw new Error(`${file}: not FinLabel imputation values (version 1 with "columns")`);
  v.columns.forEach((c, i) => {
    if (
      typeof c?.column !== 'string' ||
      !['mean', 'median', 'mode'].includes(c.strategy) ||
      !(c.value === null || typeof c.value === 'number' || typeof c.value === 'string')
    ) {
      throw new Error(`${file}: columns[${i}] is not a column's imputation (column, strategy, value)`);
    }
  });
  return v as Imputation;
}
