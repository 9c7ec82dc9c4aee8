import type { DatasetStats, Distribution, TypeStats } from '../../common/datasetReports';
import { bucketOf } from './distribution';
import { markdownTable } from './markdownTable';
import { code, count, decimal, lineList, plural } from './reportFormat';

const bucketName = (from: number, to: number): string => (from === to ? String(from) : `${from}-${to}`);

function lengthRow(name: string, tag: string, labels: number, records: number | null, d: Distribution): string[] {
  return [name, tag, String(labels), count(records), count(d.min), count(d.p50), count(d.p90), count(d.max), decimal(d.mean, 1)];
}

function typeTable(types: readonly TypeStats[], total?: { labels: number; spanLength: Distribution }): string {
  const rows = types.map((t) => lengthRow(t.type, t.tag ?? '', t.labels, t.records, t.spanLength));
  if (total) rows.push(lengthRow('all', '', total.labels, null, total.spanLength));
  return markdownTable(['Type', 'Tag', 'Labels', 'Records', 'Min', 'p50', 'p90', 'Max', 'Mean'], rows, [2, 3, 4, 5, 6, 7, 8]);
}

/** One row per length bucket, one column per distribution (buckets from the smallest to the largest seen). */
function histogramTable(columns: readonly { name: string; d: Distribution }[]): string {
  const seen = columns.filter((c) => c.d.count > 0);
  if (seen.length === 0) return '';
  const lowest = Math.min(...seen.map((c) => c.d.histogram[0].from));
  const highest = Math.max(...seen.map((c) => c.d.histogram[c.d.histogram.length - 1].to));
  const rows: string[][] = [];
  for (let [from, to] = bucketOf(lowest); ; [from, to] = bucketOf(to + 1)) {
    rows.push([bucketName(from, to), ...columns.map((c) => String(c.d.histogram.find((b) => b.from === from)?.count ?? 0))]);
    if (to >= highest) break;
  }
  return markdownTable(
    ['Length', ...columns.map((c) => c.name)],
    rows,
    columns.map((_, i) => i + 1),
  );
}

/** The statistics as a Markdown document (also what `finlabel stats` prints). */
export function statsMarkdown(stats: DatasetStats): string {
  const out: string[] = [`# Dataset statistics: ${stats.file}`, ''];
  out.push(
    `- Records: **${stats.records}** (${stats.labelledRecords} labelled, ${stats.unlabelledRecords} without labels)`,
    `- Labels: **${stats.labels}**${stats.unplacedLabels > 0 ? ` (and ${plural(stats.unplacedLabels, 'label')} with unusable offsets, not counted below)` : ''}`,
    `- Lines that are not records: ${stats.rejectedLines.length === 0 ? 'none' : `**${stats.rejectedLines.length}** (line ${lineList(stats.rejectedLines)})`}`,
    `- Problems (as \`finlabel validate\` reports them): ${stats.problemCount === 0 ? 'none' : `**${stats.problemCount}**`}`,
    '',
    '## Labels by type',
    '',
    'Span lengths in characters (Unicode code points).',
    '',
    typeTable(stats.types, stats),
    '',
  );
  if (stats.unknownTypes.length > 0) {
    out.push('### Types not in the label schema', '', typeTable(stats.unknownTypes), '');
  }
  const spanColumns = [...stats.types, ...stats.unknownTypes].filter((t) => t.labels > 0).map((t) => ({ name: t.type, d: t.spanLength }));
  if (spanColumns.length > 0) out.push('## Span length histogram', '', histogramTable(spanColumns), '');
  const t = stats.textLength;
  out.push(
    '## Text length',
    '',
    markdownTable(
      ['Records', 'Min', 'p50', 'p90', 'Max', 'Mean'],
      [[String(t.count), count(t.min), count(t.p50), count(t.p90), count(t.max), decimal(t.mean, 1)]],
      [0, 1, 2, 3, 4, 5],
    ),
    '',
  );
  if (t.count > 0) out.push(histogramTable([{ name: 'Records', d: t }]), '');
  out.push('## Annotators', '');
  if (stats.annotators.length === 0) out.push('No label names an annotator.', '');
  else {
    const rows = stats.annotators.map((a) => [a.name, String(a.labels)]);
    if (stats.labelsWithoutAnnotator > 0) rows.push(['(none)', String(stats.labelsWithoutAnnotator)]);
    out.push(markdownTable(['Annotator', 'Labels'], rows, [1]), '');
  }
  if (stats.problems.length > 0) {
    out.push(
      '## Problems',
      '',
      markdownTable(
        ['Code', 'Count', 'Lines'],
        stats.problems.map((p) => [p.code, String(p.count), lineList(p.lines)]),
        [1],
      ),
      '',
    );
    out.push(`Every problem with its message: ${code(`finlabel validate ${stats.file}`)}, or the Problems panel of the open file.`, '');
  }
  return out.join('\n');
}
