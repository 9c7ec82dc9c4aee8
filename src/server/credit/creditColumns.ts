import type { CsvTable } from './csvTable';

/** Which columns are the label and the features. */
export interface CreditColumnsConfig {
  /** Default 是否违约 (the original blog post's). */
  labelColumn?: string;
  /** Default: every column but the label and an identifier column (ID, id, 编号, 序号). */
  featureColumns?: string[];
}

export type ColumnKind = 'integer' | 'float' | 'categorical';

export interface FeatureColumn {
  name: string;
  /** Index in the CSV header. */
  index: number;
  kind: ColumnKind;
  /** Most digits after the decimal point in the column (numbers are shown with these when imputed). */
  decimals: number;
}

export interface CreditColumns {
  label: { name: string; index: number };
  features: FeatureColumn[];
  /** Columns neither label nor feature, with why. */
  ignored: { name: string; reason: string }[];
}

export const DEFAULT_LABEL_COLUMN = '是否违约';

/**
 * A categorical column with more distinct values than this in training is identifier-like (a company
 * name): the baselines leave it out (one-hot over it makes a column per row, which a plain baseline
 * cannot learn from, and Newton steps cost rows × columns²), and so does the stability check (every
 * new file's names are new categories, which says nothing about a shift).
 */
export const MAX_CATEGORIES = 50;
const IDENTIFIER = /^(id|编号|序号)$/i;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export class CreditConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CreditConfigError';
  }
}

/** A cell written as a number, as a double: Infinity when it is beyond a double's range (1e400). */
function writtenNumber(cell: string): number | undefined {
  const s = cell.trim().replace(/,(?=\d{3}(\D|$))/g, '');
  return NUMBER.test(s) ? Number(s) : undefined;
}

/**
 * A cell as a number, or undefined when it is not one (commas as thousands separators are allowed).
 * A number too large for a double (isOutOfRange) is not one either: it would read as Infinity.
 */
export function parseNumber(cell: string): number | undefined {
  const value = writtenNumber(cell);
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/** Whether a cell is written as a number that a double cannot hold (|x| > 1.8e308, e.g. 1e400). */
export function isOutOfRange(cell: string): boolean {
  const value = writtenNumber(cell);
  return value !== undefined && !Number.isFinite(value);
}

export const isMissing = (cell: string): boolean => /^\s*(|na|n\/a|nan|null|none|-)\s*$/i.test(cell);

/** A column's kind from its cells; missing cells and numbers out of range (reported, then filled as missing) do not count. */
function columnKind(values: readonly string[]): { kind: ColumnKind; decimals: number } {
  const present = values.filter((v) => !isMissing(v) && !isOutOfRange(v));
  if (present.length === 0 || present.some((v) => parseNumber(v) === undefined)) return { kind: 'categorical', decimals: 0 };
  let decimals = 0;
  for (const v of present) {
    const dot = v.trim().match(/\.(\d*)$/);
    if (dot) decimals = Math.max(decimals, dot[1].length);
  }
  return { kind: present.every((v) => Number.isInteger(parseNumber(v))) && decimals === 0 ? 'integer' : 'float', decimals };
}

/** Resolves the configuration against the header and detects each feature's kind from its cells. */
export function creditColumns(table: CsvTable, file: string, config: CreditColumnsConfig = {}): CreditColumns {
  const labelName = config.labelColumn ?? DEFAULT_LABEL_COLUMN;
  const indexOf = (name: string, what: string): number => {
    const k = table.header.indexOf(name);
    if (k < 0) throw new CreditConfigError(`${file}: the ${what} "${name}" is not a column of the file (columns: ${table.header.join(', ')})`);
    return k;
  };
  const labelIndex = indexOf(labelName, 'label column');
  const ignored: CreditColumns['ignored'] = [];
  let names: string[];
  if (config.featureColumns) {
    if (config.featureColumns.length === 0) throw new CreditConfigError('no feature column is configured');
    if (config.featureColumns.includes(labelName)) throw new CreditConfigError(`the label column "${labelName}" cannot also be a feature`);
    names = config.featureColumns;
    for (const h of table.header) if (h !== labelName && !names.includes(h)) ignored.push({ name: h, reason: 'not in the configured feature columns' });
  } else {
    names = [];
    for (const h of table.header) {
      if (h === labelName) continue;
      if (IDENTIFIER.test(h)) ignored.push({ name: h, reason: 'an identifier column' });
      else names.push(h);
    }
    if (names.length === 0) throw new CreditConfigError(`${file}: no column besides the label "${labelName}" to use as a feature`);
  }
  const features = names.map((name) => {
    const index = indexOf(name, 'feature column');
    return { name, index, ...columnKind(table.rows.map((r) => r.cells[index])) };
  });
  return { label: { name: labelName, index: labelIndex }, features, ignored };
}

/** The 0/1 label of a cell ("0", "1", "0.0", "1.0"), or undefined. */
export function parseLabel(cell: string): 0 | 1 | undefined {
  const v = parseNumber(cell);
  return v === 0 ? 0 : v === 1 ? 1 : undefined;
}
