import { baselineLines, cellText, comparisonLines, CREDIT_MODELS, creditTableRows, intervalsNote } from '../../common/creditReportRows';
import {
  TRAINING_DATA_NOTE,
  type CreditEvaluationReport,
  type EntityEvaluationReport,
  type EvaluationReport,
  type TrainingCurves,
} from '../../common/evaluationReport';
import { markdownTable } from '../analysis/markdownTable';
import { decimal } from '../analysis/reportFormat';
import { reliabilityMarkdown } from '../calibration/calibrationSummary';

/** Misses and false alarms printed in the Markdown report; --json and the report view have them all. */
const ERRORS_SHOWN = 50;

function trainingSection(training: TrainingCurves | null): string[] {
  if (!training || training.epochs.length === 0) return ['## Training run', '', 'card.json records no epochs.'];
  return [
    '## Training run',
    '',
    markdownTable(
      ['epoch', 'train loss', `dev ${training.devMetricName}`],
      training.epochs.map((e) => [`${e.epoch}${e.epoch === training.bestEpoch ? ' (kept)' : ''}`, decimal(e.trainLoss, 4), decimal(e.devMetric, 4)]),
      [1, 2],
    ),
  ];
}

function listSection(title: string, items: readonly string[]): string[] {
  return items.length === 0 ? [] : [`## ${title} (${items.length})`, '', ...items.map((p) => `- ${p}`), ''];
}

function entityMarkdown(r: EntityEvaluationReport): string[] {
  const c = r.confusion;
  const errorRow = (e: EntityEvaluationReport['errors'][number]): string[] => [
    e.kind === 'miss' ? 'miss' : 'false alarm',
    `${e.line + 1}`,
    `[${e.start}, ${e.end})`,
    e.type,
    e.text,
    e.other.relation === 'none' ? '' : `${e.other.relation === 'type' ? 'same span as' : 'overlaps'} ${e.other.type} [${e.other.start}, ${e.other.end})`,
  ];
  return [
    `# Entity model evaluation`,
    '',
    `Model ${r.model.dir}, data ${r.data.file}: ${r.data.records} records, ${r.data.goldSpans} gold spans, ${r.data.predictedSpans} predicted. Strict span match (type and both offsets).`,
    '',
    `Predicted spans at confidence ≥ ${r.confidence.threshold.toFixed(3)} (${r.confidence.source === 'option' ? '--min-confidence' : r.confidence.source === 'card' ? "the model card's threshold, calibrated on its dev split" : 'the model has no calibration: every decoded span'}); ${r.confidence.candidateSpans - r.data.predictedSpans} of ${r.confidence.candidateSpans} decoded spans were below it.`,
    '',
    markdownTable(
      ['type', 'gold', 'predicted', 'matched', 'precision', 'recall', 'F1'],
      [
        ...r.types.map((t) => [`${t.type} (${t.tag})`, `${t.gold}`, `${t.predicted}`, `${t.matched}`, decimal(t.precision), decimal(t.recall), decimal(t.f1)]),
        [
          'micro',
          `${r.data.goldSpans}`,
          `${r.data.predictedSpans}`,
          `${r.types.reduce((s, t) => s + t.matched, 0)}`,
          decimal(r.micro.precision),
          decimal(r.micro.recall),
          decimal(r.micro.f1),
        ],
        [`macro (${r.macro.types} types)`, '', '', '', '', '', decimal(r.macro.f1)],
      ],
      [1, 2, 3, 4, 5, 6],
    ),
    '',
    '## Confidence',
    '',
    `Every decoded span of this data (before the threshold) by its ${r.confidence.calibrated ? 'calibrated confidence' : 'raw span score (the model has no calibration)'}, and the share that strictly matches a gold span: a well calibrated model's precision is close to its mean confidence in each row.`,
    '',
    ...reliabilityMarkdown(r.confidence.reliability, r.confidence.brier),
    '',
    '## Confusion between types',
    '',
    'Rows: gold type; columns: the predicted type at exactly the same offsets. "missed": no prediction at those offsets (of which "boundary": a prediction overlaps it).',
    '',
    markdownTable(
      ['gold \\ predicted', ...c.types, 'missed', 'boundary'],
      [...c.types.map((t, g) => [t, ...c.cells[g].map(String), `${c.missed[g]}`, `${c.boundary[g]}`]), ['false alarms', ...c.falseAlarms.map(String), '', '']],
      c.types.map((_, i) => i + 1).concat([c.types.length + 1, c.types.length + 2]),
    ),
    '',
    `## Misses and false alarms (${r.errorsTotal})`,
    '',
    r.errors.length === 0
      ? 'None.'
      : markdownTable(['kind', 'line', 'span', 'type', 'text', 'what the other side has'], r.errors.slice(0, ERRORS_SHOWN).map(errorRow), [1]),
    ...(r.errorsTotal > ERRORS_SHOWN ? ['', `… ${r.errorsTotal - ERRORS_SHOWN} more (every one is in --json and the report view).`] : []),
  ];
}

