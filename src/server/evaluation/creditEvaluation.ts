import { createHash } from 'node:crypto';
import type { BinaryClassifierFigures, CreditEvaluationReport, ModelSummary } from '../../common/evaluationReport';
import { CreditConfigError, parseLabel, type FeatureColumn } from '../credit/creditColumns';
import { encodeCreditRows } from '../credit/creditDataset';
import { decodeCsvBytes } from '../credit/csvBytes';
import { parseCsv, type CsvRow } from '../credit/csvTable';
import { stratifiedSplit } from '../credit/stratifiedSplit';
import type { CreditModel } from '../creditScoring/creditModelFolder';
import { CreditProbabilities, type ScoreBatch } from '../creditScoring/creditProbabilities';
import { fitBaselineEncoder } from './baselineFeatures';
import { classifierFigures } from './classifierFigures';
import { fitLogisticRegression, predictProbability } from './logisticRegression';
import { EvaluationInputError, type ModelCard } from './modelCard';

export interface CreditEvaluationOptions {
  /** P(违约) from which a row is called a default. Default 0.5. */
  threshold?: number;
  /** The 0/1 column to evaluate against; default the model's label column. */
  labelColumn?: string;
  /** Reads the model's training CSV (card.json data.file) for the baseline when another file is evaluated; undefined when it cannot. */
  readTrainingFile?: (file: string) => Uint8Array | undefined;
}

/** The L2 penalty of the baseline: mild, so that it stays a plain logistic regression. */
const BASELINE_L2 = 1;

interface LabelledRow {
  row: CsvRow;
  label: 0 | 1;
}

interface LabelledTable {
  encoding: string;
  header: string[];
  rows: LabelledRow[];
  problems: string[];
}

