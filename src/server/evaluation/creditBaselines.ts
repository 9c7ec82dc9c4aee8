/**
 * The credit evaluation's two baselines, fitted on the model's training split with the same features
 * and the same imputation (one BaselineEncoder) and scored on the evaluated rows: a plain logistic
 * regression (here, in TypeScript) and gradient-boosted trees (LightGBM, in the worker).
 */
import type { BaselineResult } from '../../common/evaluationReport';
import type { GbdtBaselineParams, GbdtBaselineResult } from '../../common/workerProtocol';
import type { BinaryLabel } from '../metrics/binaryMetrics';
import type { BootstrapOptions } from '../metrics/bootstrapIntervals';
import { compareAuc, reportIntervals } from './aucComparison';
import type { BaselineEncoder } from './baselineFeatures';
import { classifierFigures } from './classifierFigures';
import { fitLogisticRegression, predictProbability } from './logisticRegression';

/** Fits the GBDT baseline (the worker's baseline/gbdt). */
export type FitGbdt = (params: GbdtBaselineParams) => Promise<GbdtBaselineResult>;

/** The L2 penalty of the logistic baseline: mild, so that it stays a plain logistic regression. */
const LOGISTIC_L2 = 1;

/** What both baselines are fitted on and scored against. */
export interface BaselineData {
  encoder: BaselineEncoder;
  /** Training split rows: cells in the training file's layout, and labels. */
  trainingCells: readonly (readonly string[])[];
  trainingLabels: readonly BinaryLabel[];
  /** Evaluated rows in the training file's column layout, their labels and the LLM's P(违约). */
  evaluatedCells: readonly (readonly string[])[];
  labels: readonly BinaryLabel[];
  llm: readonly number[];
  threshold: number;
  bootstrap?: BootstrapOptions;
  seed: number;
}

function scored(d: BaselineData, description: string, probabilities: number[], name: 'logistic regression' | 'GBDT'): BaselineResult {
  return {
    ok: true,
    description,
    trainedOnRows: d.trainingCells.length,
    figures: classifierFigures(d.labels, probabilities, d.threshold),
    intervals: reportIntervals(d.labels, probabilities, d.bootstrap),
    comparison: compareAuc(d.labels, d.llm, probabilities, name),
  };
}

const leftOutNote = (encoder: BaselineEncoder): string => (encoder.leftOut.length > 0 ? `; left out, too many categories: ${encoder.leftOut.join(', ')}` : '');

export function logisticBaseline(d: BaselineData): BaselineResult {
  const fitted = fitLogisticRegression(
    d.trainingCells.map((c) => d.encoder.encode(c)),
    d.trainingLabels,
    { l2: LOGISTIC_L2 },
  );
  const description =
    `logistic regression (L2 ${LOGISTIC_L2}, Newton/IRLS${fitted.converged ? '' : ', not converged'}) on ${d.encoder.names.length} columns: numeric features standardised, categorical one-hot, missing values imputed as fitted on the training split` +
    leftOutNote(d.encoder);
  return scored(
    d,
    description,
    d.evaluatedCells.map((c) => predictProbability(fitted, d.encoder.encode(c))),
    'logistic regression',
  );
}

/** The GBDT baseline and the trees' feature importances (total gain per column), or why there is none. */
export async function gbdtBaseline(
  d: BaselineData,
  fit: FitGbdt | undefined,
): Promise<{ result: BaselineResult; importances: GbdtBaselineResult['importances'] }> {
  if (!fit) return { result: { ok: false, reason: 'no Python worker to fit LightGBM in' }, importances: [] };
  const trees = d.encoder.trees;
  if (trees.columns.length === 0) return { result: { ok: false, reason: 'no feature column is left to fit trees on' }, importances: [] };
  let fitted: GbdtBaselineResult;
  try {
    fitted = await fit({
      columns: trees.columns,
      trainX: d.trainingCells.map((c) => trees.encode(c)),
      trainY: [...d.trainingLabels],
      predictX: d.evaluatedCells.map((c) => trees.encode(c)),
      seed: d.seed,
    });
  } catch (err) {
    return { result: { ok: false, reason: `LightGBM failed in the worker: ${(err as Error).message}` }, importances: [] };
  }
  if (fitted.probabilities.length !== d.evaluatedCells.length)
    throw new Error(`the worker returned ${fitted.probabilities.length} GBDT probabilities for ${d.evaluatedCells.length} rows`);
  const s = fitted.settings;
  const description =
    `LightGBM ${fitted.lightgbmVersion} gradient-boosted trees (${fitted.rounds} rounds${fitted.folds > 0 ? ` chosen by ${fitted.folds}-fold cross-validation on the training split, CV AUC ${fitted.cvAuc?.toFixed(3) ?? '—'}` : ''}; ${String(s.num_leaves)} leaves, learning rate ${String(s.learning_rate)}, seed ${String(s.seed)}) on ${trees.columns.length} columns: the same features and imputation as the logistic baseline, categories as LightGBM categories` +
    leftOutNote(d.encoder);
  return { result: scored(d, description, fitted.probabilities, 'GBDT'), importances: fitted.importances };
}
