import type { BaselineResult, BinaryClassifierFigures, CreditEvaluationReport, ModelSummary, StabilityReport } from '../../common/evaluationReport';
import { CreditConfigError, type FeatureColumn } from '../credit/creditColumns';
import { encodeCreditRows } from '../credit/creditDataset';
import { featureStability, stabilityReport } from '../credit/featureStability';
import { labelledTable, sha256, splitTable, trainingSplit, type LabelledRow } from '../credit/trainingSplit';
import type { CreditModel } from '../credit/creditModelFolder';
import { CreditProbabilities, type PromptToScore, type ScoreBatch } from '../credit/creditProbabilities';
import type { BootstrapOptions } from '../metrics/bootstrapIntervals';
import { numericPsi } from '../metrics/populationStability';
import { Rng } from '../util/prng';
import { reportIntervals } from './aucComparison';
import { fitBaselineEncoder } from './baselineFeatures';
import { gbdtBaseline, logisticBaseline, type BaselineData, type FitGbdt } from './creditBaselines';
import { classifierFigures } from './classifierFigures';
import { EvaluationInputError, type ModelCard } from './modelCard';

export interface CreditEvaluationOptions {
  /** P(违约) from which a row is called a default. Default 0.5. */
  threshold?: number;
  /** The 0/1 column to evaluate against; default the model's label column. */
  labelColumn?: string;
  /** Reads the model's training CSV (card.json data.file) for the baseline when another file is evaluated; undefined when it cannot. */
  readTrainingFile?: (file: string) => Uint8Array | undefined;
  /** Fits the GBDT baseline (the worker's LightGBM); without it the report says there is none. */
  fitGbdt?: FitGbdt;
  /** Bootstrap settings of the intervals; default 1000 stratified replicates, seed 42, 95%. */
  bootstrap?: BootstrapOptions;
}

/** Training-split rows scored by the model for the score's PSI: a seeded sample beyond this. */
export const SCORE_PSI_ROWS = 2000;

/** The model's feature columns with their index in `header`; throws when one is missing. */
function featuresIn(features: readonly FeatureColumn[], header: readonly string[], file: string): FeatureColumn[] {
  const absent = features.filter((f) => !header.includes(f.name)).map((f) => `"${f.name}"`);
  if (absent.length > 0) throw new CreditConfigError(`${file}: the model's feature columns ${absent.join(', ')} are not in the file`);
  return features.map((f) => ({ ...f, index: header.indexOf(f.name) }));
}

function verdict(llm: BinaryClassifierFigures, baselines: readonly [string, BaselineResult][], rows: number): string {
  if (llm.auc === null) return 'ROC-AUC is undefined: the evaluated rows hold only one class.';
  const sentences = baselines.map(([name, b]) => {
    if (!b.ok) return `No ${name} baseline: ${b.reason}.`;
    if (b.figures.auc === null) return `The ${name} baseline's ROC-AUC is undefined.`;
    const figures = `ROC-AUC ${llm.auc!.toFixed(3)} (LLM) vs ${b.figures.auc.toFixed(3)} (${name.replace('-', ' ')}) on the same ${rows} rows`;
    const test = b.comparison ? ` ${b.comparison.reading}` : '';
    return llm.auc! > b.figures.auc
      ? `The LLM beats the ${name} baseline: ${figures}.${test}`
      : `The LLM does NOT beat the ${name} baseline: ${figures}. The plain model is at least as good on these rows.${test}`;
  });
  return sentences.join(' ');
}