/** The rows of a CSV with a 0/1 label in `labelColumn`, in file order, as training reads them. */
function labelledTable(bytes: Uint8Array, file: string, labelColumn: string): LabelledTable {
  const { text, encoding } = decodeCsvBytes(bytes, file);
  const table = parseCsv(text, file);
  const index = table.header.indexOf(labelColumn);
  if (index < 0) throw new CreditConfigError(`${file}: the label column "${labelColumn}" is not a column of the file (columns: ${table.header.join(', ')}); name it with --label`);
  const problems = table.problems.map((p) => p.message);
  const rows: LabelledRow[] = [];
  for (const row of table.rows) {
    const label = parseLabel(row.cells[index]);
    if (label === undefined) problems.push(`${file}:${row.line}: label column "${labelColumn}" holds "${row.cells[index]}", not 0 or 1; the row is not evaluated`);
    else rows.push({ row, label });
  }
  return { encoding, header: table.header, rows, problems };
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The model's feature columns with their index in `header`; throws when one is missing. */
function featuresIn(features: readonly FeatureColumn[], header: readonly string[], file: string): FeatureColumn[] {
  const absent = features.filter((f) => !header.includes(f.name)).map((f) => `"${f.name}"`);
  if (absent.length > 0) throw new CreditConfigError(`${file}: the model's feature columns ${absent.join(', ')} are not in the file`);
  return features.map((f) => ({ ...f, index: header.indexOf(f.name) }));
}

function verdict(llm: BinaryClassifierFigures, baseline: CreditEvaluationReport['baseline'], rows: number): string {
  if (llm.auc === null) return 'ROC-AUC is undefined: the evaluated rows hold only one class.';
  if (!baseline.ok) return `No logistic-regression baseline: ${baseline.reason}`;
  const b = baseline.figures.auc;
  if (b === null) return 'The baseline\'s ROC-AUC is undefined.';
  const figures = `ROC-AUC ${llm.auc.toFixed(3)} (LLM) vs ${b.toFixed(3)} (logistic regression) on the same ${rows} rows`;
  return llm.auc > b ? `The LLM beats the logistic-regression baseline: ${figures}.` : `The LLM does NOT beat the logistic-regression baseline: ${figures}. The plain model is at least as good on these rows.`;
}

/**
 * Evaluates a credit model on a CSV: P(违约) of each labelled row from the model (through `score`,
 * prompts built with the model's saved settings), ROC-AUC, KS, Gini, Brier, precision/recall/F1 of
 * the default class at the threshold, the confusion matrix, ROC and reliability curves; and a
 * logistic-regression baseline on the same features, trained on the model's training split. On the
 * CSV the model was trained on (same bytes as card.json's sha256) the rows evaluated are training's
 * dev split, reproduced from its seed and ratio; on any other file, every labelled row.
 */
export async function evaluateCreditModel(
  model: CreditModel,
  card: ModelCard,
  summary: ModelSummary,
  bytes: Uint8Array,
  file: string,
  score: ScoreBatch,
  options: CreditEvaluationOptions = {},
): Promise<CreditEvaluationReport> {
  const threshold = options.threshold ?? 0.5;
  const trainedLabel = model.settings.columns.label.name;
  const labelColumn = options.labelColumn ?? trainedLabel;
  const data = labelledTable(bytes, file, labelColumn);
  const problems = [...data.problems];
  const notes: string[] = [];
  const encoded = encodeCreditRows(bytes, file, model.tokenizer, model.settings);
  // Cells that are not numbers (the other problems are the table's, already listed).
  for (const p of encoded.problems) if (p.column !== undefined) notes.push(p.message);
  const prompts = new Map(encoded.rows.map((r) => [r.line, r]));

  // The training split, reproduced: on the model's own file, and on its training file for the baseline.
  const split = card.data.split;
  const ownData = split !== null && card.data.sha256 === sha256(bytes) && labelColumn === trainedLabel;
  let evaluated: LabelledRow[];
  let rowsNote: string;
  let trainingRows: { header: string[]; rows: LabelledRow[] } | { reason: string };
  if (ownData) {
    const parts = stratifiedSplit(data.rows.map((r) => r.label), split.testRatio, split.seed);
    evaluated = parts.test.map((i) => data.rows[i]);
    trainingRows = { header: data.header, rows: parts.train.map((i) => data.rows[i]) };
    rowsNote = `the model's own training file: its dev split (${evaluated.length} rows, ratio ${split.testRatio}, seed ${split.seed}), which training never fitted on`;
    const devRows = (card.raw.data as { split?: { dev?: { rows?: unknown } } }).split?.dev?.rows;
    if (typeof devRows === 'number' && devRows !== evaluated.length) problems.push(`card.json says the dev split had ${devRows} rows; reproducing it gave ${evaluated.length}`);
  } else {
    evaluated = data.rows;
    rowsNote = `every labelled row (${evaluated.length}); this is not the file the model was trained on${card.data.sha256 ? ' (its bytes differ from card.json\'s sha256)' : ''}`;
    trainingRows = { reason: 'card.json does not say where the training data is' };
    const trainingFile = card.data.file;
    if (trainingFile && split) {
      const trainingBytes = (options.readTrainingFile ?? (() => undefined))(trainingFile);
      if (!trainingBytes) trainingRows = { reason: `the model's training file ${trainingFile} cannot be read, so the baseline has no training split` };
      else if (card.data.sha256 && sha256(trainingBytes) !== card.data.sha256) trainingRows = { reason: `${trainingFile} changed since the model was trained (its sha256 differs from card.json's), so the training split cannot be reproduced` };
      else {
        const training = labelledTable(trainingBytes, trainingFile, trainedLabel);
        trainingRows = { header: training.header, rows: stratifiedSplit(training.rows.map((r) => r.label), split.testRatio, split.seed).train.map((i) => training.rows[i]) };
      }
    }
  }
  evaluated = evaluated.filter((r) => {
    if (prompts.has(r.row.line)) return true;
    problems.push(`${file}:${r.row.line}: the row could not be turned into a prompt; not evaluated`);
    return false;
  });
  if (evaluated.length === 0) throw new EvaluationInputError(`${file}: no row with a 0/1 label in "${labelColumn}" to evaluate`);

  const probabilities = new CreditProbabilities(model.key);
  await probabilities.fill(evaluated.map((r) => prompts.get(r.row.line)!), score);
  const labels = evaluated.map((r) => r.label);
  const llm = classifierFigures(labels, evaluated.map((r) => probabilities.get(prompts.get(r.row.line)!.prompt)!), threshold);

  let baseline: CreditEvaluationReport['baseline'];
  if ('reason' in trainingRows) {
    baseline = { ok: false, reason: trainingRows.reason };
  } else if (new Set(trainingRows.rows.map((r) => r.label)).size < 2) {
    baseline = { ok: false, reason: 'the training split holds one class only' };
  } else {
    const trainFeatures = featuresIn(model.settings.columns.features, trainingRows.header, card.data.file ?? file);
    const encoder = fitBaselineEncoder(trainFeatures, trainingRows.rows.map((r) => r.row.cells));
    const fitted = fitLogisticRegression(trainingRows.rows.map((r) => encoder.encode(r.row.cells)), trainingRows.rows.map((r) => r.label), { l2: BASELINE_L2 });
    // Evaluated rows in the training file's column layout.
    const evalFeatures = featuresIn(model.settings.columns.features, data.header, file);
    const inTrainingLayout = (cells: readonly string[]): string[] => {
      const out: string[] = [];
      trainFeatures.forEach((f, k) => (out[f.index] = cells[evalFeatures[k].index]));
      return out;
    };
    const baselineProbabilities = evaluated.map((r) => predictProbability(fitted, encoder.encode(inTrainingLayout(r.row.cells))));
    baseline = {
      ok: true,
      description:
        `logistic regression (L2 ${BASELINE_L2}, Newton/IRLS${fitted.converged ? '' : ', not converged'}) on ${encoder.names.length} columns: numeric features standardised, categorical one-hot, missing values imputed as fitted on the training split` +
        (encoder.leftOut.length > 0 ? `; left out, too many categories to one-hot: ${encoder.leftOut.join(', ')}` : ''),
      trainedOnRows: trainingRows.rows.length,
      figures: classifierFigures(labels, baselineProbabilities, threshold),
    };
  }

  return {
    kind: 'credit',
    model: summary,
    data: { file, encoding: data.encoding, labelColumn, rows: ownData ? 'dev-split' : 'all', rowsNote, evaluated: evaluated.length, defaults: labels.filter((l) => l === 1).length },
    llm,
    baseline,
    verdict: verdict(llm, baseline, evaluated.length),
    problems,
    notes,
  };
}
