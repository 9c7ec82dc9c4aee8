/**
 * The credit report's side-by-side table (LLM, GBDT, logistic regression), its paired tests and its
 * stability lines as text: one definition for the Markdown report (server) and the HTML report
 * (report view and saved page).
 */
import type { BaselineResult, BinaryClassifierFigures, CreditEvaluationReport, FigureIntervals, Interval } from './evaluationReport';

export const CREDIT_MODELS = ['LLM', 'GBDT', 'logistic regression'] as const;
/** Keys of the models in data-figure names: llm-auc, gbdt-auc, baseline-auc. */
export const CREDIT_MODEL_KEYS = ['llm', 'gbdt', 'baseline'] as const;

const num = (v: number | null, digits = 3): string => (v === null ? '—' : v.toFixed(digits));

/** A cell: the figure, and its 95% interval as "[0.561, 0.660]" where it has one. */
export interface CreditCell {
  value: string;
  interval: string | null;
}

const cell = (value: string, interval?: Interval): CreditCell => ({ value, interval: interval ? `[${num(interval.low)}, ${num(interval.high)}]` : null });

/** "0.612 [0.561, 0.660]". */
export const cellText = (c: CreditCell): string => (c.interval ? `${c.value} ${c.interval}` : c.value);

interface Column {
  figures: BinaryClassifierFigures | undefined;
  intervals: FigureIntervals | null;
}

export interface CreditTableRow {
  name: string;
  /** data-figure key suffix (auc, ks, ...). */
  key: string;
  /** One cell per model in CREDIT_MODELS order; '—' where the model is absent. */
  cells: CreditCell[];
}

const column = (b: BaselineResult): Column => (b.ok ? { figures: b.figures, intervals: b.intervals } : { figures: undefined, intervals: null });

/** The figures of the three models, AUC, KS and Gini with their intervals. */
export function creditTableRows(r: CreditEvaluationReport): CreditTableRow[] {
  const columns: Column[] = [{ figures: r.llm, intervals: r.llmIntervals }, column(r.gbdt), column(r.baseline)];
  const rows: [string, string, (f: BinaryClassifierFigures, i: FigureIntervals | null) => CreditCell][] = [
    ['ROC-AUC [95% CI]', 'auc', (f, i) => cell(num(f.auc), i?.auc)],
    ['KS [95% CI]', 'ks', (f, i) => cell(num(f.ks), i?.ks)],
    ['Gini [95% CI]', 'gini', (f, i) => cell(num(f.gini), i?.gini)],
    ['Brier score', 'brier', (f) => cell(num(f.brier))],
    [`precision (违约) at ${r.llm.threshold}`, 'precision', (f) => cell(num(f.atThreshold.precision))],
    [`recall (违约) at ${r.llm.threshold}`, 'recall', (f) => cell(num(f.atThreshold.recall))],
    [`F1 (违约) at ${r.llm.threshold}`, 'f1', (f) => cell(num(f.atThreshold.f1))],
    [
      'TP / FP / TN / FN',
      'confusion',
      (f) => cell(`${f.confusion.truePositives} / ${f.confusion.falsePositives} / ${f.confusion.trueNegatives} / ${f.confusion.falseNegatives}`),
    ],
  ];
  return rows.map(([name, key, value]) => ({ name, key, cells: columns.map((c) => (c.figures ? value(c.figures, c.intervals) : cell('—'))) }));
}

/** How the intervals were drawn, in one sentence; null without intervals. */
export function intervalsNote(r: CreditEvaluationReport): string | null {
  const i = r.llmIntervals;
  if (!i) return null;
  return `Intervals: ${Math.round(i.level * 100)}% bootstrap, ${i.replicates} replicates stratified by class (seed ${i.seed}), on the ${r.data.evaluated} evaluated rows (${r.data.defaults} defaults): percentile for AUC and Gini, basic (bias-corrected) for KS. With few defaults they are wide, and a difference inside them is not evidence; the paired test below says whether the LLM really differs from a baseline.`;
}

/** The paired test of the LLM against each baseline, one sentence each, keyed 'gbdt' or 'baseline'. */
export function comparisonLines(r: CreditEvaluationReport): { key: 'gbdt' | 'baseline'; text: string }[] {
  return (
    [
      ['gbdt', r.gbdt],
      ['baseline', r.baseline],
    ] as const
  ).flatMap(([key, b]) => (b.ok && b.comparison ? [{ key, text: b.comparison.reading }] : []));
}

/** Each baseline's description, or why it is missing. */
export function baselineLines(r: CreditEvaluationReport): string[] {
  const line = (name: string, b: BaselineResult): string =>
    b.ok ? `${name}: ${b.description}; trained on ${b.trainedOnRows} rows of the training split.` : `${name}: none (${b.reason}).`;
  return [line('GBDT', r.gbdt), line('Logistic regression', r.baseline)];
}
