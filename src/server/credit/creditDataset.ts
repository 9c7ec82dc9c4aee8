import type { CreditExample, EvaluateCreditParams, EvaluationResult } from '../../common/workerProtocol';
import { brierScore, gini, kolmogorovSmirnov, rocAuc, thresholdCounts } from '../metrics/binaryMetrics';
import type { LoadedTokenizer } from '../tokenization/tokenizerFolder';
import {
  CreditConfigError,
  creditColumns,
  isMissing,
  isOutOfRange,
  parseLabel,
  parseNumber,
  type CreditColumns,
  type CreditColumnsConfig,
} from './creditColumns';
import { defaultTemplate, renderPrompt, templateProblems } from './creditPrompt';
import { decodeCsvBytes, type CsvEncoding } from './csvBytes';
import { csvRowProblem, parseCsv, type CsvRow, type CsvRowProblem } from './csvTable';
import { applyImputation, fitImputation, type Imputation, type ImputationStrategy } from './imputation';
import { stratifiedSplit } from './stratifiedSplit';

export interface CreditDatasetOptions extends CreditColumnsConfig {
  /** Prompt template with {column} placeholders; default: the original blog post's for its columns, else "列名: 值" lines. */
  template?: string;
  /** Share of rows in the dev (test) split, per class. Default 0.2. */
  testRatio?: number;
  /** Default 42. */
  seed?: number;
  /** Per column: overrides of the default imputation strategy. */
  strategies?: Partial<Record<string, ImputationStrategy>>;
}

/** One row as the model sees it. */
export interface CreditPromptRow {
  line: number;
  prompt: string;
  /** Feature columns that were missing in the row and filled with the training values. */
  imputed: string[];
  label: 0 | 1 | null;
  inputIds: number[];
  /** The row's cells in its file's layout, cells that were not numbers emptied (as the prompt read them, before imputation). */
  cells: string[];
}

/** What a trained credit model keeps to turn new rows into prompts the same way. */
export interface CreditPromptSettings {
  columns: CreditColumns;
  template: string;
  imputation: Imputation;
  labelTokenIds: [number, number];
}

export interface PreparedCreditDataset extends CreditPromptSettings {
  file: string;
  encoding: CsvEncoding;
  train: CreditExample[];
  dev: CreditExample[];
  trainRows: CreditPromptRow[];
  devRows: CreditPromptRow[];
  /** Template placeholders are all features; these features are not shown in it. */
  unusedFeatures: string[];
  problems: CsvRowProblem[];
}

/** Token ids of the answers "0" and "1"; each must be one token of the tokenizer. */
export function labelTokenIds(tokenizer: LoadedTokenizer): [number, number] {
  const ids = (['0', '1'] as const).map((answer) => {
    const encoded = tokenizer.tokenizer.encode(answer, { add_special_tokens: false }).ids;
    if (encoded.length !== 1)
      throw new CreditConfigError(
        `${tokenizer.dir}: the answer "${answer}" is ${encoded.length} tokens (${encoded.join(', ')}); the credit model needs a single token for each answer`,
      );
    return encoded[0];
  });
  return [ids[0], ids[1]];
}

/** Cells of numeric features that are not numbers, or numbers out of a double's range, are reported and treated as missing. */
function cleanCells(row: CsvRow, columns: CreditColumns, file: string, problems: CsvRowProblem[]): string[] {
  const cells = row.cells.slice();
  for (const f of columns.features) {
    const cell = cells[f.index];
    if (f.kind !== 'categorical' && !isMissing(cell) && parseNumber(cell) === undefined) {
      const what = isOutOfRange(cell) ? 'a number too large to compute with (beyond ±1.8e308)' : 'not a number';
      problems.push(csvRowProblem(file, row.line, `column "${f.name}" holds "${cell}", ${what}; it is treated as missing and filled`, f.name));
      cells[f.index] = '';
    }
  }
  return cells;
}

/** The prompt row of `cells` (in the layout of `settings`' column indexes), missing features filled with the saved imputation. */
export function promptRow(
  settings: CreditPromptSettings,
  tokenizer: LoadedTokenizer,
  line: number,
  cells: readonly string[],
  label: 0 | 1 | null,
): CreditPromptRow {
  const { values, imputed } = applyImputation(settings.imputation, settings.columns.features, cells);
  const prompt = renderPrompt(settings.template, values);
  return { line, prompt, imputed, label, inputIds: tokenizer.tokenizer.encode(prompt).ids, cells: [...cells] };
}

/**
 * Reads a credit CSV (UTF-8, UTF-8 with BOM or GBK), splits it 8:2 stratified, fits imputation on the
 * training rows only and tokenizes the prompts. Rows without a 0/1 label are reported and left out.
 */
