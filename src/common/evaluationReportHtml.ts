/**
 * The evaluation report as HTML: tables and inline SVG charts. The report webview inserts the body
 * (interactive: misses and false alarms are links it handles); "Save as HTML" and `finlabel eval
 * --html` wrap the same body in a standalone page with its styles inline and no script.
 * Elements carrying a headline figure have data-figure="..." so what is on screen can be read back.
 */
import { escapeHtml, lineChartSvg, type ChartSeries } from './evaluationCharts';
import { baselineLines, comparisonLines, CREDIT_MODEL_KEYS, CREDIT_MODELS, creditTableRows, intervalsNote } from './creditReportRows';
import {
  TRAINING_DATA_NOTE,
  type BinaryClassifierFigures,
  type CreditEvaluationReport,
  type EntityEvaluationReport,
  type EvaluationReport,
  type SpanError,
  type TrainingCurves,
} from './evaluationReport';

export const REPORT_CSS = `
body { font-family: var(--vscode-font-family, system-ui, "Noto Sans CJK SC", sans-serif); color: var(--vscode-foreground, #222); background: var(--vscode-editor-background, #fff); margin: 0; padding: 0 20px 24px; line-height: 1.45; }
h1 { font-size: 1.5em; margin: 16px 0 4px; } h2 { font-size: 1.2em; margin: 22px 0 8px; }
.meta { opacity: 0.8; margin: 0 0 6px; }
table { border-collapse: collapse; margin: 6px 0 10px; }
th, td { border: 1px solid var(--vscode-panel-border, #ccc); padding: 3px 8px; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; }
td.diag { font-weight: 600; }
.verdict { padding: 8px 12px; border-left: 4px solid #4cbf6b; background: rgba(76, 191, 107, 0.12); margin: 10px 0; font-weight: 600; }
.stability-warning { padding: 8px 12px; border-left: 4px solid #e8a33d; background: rgba(232, 163, 61, 0.16); margin: 10px 0; font-weight: 600; }
tr.shifted td { font-weight: 600; color: #c0392b; }
span.ci { opacity: 0.75; }
.verdict.worse { border-left-color: #e05252; background: rgba(224, 82, 82, 0.14); }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
svg.chart { background: var(--vscode-editor-background, #fff); }
svg.chart text { fill: var(--vscode-foreground, #222); font-size: 11px; }
svg.chart .chart-title { font-weight: 600; font-size: 12px; }
svg.chart .plot-area { fill: none; stroke: var(--vscode-panel-border, #bbb); }
svg.chart .grid { stroke: var(--vscode-panel-border, #ddd); stroke-opacity: 0.5; }
svg.chart .line { fill: none; stroke-width: 2; }
svg.chart .reference { stroke: #999; stroke-dasharray: 4 3; stroke-width: 1; }
svg.chart .series-0 { stroke: #3d9be8; fill: #3d9be8; } svg.chart .line.series-0 { fill: none; }
svg.chart .series-1 { stroke: #e8a33d; fill: #e8a33d; } svg.chart .line.series-1 { fill: none; }
svg.chart .series-2 { stroke: #4cbf6b; fill: #4cbf6b; } svg.chart .line.series-2 { fill: none; }
svg.chart .series-3 { stroke: #b05bd6; fill: #b05bd6; } svg.chart .line.series-3 { fill: none; }
svg.chart tspan.legend { stroke: none; }
.errors td.text { font-family: var(--vscode-editor-font-family, monospace); white-space: pre-wrap; }
a.open-span { color: var(--vscode-textLink-foreground, #0b62c4); cursor: pointer; }
.problems li { margin: 2px 0; }
.toolbar { position: sticky; top: 0; padding: 8px 0; background: var(--vscode-editor-background, #fff); display: flex; gap: 8px; align-items: center; }
`;