function stabilityMarkdown(r: CreditEvaluationReport): string[] {
  const st = r.stability;
  if (!st) return ['## Stability (PSI)', '', r.stabilityNote ?? 'No stability check.'];
  const rows = [...st.features, ...(st.score ? [st.score] : [])];
  return [
    '## Stability (PSI)',
    '',
    `Population stability index of each feature and of the LLM's score between the model's training split (${st.trainingRows} rows) and the ${st.actualRows} evaluated rows: below 0.1 stable, 0.1–${st.threshold} a shift to watch, above ${st.threshold} a shift the figures may not survive.`,
    '',
    ...(st.warning ? [`> **${st.warning}**`, ''] : []),
    markdownTable(
      ['column', 'PSI', ''],
      rows.map((f) => [f.column, decimal(f.psi), f.psi > st.threshold ? 'shifted' : '']),
      [1],
    ),
    ...(st.leftOut.length > 0 ? ['', `Not checked: ${st.leftOut.join('; ')}.`] : []),
  ];
}

function creditMarkdown(r: CreditEvaluationReport): string[] {
  const note = intervalsNote(r);
  return [
    '# Credit model evaluation',
    '',
    `Model ${r.model.dir}, data ${r.data.file} (${r.data.encoding}), label column ${r.data.labelColumn}. Rows: ${r.data.rowsNote}; ${r.data.defaults} of ${r.data.evaluated} defaulted.`,
    '',
    `**${r.verdict}**`,
    '',
    ...(r.stability?.warning ? [`> **${r.stability.warning}**`, ''] : []),
    markdownTable(
      ['figure', ...CREDIT_MODELS],
      creditTableRows(r).map((row) => [row.name, ...row.cells.map(cellText)]),
      [1, 2, 3],
    ),
    '',
    ...(note ? [note, ''] : []),
    ...baselineLines(r).flatMap((l) => [l, '']),
    '## Paired tests of ROC-AUC (DeLong)',
    '',
    ...(comparisonLines(r).length === 0 ? ['None: no baseline, or fewer than two rows of a class.'] : comparisonLines(r).map((l) => `- ${l.text}`)),
    '',
    ...stabilityMarkdown(r),
    '',
    '## Reliability (LLM)',
    '',
    markdownTable(
      ['P(违约)', 'rows', 'mean predicted', 'observed default rate'],
      r.llm.reliability.map((b) => [`${b.from.toFixed(1)}–${b.to.toFixed(1)}`, `${b.rows}`, decimal(b.meanPredicted), decimal(b.observedRate)]),
      [1, 2, 3],
    ),
  ];
}

/** The report as Markdown tables (the CLI's output without --json). */
export function evaluationMarkdown(report: EvaluationReport): string {
  const body = report.kind === 'entities' ? entityMarkdown(report) : creditMarkdown(report);
  const notATest = report.notes.filter((n) => n.startsWith(TRAINING_DATA_NOTE)).flatMap((n) => [`> **${n}**`, '']);
  return `${[...notATest, ...body, '', ...trainingSection(report.model.training), '', ...listSection('Not evaluated as written', report.problems), ...listSection('Notes', report.notes)].join('\n').trimEnd()}\n`;
}