export function prepareCreditDataset(bytes: Uint8Array, file: string, tokenizer: LoadedTokenizer, options: CreditDatasetOptions = {}): PreparedCreditDataset {
  const { text, encoding } = decodeCsvBytes(bytes, file);
  const table = parseCsv(text, file);
  const problems: CsvRowProblem[] = table.problems.map((p) => ({ ...p }));
  const columns = creditColumns(table, file, options);
  const template = options.template ?? defaultTemplate(columns.features.map((f) => f.name));
  const { unknown, unused } = templateProblems(
    template,
    columns.features.map((f) => f.name),
  );
  if (unknown.length > 0)
    throw new CreditConfigError(
      `the prompt template names ${unknown.map((u) => `{${u}}`).join(', ')}, which ${unknown.length === 1 ? 'is not a feature column' : 'are not feature columns'} (features: ${columns.features.map((f) => f.name).join(', ')})`,
    );

  const labelled: { row: CsvRow; cells: string[]; label: 0 | 1 }[] = [];
  for (const row of table.rows) {
    const cell = row.cells[columns.label.index];
    const label = parseLabel(cell);
    if (label === undefined) {
      problems.push(csvRowProblem(file, row.line, `label column "${columns.label.name}" holds "${cell}", not 0 or 1; the row is left out`, columns.label.name));
      continue;
    }
    labelled.push({ row, cells: cleanCells(row, columns, file, problems), label });
  }
  for (const cls of [0, 1] as const) {
    const n = labelled.filter((r) => r.label === cls).length;
    if (n < 2) throw new CreditConfigError(`${file}: ${n} row${n === 1 ? '' : 's'} with label ${cls}; a stratified split needs at least 2 of each class`);
  }
  const split = stratifiedSplit(
    labelled.map((r) => r.label),
    options.testRatio ?? 0.2,
    options.seed ?? 42,
  );
  const imputation = fitImputation(
    columns.features,
    split.train.map((i) => labelled[i].cells),
    options.strategies,
  );
  const settings: CreditPromptSettings = { columns, template, imputation, labelTokenIds: labelTokenIds(tokenizer) };
  const rowsOf = (indexes: number[]): CreditPromptRow[] =>
    indexes.map((i) => promptRow(settings, tokenizer, labelled[i].row.line, labelled[i].cells, labelled[i].label));
  const trainRows = rowsOf(split.train);
  const devRows = rowsOf(split.test);
  const examples = (rows: CreditPromptRow[]): CreditExample[] => rows.map((r) => ({ inputIds: r.inputIds, label: r.label! }));
  return {
    file,
    encoding,
    ...settings,
    train: examples(trainRows),
    dev: examples(devRows),
    trainRows,
    devRows,
    unusedFeatures: unused,
    problems: problems.sort((a, b) => a.line - b.line),
  };
}

/** A model's settings with its feature columns' indexes in `header` (-1 for a column not there). */
export function settingsForHeader(settings: CreditPromptSettings, header: readonly string[]): CreditPromptSettings {
  const columns: CreditColumns = { ...settings.columns, features: settings.columns.features.map((f) => ({ ...f, index: header.indexOf(f.name) })) };
  return { ...settings, columns };
}

/**
 * Prompts for rows to score with a trained model's settings: the saved imputation values are used,
 * never refitted on these rows. The label column is read when present (for evaluation), else null.
 */
export function encodeCreditRows(
  bytes: Uint8Array,
  file: string,
  tokenizer: LoadedTokenizer,
  settings: CreditPromptSettings,
): { encoding: CsvEncoding; rows: CreditPromptRow[]; problems: CsvRowProblem[] } {
  const { text, encoding } = decodeCsvBytes(bytes, file);
  const table = parseCsv(text, file);
  const problems: CsvRowProblem[] = table.problems.map((p) => ({ ...p }));
  const moved = settingsForHeader(settings, table.header);
  const columns = moved.columns;
  const absent = columns.features.filter((f) => f.index < 0).map((f) => f.name);
  if (absent.length > 0)
    throw new CreditConfigError(
      `${file}: the model's feature column${absent.length === 1 ? '' : 's'} ${absent.map((a) => `"${a}"`).join(', ')} ${absent.length === 1 ? 'is' : 'are'} not in the file (columns: ${table.header.join(', ')})`,
    );
  const labelIndex = table.header.indexOf(columns.label.name);
  const rows = table.rows.map((row) => {
    const label = labelIndex < 0 ? null : (parseLabel(row.cells[labelIndex]) ?? null);
    return promptRow(moved, tokenizer, row.line, cleanCells(row, columns, file, problems), label);
  });
  return { encoding, rows, problems };
}

/** The server's answer to the worker's evaluate/credit callback: ROC-AUC of the dev probabilities, with KS, Gini and Brier. */
export function evaluateCredit(devLabels: readonly (0 | 1)[], params: EvaluateCreditParams): EvaluationResult {
  if (params.probabilities.length !== devLabels.length)
    throw new RangeError(`${params.probabilities.length} probabilities for a dev set of ${devLabels.length}`);
  const auc = rocAuc(devLabels, params.probabilities);
  if (auc === null) throw new RangeError('the dev set holds one class only: ROC-AUC is undefined');
  return {
    metric: auc,
    name: 'ROC-AUC',
    details: {
      epoch: params.epoch,
      ks: kolmogorovSmirnov(devLabels, params.probabilities)?.ks ?? null,
      gini: gini(devLabels, params.probabilities),
      brier: brierScore(devLabels, params.probabilities),
      atHalf: thresholdCounts(devLabels, params.probabilities, 0.5),
    },
  };
}
