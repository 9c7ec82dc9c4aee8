/**
 * The figures of a model evaluation: what `finlabel eval --json` prints, what the server answers the
 * evaluateModel request with, and what the report view and the standalone HTML show. One definition
 * for the server, the extension and the webview.
 */

/** Precision / recall / F1; null where a denominator is 0. */
export interface Scores {
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

/** One epoch of the model's training run, from card.json. */
export interface EpochPoint {
  epoch: number;
  trainLoss: number;
  devMetric: number | null;
}

export interface TrainingCurves {
  /** The dev metric's name ("micro span F1", "ROC-AUC"). */
  devMetricName: string;
  epochs: EpochPoint[];
  bestEpoch: number | null;
}

/** Begins the note that says the data evaluated on is (a version of) the model's training data. */
export const TRAINING_DATA_NOTE = 'Not a test:';

export interface ModelSummary {
  dir: string;
  task: 'entities' | 'credit';
  /** The data file the model was trained on (card.json), when the card says. */
  trainedOn: string | null;
  training: TrainingCurves | null;
}

// ---- Entities ---------------------------------------------------------------------------------

export interface EntityTypeScores extends Scores {
  type: string;
  tag: string;
  /** Gold spans of the type. */
  gold: number;
  /** Predicted spans of the type. */
  predicted: number;
  matched: number;
}

/** Where a missed or falsely predicted span is, to open the record at it. */
export interface SpanLocation {
  /** 0-based line of the record in the dataset file. */
  line: number;
  /** Code-point offsets in the record's text, end exclusive. */
  start: number;
  end: number;
  /** UTF-16 columns of the span in the line as an editor shows it (escapes included, no byte order mark); null when the text could not be located. */
  columns: { start: number; end: number } | null;
}

export interface SpanError extends SpanLocation {
  kind: 'miss' | 'falseAlarm';
  /** Display name of the span's type. */
  type: string;
  /** The span's characters. */
  text: string;
  /**
   * What the other side has there: for a miss, the prediction at the same offsets with another type
   * ('type'), a prediction overlapping it ('boundary'), or nothing ('none'); for a false alarm the same
   * about the gold spans.
   */
  other: { relation: 'type' | 'boundary' | 'none'; type: string | null; start: number | null; end: number | null };
}

/**
 * Confusion between types: rows are gold types, columns predicted types. cells[g][p] counts gold
 * spans of type g predicted at exactly the same offsets as p (the diagonal: strict matches).
 * missed[g]: gold spans with no prediction at their offsets; falseAlarms[p]: predictions with no gold
 * span at their offsets. boundary[g]: gold spans of g without an exact prediction that a prediction
 * (of any type) overlaps.
 */
export interface TypeConfusion {
  types: string[];
  cells: number[][];
  missed: number[];
  falseAlarms: number[];
  boundary: number[];
}

export interface EntityEvaluationReport {
  kind: 'entities';
  model: ModelSummary;
  data: { file: string; records: number; goldSpans: number; predictedSpans: number };
  /**
   * The confidence threshold the figures were computed at (predicted spans below it are left out, as
   * in the editor): the card's calibration's, an explicit one (--min-confidence), or none (0, a model
   * without calibration). `candidateSpans` counts the decoded spans before the threshold.
   */
  confidence: {
    threshold: number;
    source: 'card' | 'option' | 'none';
    calibrated: boolean;
    candidateSpans: number;
    /**
     * How well the confidences held on this data: every decoded span (before the threshold) in 10 bins
     * of confidence, with the share that strictly matches a gold span; and the Brier score (null without spans).
     */
    reliability: { from: number; to: number; count: number; meanConfidence: number | null; precision: number | null }[];
    brier: number | null;
  };
  types: EntityTypeScores[];
  micro: Scores;
  /** Mean F1 over the types present on either side. */
  macro: { f1: number | null; types: number };
  confusion: TypeConfusion;
  /** Misses and false alarms in file order (at most `errorsListed`; `errorsTotal` counts them all). */
  errors: SpanError[];
  errorsTotal: number;
  /** Records or labels that were not evaluated as written, each with file:line and why. */
  problems: string[];
  /** Counted as written, but worth knowing: labels a BIO model cannot find exactly, a shortened error list. */
  notes: string[];
}

// ---- Credit -----------------------------------------------------------------------------------

export interface ConfusionMatrix {
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

export interface CurvePoint {
  x: number;
  y: number;
}

export interface ReliabilityBin {
  /** Probability range [from, to) (the last bin includes 1). */
  from: number;
  to: number;
  rows: number;
  /** Mean predicted P(违约) of the bin's rows, and the share of them that defaulted; null for an empty bin. */
  meanPredicted: number | null;
  observedRate: number | null;
}

/** Every figure of one classifier's probabilities on the evaluation rows. */
export interface BinaryClassifierFigures {
  auc: number | null;
  ks: number | null;
  /** The score at which KS is reached. */
  ksThreshold: number | null;
  gini: number | null;
  brier: number | null;
  threshold: number;
  /** Of the default class (1) at the threshold. */
  atThreshold: Scores;
  confusion: ConfusionMatrix;
  /** False positive rate (x) against true positive rate (y), from (0,0) to (1,1). */
  roc: CurvePoint[];
  /** Ten equal-width bins of P(违约). */
  reliability: ReliabilityBin[];
}

/** A figure with its percentile-bootstrap interval. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** Stratified, seeded bootstrap intervals of one classifier's AUC, KS and Gini on the evaluated rows. */
export interface FigureIntervals {
  auc: Interval;
  ks: Interval;
  gini: Interval;
  replicates: number;
  seed: number;
  /** Coverage, 0.95. */
  level: number;
}

/** A paired test of the LLM's ROC-AUC against one baseline's on the same rows (DeLong). */
export interface AucComparison {
  baseline: 'logistic regression' | 'GBDT';
  /** AUC(LLM) − AUC(baseline), its standard error and 95% interval. */
  difference: number;
  standardError: number;
  low: number;
  high: number;
  z: number | null;
  /** Two-sided; null when the standard error is 0 and the AUCs differ. */
  pValue: number | null;
  /** The comparison in words: better, worse, or within noise (p ≥ 0.05). */
  reading: string;
}

/** One bin of a population stability index: its share of the training split and of the file. */
export interface PsiBin {
  label: string;
  expected: number;
  actual: number;
}

export interface FeatureStability {
  /** A feature column, or "score (P(违约))". */
  column: string;
  psi: number;
  bins: PsiBin[];
}

/** Population stability between the model's training split and the rows scored or evaluated. */
export interface StabilityReport {
  /** PSI above which a column is named in the warning (0.25). */
  threshold: number;
  trainingRows: number;
  actualRows: number;
  features: FeatureStability[];
  /** Identifier-like columns (company names) not checked, with why. */
  leftOut: string[];
  /** The model's score; null where the training split was not scored. */
  score: FeatureStability | null;
  /** Names every column above the threshold; null when none is. */
  warning: string | null;
}

/** A baseline trained on the model's training split and scored on the evaluated rows, or why there is none. */
export type BaselineResult =
  | {
      ok: true;
      description: string;
      trainedOnRows: number;
      figures: BinaryClassifierFigures;
      intervals: FigureIntervals | null;
      comparison: AucComparison | null;
    }
  | { ok: false; reason: string };

export interface CreditEvaluationReport {
  kind: 'credit';
  model: ModelSummary;
  data: {
    file: string;
    encoding: string;
    labelColumn: string;
    /** Which rows were evaluated: the training run's dev split (the model's own data) or every labelled row. */
    rows: 'dev-split' | 'all';
    /** Says in words which rows, and why. */
    rowsNote: string;
    evaluated: number;
    defaults: number;
  };
  llm: BinaryClassifierFigures;
  llmIntervals: FigureIntervals | null;
  /** The logistic-regression baseline (with the LLM's paired AUC test against it). */
  baseline: BaselineResult;
  /** The gradient-boosted trees baseline (LightGBM in the worker), same features, split and imputation. */
  gbdt: BaselineResult;
  /** The GBDT's own feature importances (total gain, splits) per column; empty without a GBDT. */
  gbdtImportances: { column: string; gain: number; splits: number }[];
  /** PSI of each feature and of the score against the model's training split; null when that split is not available (stabilityNote says why). */
  stability: StabilityReport | null;
  stabilityNote: string | null;
  /** Plain sentences comparing the LLM with the baselines (by ROC-AUC, with the paired test). */
  verdict: string;
  /** Rows not evaluated, each with file:line and why. */
  problems: string[];
  /** Evaluated, but worth knowing: cells that were not numbers and were filled with the model's imputation values. */
  notes: string[];
}

export type EvaluationReport = EntityEvaluationReport | CreditEvaluationReport;

/** The figures a test or a script compares: micro F1 for entities, AUC/KS/baseline AUC for credit. */
export interface HeadlineFigures {
  kind: 'entities' | 'credit';
  microF1?: number | null;
  macroF1?: number | null;
  auc?: number | null;
  ks?: number | null;
  gini?: number | null;
  baselineAuc?: number | null;
  gbdtAuc?: number | null;
  /** The LLM's AUC 95% bootstrap interval. */
  aucLow?: number | null;
  aucHigh?: number | null;
  /** The largest PSI of a feature or the score against the training split. */
  maxPsi?: number | null;
}

export function headlineFigures(report: EvaluationReport): HeadlineFigures {
  if (report.kind === 'entities') return { kind: 'entities', microF1: report.micro.f1, macroF1: report.macro.f1 };
  return {
    kind: 'credit',
    auc: report.llm.auc,
    ks: report.llm.ks,
    gini: report.llm.gini,
    baselineAuc: report.baseline.ok ? report.baseline.figures.auc : null,
    gbdtAuc: report.gbdt.ok ? report.gbdt.figures.auc : null,
    aucLow: report.llmIntervals?.auc.low ?? null,
    aucHigh: report.llmIntervals?.auc.high ?? null,
    maxPsi: report.stability ? Math.max(...report.stability.features.map((f) => f.psi), report.stability.score?.psi ?? 0) : null,
  };
}
