import type { SplitSummary } from '../../common/datasetReports';
import { markdownTable } from './markdownTable';
import { percent, plural } from './reportFormat';

const withShare = (n: number, total: number): string => `${n} (${percent(total === 0 ? null : n / total)})`;

/** The split's summary as a Markdown document (also what `finlabel split` prints). */
export function splitMarkdown(summary: SplitSummary): string {
  const types = summary.parts[0]?.types ?? [];
  const header = ['Split', 'File', 'Ratio', 'Records', 'Groups', 'Labels', ...types.map((t) => t.type)];
  const rows = summary.parts.map((p) => [
    p.name,
    p.file,
    String(p.ratio),
    withShare(p.records, summary.records),
    String(p.groups),
    withShare(p.labels, summary.labels),
    ...p.types.map((t) => `${t.labels} (${percent(t.share)})`),
  ]);
  rows.push([
    'all',
    '',
    '1',
    String(summary.records),
    String(summary.groups),
    String(summary.labels),
    ...types.map((_, i) => String(summary.parts.reduce((n, p) => n + p.types[i].labels, 0))),
  ]);
  const out = [
    `# Split of ${summary.input}`,
    '',
    `Seed ${summary.seed}, ratios ${summary.ratios.join(' / ')}: ${plural(summary.records, 'record')} in ${plural(summary.groups, 'group')} ` +
      '(records sharing an id stay in one split), stratified so that each entity type keeps its share in every split. ' +
      'Each file holds the input lines as they are, in input order.',
    '',
    markdownTable(header, rows, [2, 3, 4, 5, ...types.map((_, i) => i + 6)]),
    '',
  ];
  const notes: string[] = [];
  if (summary.blankLines > 0) notes.push(`${plural(summary.blankLines, 'blank line')} of the input ${summary.blankLines === 1 ? 'is' : 'are'} not copied.`);
  if (summary.labelProblems > 0) {
    notes.push(
      `The records have ${plural(summary.labelProblems, 'label problem')} (\`finlabel validate\` lists them); they are copied as they are, and labels with unusable offsets do not count in the shares.`,
    );
  }
  if (notes.length > 0) out.push(...notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}
