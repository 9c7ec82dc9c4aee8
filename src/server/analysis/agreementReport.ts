import type { AgreementReport, AnnotationSource, Kappa, RecordRef } from '../../common/datasetReports';
import { markdownTable } from './markdownTable';
import { bullets, decimal, lineList, plural } from './reportFormat';

function sourceLine(name: 'A' | 'B', s: AnnotationSource, mode: AgreementReport['mode']): string {
  const who = s.annotator === null ? '' : ` — annotator **${s.annotator}**`;
  return `- **${name}**: ${s.file}${who}: ${plural(s.records, 'record')}${mode === 'files' ? ' in the file' : ''}, ${plural(s.labels, 'label')} compared`;
}

function refs(records: readonly RecordRef[]): string {
  return lineList(records.map((r) => r.line));
}

/** The kappa's value, or '—' with a footnote number pointing at its reason. */
function kappaCell(k: Kappa, reasons: string[]): string {
  if (k.value !== null) return decimal(k.value);
  reasons.push(k.reason ?? 'undefined');
  return `— [${reasons.length}]`;
}

/** The agreement report as a Markdown document (also what `finlabel agreement` prints). */
export function agreementMarkdown(report: AgreementReport): string {
  const out: string[] = ['# Annotator agreement', '', sourceLine('A', report.a, report.mode), sourceLine('B', report.b, report.mode)];
  if (report.mode === 'files') {
    out.push(
      `- Records in both: **${report.matchedRecords}** (${report.matchedById} by id, ${report.matchedByText} by identical text)` +
        `; only in A: ${report.onlyInA.length === 0 ? 0 : `${report.onlyInA.length} (line ${refs(report.onlyInA)})`}` +
        `; only in B: ${report.onlyInB.length === 0 ? 0 : `${report.onlyInB.length} (line ${refs(report.onlyInB)})`}`,
    );
    if (report.textDiffers.length > 0) out.push(`- Same id, different text (left out): ${report.textDiffers.map((d) => `"${d.id}"`).join(', ')}`);
  } else {
    out.push(`- Records compared: **${report.matchedRecords}**`);
  }
  out.push(`- Characters compared: ${report.characters}`, '');

  const reasons: string[] = [];
  const rows = report.types.map((t) => [
    t.type,
    t.tag ?? '(unknown)',
    String(t.spansA),
    String(t.spansB),
    String(t.matched),
    decimal(t.precision),
    decimal(t.recall),
    decimal(t.f1),
    kappaCell(t.kappa, reasons),
  ]);
  const sum = (f: (t: AgreementReport['types'][number]) => number): string => String(report.types.reduce((s, t) => s + f(t), 0));
  rows.push([
    'micro',
    '',
    sum((t) => t.spansA),
    sum((t) => t.spansB),
    sum((t) => t.matched),
    decimal(report.micro.precision),
    decimal(report.micro.recall),
    decimal(report.micro.f1),
    '',
  ]);
  rows.push([`macro (${plural(report.macro.types, 'type')})`, '', '', '', '', '', '', decimal(report.macro.f1), '']);
  out.push(
    '## Per type',
    '',
    'Spans match when start, end and type are identical; A is the reference for precision and recall (F1 is the same either way). ' +
      "Kappa is Cohen's kappa over characters: inside a span of the type or not.",
    '',
    markdownTable(['Type', 'Tag', 'Spans A', 'Spans B', 'Matched', 'Precision', 'Recall', 'F1', 'Kappa'], rows, [2, 3, 4, 5, 6, 7, 8]),
    '',
  );
  const k = report.overallKappa;
  out.push(
    `**Overall kappa** over characters, each character's class being its type or O (classes: ${k.classes.join(', ') || 'none'}): ` +
      `**${kappaCell(k, reasons)}** (p_o ${decimal(k.observed)}, p_e ${decimal(k.expected)})`,
    '',
    '## Characters by type',
    '',
    markdownTable(
      ['Type', 'Both', 'Only A', 'Only B', 'Neither', 'p_o', 'p_e'],
      report.types.map((t) => [
        t.type,
        String(t.characters.both),
        String(t.characters.onlyA),
        String(t.characters.onlyB),
        String(t.characters.neither),
        decimal(t.kappa.observed),
        decimal(t.kappa.expected),
      ]),
      [1, 2, 3, 4, 5, 6],
    ),
    '',
  );
  if (reasons.length > 0) out.push(...reasons.map((r, i) => `[${i + 1}] Kappa undefined: ${r}.`), '');
  if (report.problems.length > 0) out.push('## Problems', '', ...bullets(report.problems), '');
  if (report.notes.length > 0) out.push('## Notes', '', ...bullets(report.notes), '');
  return out.join('\n');
}