/** A seeded sample of at most `max` items, in their order. */
function sampleInOrder<T>(items: readonly T[], max: number, seed: number): T[] {
  if (items.length <= max) return [...items];
  const keep = new Set(new Rng(seed).shuffle(items.map((_, i) => i)).slice(0, max));
  return items.filter((_, i) => keep.has(i));
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
  let trainingRows: { header: string[]; rows: LabelledRow[]; prompts: Map<number, PromptToScore> } | { reason: string };
  if (ownData) {
    const parts = splitTable(data, split);
    evaluated = parts.test;
    trainingRows = { header: data.header, rows: parts.train, prompts };
    rowsNote = `the model's own training file: its dev split (${evaluated.length} rows, ratio ${split.testRatio}, seed ${split.seed}), which training never fitted on`;
    const devRows = (card.raw.data as { split?: { dev?: { rows?: unknown } } }).split?.dev?.rows;
    if (typeof devRows === 'number' && devRows !== evaluated.length)
      problems.push(`card.json says the dev split had ${devRows} rows; reproducing it gave ${evaluated.length}`);
  } else {
    evaluated = data.rows;
    rowsNote = `every labelled row (${evaluated.length}); this is not the file the model was trained on${card.data.sha256 ? " (its bytes differ from card.json's sha256)" : ''}`;
    const training = trainingSplit(card.data, trainedLabel, options.readTrainingFile ?? (() => undefined));
    trainingRows =
      'reason' in training
        ? training
        : {
            header: training.header,
            rows: training.rows,
            prompts: new Map(encodeCreditRows(training.bytes, training.file, model.tokenizer, model.settings).rows.map((r) => [r.line, r])),
          };
  }
  evaluated = evaluated.filter((r) => {
    if (prompts.has(r.row.line)) return true;
    problems.push(`${file}:${r.row.line}: the row could not be turned into a prompt; not evaluated`);
    return false;
  });
  if (evaluated.length === 0) throw new EvaluationInputError(`${file}: no row with a 0/1 label in "${labelColumn}" to evaluate`);

  const probabilities = new CreditProbabilities(model.key);
  await probabilities.fill(
    evaluated.map((r) => prompts.get(r.row.line)!),
    score,
  );
  const labels = evaluated.map((r) => r.label);

  const llmScores = evaluated.map((r) => probabilities.get(prompts.get(r.row.line)!.prompt)!);
  const llm = classifierFigures(labels, llmScores, threshold);
  const llmIntervals = reportIntervals(labels, llmScores, options.bootstrap);

  let baseline: BaselineResult;
  let gbdt: BaselineResult;
  let gbdtImportances: CreditEvaluationReport['gbdtImportances'] = [];
  let stability: StabilityReport | null = null;
  let stabilityNote: string | null = null;
  if ('reason' in trainingRows) {
    baseline = { ok: false, reason: trainingRows.reason };
    gbdt = { ok: false, reason: trainingRows.reason };
    stabilityNote = `No stability check: ${trainingRows.reason}.`;
  } else {
    const trainFeatures = featuresIn(model.settings.columns.features, trainingRows.header, card.data.file ?? file);
    const evalFeatures = featuresIn(model.settings.columns.features, data.header, file);
    // Evaluated rows in the training file's column layout.
    const inTrainingLayout = (cells: readonly string[]): string[] => {
      const out: string[] = [];
      trainFeatures.forEach((f, k) => (out[f.index] = cells[evalFeatures[k].index]));
      return out;
    };
    const trainingCells = trainingRows.rows.map((r) => r.row.cells);
    // The score's PSI: the model's P(违约) on (a seeded sample of) the training split against the evaluated rows.
    const trainingPrompts = sampleInOrder(trainingRows.rows, SCORE_PSI_ROWS, split?.seed ?? 42).flatMap((r) => {
      const p = trainingRows.prompts.get(r.row.line);
      return p ? [p] : [];
    });
    await probabilities.fill(trainingPrompts, score);
    const scorePsi = numericPsi(
      trainingPrompts.map((p) => probabilities.get(p.prompt)!),
      llmScores,
    );
    stability = stabilityReport(
      trainingRows.rows.length,
      evaluated.length,
      featureStability(
        trainFeatures,
        trainingCells,
        evalFeatures,
        evaluated.map((r) => r.row.cells),
      ),
      { column: 'score (P(违约))', psi: scorePsi.psi, bins: scorePsi.bins },
    );
    if (new Set(trainingRows.rows.map((r) => r.label)).size < 2) {
      baseline = { ok: false, reason: 'the training split holds one class only' };
      gbdt = baseline;
    } else {
      const d: BaselineData = {
        encoder: fitBaselineEncoder(trainFeatures, trainingCells),
        trainingCells,
        trainingLabels: trainingRows.rows.map((r) => r.label),
        evaluatedCells: evaluated.map((r) => inTrainingLayout(r.row.cells)),
        labels,
        llm: llmScores,
        threshold,
        bootstrap: options.bootstrap,
        seed: split?.seed ?? 42,
      };
      baseline = logisticBaseline(d);
      const trees = await gbdtBaseline(d, options.fitGbdt);
      gbdt = trees.result;
      gbdtImportances = trees.importances;
    }
  }

  return {
    kind: 'credit',
    model: summary,
    data: {
      file,
      encoding: data.encoding,
      labelColumn,
      rows: ownData ? 'dev-split' : 'all',
      rowsNote,
      evaluated: evaluated.length,
      defaults: labels.filter((l) => l === 1).length,
    },
    llm,
    llmIntervals,
    baseline,
    gbdt,
    gbdtImportances,
    stability,
    stabilityNote,
    verdict: verdict(
      llm,
      [
        ['logistic-regression', baseline],
        ['GBDT', gbdt],
      ],
      evaluated.length,
    ),
    problems,
    notes,
  };
}