const num = (v: number | null, digits = 3): string => (v === null ? '—' : v.toFixed(digits));
const td = (text: string, cls = ''): string => `<td${cls ? ` class="${cls}"` : ''}>${text}</td>`;
const tdNum = (text: string, figure?: string): string => `<td class="num"${figure ? ` data-figure="${figure}"` : ''}>${text}</td>`;
const table = (head: string[], rows: string[], numericFrom = 1): string =>
  `<table><thead><tr>${head.map((h, i) => `<th${i >= numericFrom ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;

function trainingSection(training: TrainingCurves | null): string {
  if (!training || training.epochs.length === 0) return '<h2>Training run</h2><p class="meta">card.json records no epochs.</p>';
  const epochs = training.epochs;
  const loss: ChartSeries = { name: 'train loss', points: epochs.map((e) => ({ x: e.epoch, y: e.trainLoss })), dots: true };
  const dev: ChartSeries = {
    name: `dev ${training.devMetricName}`,
    points: epochs.flatMap((e) => (e.devMetric === null ? [] : [{ x: e.epoch, y: e.devMetric }])),
    dots: true,
  };
  const rows = epochs.map(
    (e) => `<tr>${td(`${e.epoch}${e.epoch === training.bestEpoch ? ' (kept)' : ''}`)}${tdNum(num(e.trainLoss, 4))}${tdNum(num(e.devMetric, 4))}</tr>`,
  );
  return `<h2>Training run</h2><div class="charts">${lineChartSvg([loss], { title: 'Training loss per epoch', xLabel: 'epoch', yLabel: 'loss', integerX: true })}${lineChartSvg(
    [dev],
    {
      title: `Dev ${training.devMetricName} per epoch`,
      xLabel: 'epoch',
      yLabel: training.devMetricName,
      y: [0, 1],
      integerX: true,
    },
  )}</div>${table(['epoch', 'train loss', `dev ${training.devMetricName}`], rows)}`;
}

function listSection(title: string, items: readonly string[]): string {
  return items.length === 0
    ? ''
    : `<h2>${escapeHtml(title)} (${items.length})</h2><ul class="problems">${items.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>`;
}

function errorRow(e: SpanError, interactive: boolean): string {
  const where = `line ${e.line + 1} [${e.start}, ${e.end})`;
  const link = interactive
    ? `<a class="open-span" href="#" data-line="${e.line}" data-start="${e.start}" data-end="${e.end}"${e.columns ? ` data-col-start="${e.columns.start}" data-col-end="${e.columns.end}"` : ''}>${escapeHtml(where)}</a>`
    : escapeHtml(where);
  const other =
    e.other.relation === 'none' ? '' : `${e.other.relation === 'type' ? 'same span as' : 'overlaps'} ${e.other.type} [${e.other.start}, ${e.other.end})`;
  return `<tr>${td(e.kind === 'miss' ? 'miss' : 'false alarm')}${td(link)}${td(escapeHtml(e.type))}${td(escapeHtml(e.text), 'text')}${td(escapeHtml(other))}</tr>`;
}

/** The threshold the figures use and how well the confidences held on this data (every decoded span). */
function confidenceSection(r: EntityEvaluationReport): string {
  const c = r.confidence;
  const source =
    c.source === 'card' ? "the model card's threshold" : c.source === 'option' ? 'the threshold asked for' : 'no threshold (the model has no calibration)';
  const rows = c.reliability
    .filter((b) => b.count > 0)
    .map((b) => `<tr>${td(`${b.from.toFixed(1)}–${b.to.toFixed(1)}`)}${tdNum(`${b.count}`)}${tdNum(num(b.meanConfidence))}${tdNum(num(b.precision))}</tr>`);
  return [
    '<h2>Confidence</h2>',
    `<p class="meta">Predicted spans at confidence ≥ <span data-figure="threshold">${c.threshold.toFixed(3)}</span> (${source}); ${c.candidateSpans - r.data.predictedSpans} of ${c.candidateSpans} decoded spans were below it. Every decoded span by its ${c.calibrated ? 'calibrated ' : ''}confidence, and the share that strictly matches a gold span; Brier score ${c.brier === null ? '—' : c.brier.toFixed(3)}.</p>`,
    rows.length === 0 ? '<p>No decoded span.</p>' : table(['confidence', 'spans', 'mean confidence', 'precision (strict match)'], rows),
  ].join('');
}

function entityBody(r: EntityEvaluationReport, interactive: boolean): string {
  const c = r.confusion;
  const matched = r.types.reduce((s, t) => s + t.matched, 0);
  const typeRows = r.types.map(
    (t) =>
      `<tr>${td(escapeHtml(`${t.type} (${t.tag})`))}${tdNum(`${t.gold}`)}${tdNum(`${t.predicted}`)}${tdNum(`${t.matched}`)}${tdNum(num(t.precision))}${tdNum(num(t.recall))}${tdNum(num(t.f1), `f1:${escapeHtml(t.type)}`)}</tr>`,
  );
  typeRows.push(
    `<tr class="total">${td('micro')}${tdNum(`${r.data.goldSpans}`)}${tdNum(`${r.data.predictedSpans}`)}${tdNum(`${matched}`)}${tdNum(num(r.micro.precision), 'micro-precision')}${tdNum(num(r.micro.recall), 'micro-recall')}${tdNum(num(r.micro.f1), 'micro-f1')}</tr>`,
    `<tr class="total">${td(`macro (${r.macro.types} types)`)}${tdNum('')}${tdNum('')}${tdNum('')}${tdNum('')}${tdNum('')}${tdNum(num(r.macro.f1), 'macro-f1')}</tr>`,
  );
  const confusionRows = c.types.map(
    (t, g) =>
      `<tr>${td(escapeHtml(t))}${c.cells[g].map((v, p) => `<td class="num${p === g ? ' diag' : ''}">${v}</td>`).join('')}${tdNum(`${c.missed[g]}`)}${tdNum(`${c.boundary[g]}`)}</tr>`,
  );
  confusionRows.push(`<tr>${td('false alarms')}${c.falseAlarms.map((v) => tdNum(`${v}`)).join('')}${tdNum('')}${tdNum('')}</tr>`);
  const listed = r.errors.length < r.errorsTotal ? ` (the first ${r.errors.length} listed)` : '';
  return [
    '<h1>Entity model evaluation</h1>',
    `<p class="meta">Model <code>${escapeHtml(r.model.dir)}</code> on <code>${escapeHtml(r.data.file)}</code>: ${r.data.records} records, ${r.data.goldSpans} gold spans, ${r.data.predictedSpans} predicted. Strict span match: type and both offsets.</p>`,
    table(['type', 'gold', 'predicted', 'matched', 'precision', 'recall', 'F1'], typeRows),
    confidenceSection(r),
    '<h2>Confusion between types</h2>',
    '<p class="meta">Rows: gold type; columns: the predicted type at exactly the same offsets (diagonal: strict matches). Missed: no prediction at those offsets; boundary: of those, a prediction overlaps it.</p>',
    table(['gold \\ predicted', ...c.types, 'missed', 'boundary'], confusionRows),
    `<h2>Misses and false alarms (<span data-figure="errors-total">${r.errorsTotal}</span>)${listed}</h2>`,
    interactive ? '<p class="meta">Click a place to open the record at the span.</p>' : '',
    r.errors.length === 0
      ? '<p>None.</p>'
      : `<table class="errors"><thead><tr><th>kind</th><th>where</th><th>type</th><th>text</th><th>what the other side has</th></tr></thead><tbody>${r.errors.map((e) => errorRow(e, interactive)).join('')}</tbody></table>`,
  ].join('');
}

function figureRows(r: CreditEvaluationReport): string[] {
  return creditTableRows(r).map((row) => {
    const cells = row.cells.map((c, k) => {
      const key = `${CREDIT_MODEL_KEYS[k]}-${row.key}`;
      const present = c.value !== '—';
      return `<td class="num"><span${present ? ` data-figure="${key}"` : ''}>${escapeHtml(c.value)}</span>${c.interval ? ` <span class="ci" data-figure="${key}-ci">${escapeHtml(c.interval)}</span>` : ''}</td>`;
    });
    return `<tr>${td(escapeHtml(row.name))}${cells.join('')}</tr>`;
  });
}

function stabilitySection(r: CreditEvaluationReport): string {
  const st = r.stability;
  if (!st) return `<h2>Stability (PSI)</h2><p class="meta">${escapeHtml(r.stabilityNote ?? 'No stability check.')}</p>`;
  const rows = [...st.features, ...(st.score ? [st.score] : [])].map(
    (f) =>
      `<tr${f.psi > st.threshold ? ' class="shifted"' : ''}>${td(escapeHtml(f.column))}${tdNum(num(f.psi), `psi-${escapeHtml(f.column)}`)}${td(f.psi > st.threshold ? 'shifted' : f.psi > 0.1 ? 'watch' : 'stable')}</tr>`,
  );
  return [
    '<h2>Stability (PSI)</h2>',
    `<p class="meta">Population stability index of each feature and of the LLM's score between the model's training split (${st.trainingRows} rows) and the ${st.actualRows} evaluated rows: below 0.1 stable, 0.1–${st.threshold} a shift to watch, above ${st.threshold} a shift the figures may not survive.</p>`,
    table(['column', 'PSI', ''], rows),
    st.leftOut.length > 0 ? `<p class="meta">Not checked: ${escapeHtml(st.leftOut.join('; '))}.</p>` : '',
  ].join('');
}

function confusionTable(f: BinaryClassifierFigures, name: string): string {
  const m = f.confusion;
  return `<table><caption>${escapeHtml(name)}, threshold ${f.threshold}</caption><thead><tr><th>actual \\ predicted</th><th class="num">违约 (1)</th><th class="num">正常 (0)</th></tr></thead><tbody><tr>${td('违约 (1)')}${tdNum(`${m.truePositives}`)}${tdNum(`${m.falseNegatives}`)}</tr><tr>${td('正常 (0)')}${tdNum(`${m.falsePositives}`)}${tdNum(`${m.trueNegatives}`)}</tr></tbody></table>`;
}

function reliabilityPoints(f: BinaryClassifierFigures): { x: number; y: number }[] {
  return f.reliability.flatMap((b) => (b.meanPredicted === null || b.observedRate === null ? [] : [{ x: b.meanPredicted, y: b.observedRate }]));
}

function creditBody(r: CreditEvaluationReport): string {
  const base = r.baseline.ok ? r.baseline.figures : undefined;
  const trees = r.gbdt.ok ? r.gbdt.figures : undefined;
  const worse = [base, trees].some((b) => b !== undefined && r.llm.auc !== null && b.auc !== null && r.llm.auc <= b.auc);
  const diagonal: ChartSeries = {
    name: 'chance',
    points: [
      { x: 0, y: 0 },
      { x: 1, y: 1 },
    ],
    reference: true,
  };
  const roc: ChartSeries[] = [
    diagonal,
    { name: 'LLM', points: r.llm.roc },
    ...(base ? [{ name: 'logistic regression', points: base.roc }] : []),
    ...(trees ? [{ name: 'GBDT', points: trees.roc }] : []),
  ];
  const reliability: ChartSeries[] = [
    { ...diagonal, name: 'perfect calibration' },
    { name: 'LLM', points: reliabilityPoints(r.llm), dots: true },
    ...(base ? [{ name: 'logistic regression', points: reliabilityPoints(base), dots: true }] : []),
    ...(trees ? [{ name: 'GBDT', points: reliabilityPoints(trees), dots: true }] : []),
  ];
  const bins = r.llm.reliability.map((b, k) => {
    const bb = base?.reliability[k];
    return `<tr>${td(`${b.from.toFixed(1)}–${b.to.toFixed(1)}`)}${tdNum(`${b.rows}`)}${tdNum(num(b.meanPredicted))}${tdNum(num(b.observedRate))}${tdNum(bb ? `${bb.rows}` : '—')}${tdNum(bb ? num(bb.observedRate) : '—')}</tr>`;
  });
  return [
    '<h1>Credit model evaluation</h1>',
    `<p class="meta">Model <code>${escapeHtml(r.model.dir)}</code> on <code>${escapeHtml(r.data.file)}</code> (${escapeHtml(r.data.encoding)}), label column ${escapeHtml(r.data.labelColumn)}.</p>`,
    `<p class="meta">Rows: ${escapeHtml(r.data.rowsNote)}; ${r.data.defaults} of <span data-figure="rows">${r.data.evaluated}</span> defaulted.</p>`,
    `<p class="verdict${worse ? ' worse' : ''}" data-figure="verdict">${escapeHtml(r.verdict)}</p>`,
    r.stability?.warning ? `<p class="stability-warning" data-figure="stability-warning">${escapeHtml(r.stability.warning)}</p>` : '',
    table(['figure', ...CREDIT_MODELS], figureRows(r)),
    intervalsNote(r) ? `<p class="meta">${escapeHtml(intervalsNote(r)!)}</p>` : '',
    ...baselineLines(r).map((l) => `<p class="meta">${escapeHtml(l)}</p>`),
    '<p class="meta">KS: the largest gap between the cumulative score distributions of defaulters and non-defaulters; Gini = 2·AUC − 1.</p>',
    '<h2>Paired tests of ROC-AUC (DeLong)</h2>',
    comparisonLines(r).length === 0
      ? '<p class="meta">None: no baseline, or fewer than two rows of a class.</p>'
      : `<ul class="comparisons">${comparisonLines(r)
          .map((l) => `<li data-figure="comparison-${l.key}">${escapeHtml(l.text)}</li>`)
          .join('')}</ul>`,
    stabilitySection(r),
    '<h2>Confusion matrix</h2>',
    `<div class="charts">${confusionTable(r.llm, 'LLM')}${trees ? confusionTable(trees, 'GBDT') : ''}${base ? confusionTable(base, 'Logistic regression') : ''}</div>`,
    '<h2>ROC and reliability</h2>',
    `<div class="charts">${lineChartSvg(roc, { title: 'ROC curve', xLabel: 'false positive rate', yLabel: 'true positive rate', x: [0, 1], y: [0, 1] })}${lineChartSvg(
      reliability,
      {
        title: 'Reliability (10 bins)',
        xLabel: 'mean predicted P(违约)',
        yLabel: 'observed default rate',
        x: [0, 1],
        y: [0, 1],
      },
    )}</div>`,
    table(['P(违约) bin', 'rows (LLM)', 'mean predicted', 'observed rate', 'rows (baseline)', 'observed rate (baseline)'], bins),
  ].join('');
}

/** The report's content: headline tables, charts, training curves, problems and notes. */
export function reportBodyHtml(report: EvaluationReport, options: { interactive: boolean }): string {
  const body = report.kind === 'entities' ? entityBody(report, options.interactive) : creditBody(report);
  // Figures on the model's own training data are no test: said above them, not only in the notes at the end.
  const notATest = report.notes
    .filter((n) => n.startsWith(TRAINING_DATA_NOTE))
    .map((n) => `<p class="not-a-test"><strong>${escapeHtml(n)}</strong></p>`)
    .join('');
  return `${notATest}${body}${trainingSection(report.model.training)}${listSection('Not evaluated as written', report.problems)}${listSection('Notes', report.notes)}`;
}

/** A standalone page: the same content, styles inline, no script needed to read it. */
export function standaloneReportHtml(report: EvaluationReport, generatedAt: Date = new Date()): string {
  const title = report.kind === 'entities' ? 'Entity model evaluation' : 'Credit model evaluation';
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>FinLabel — ${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${reportBodyHtml(report, { interactive: false })}
<p class="meta">Written by FinLabel on ${escapeHtml(generatedAt.toISOString())}.</p>
</body>
</html>
`;
}
