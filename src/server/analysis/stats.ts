import type { ProblemCode } from '../../common/dataset';
import { PROBLEM_LINES_SHOWN, type DatasetStats, type ProblemSummary, type TypeName, type TypeStats } from '../../common/datasetReports';
import type { LabelSchema } from '../../common/labelSchema';
import { parseDataset } from '../dataset/datasetFile';
import { codePointLength } from '../dataset/jsonStringMap';
import { distribution } from './distribution';
import { listedLabelCount, recordLabels } from './recordLabels';

interface TypeTally extends TypeName {
  lengths: number[];
  records: number;
}

/** The figures `finlabel stats` and "FinLabel: Dataset Statistics" show for a dataset JSONL's content. */
export function datasetStats(content: string, file: string, schema: LabelSchema): DatasetStats {
  const { records, problems, rejectedLines } = parseDataset(content, schema);
  const tallies = new Map<string, TypeTally>();
  for (const t of schema.types) tallies.set(t.name, { type: t.name, tag: t.tag, lengths: [], records: 0 });
  const annotators = new Map<string, number>();
  const allLengths: number[] = [];
  const textLengths: number[] = [];
  let labelledRecords = 0;
  let unplacedLabels = 0;
  let labelsWithoutAnnotator = 0;

  for (const { record } of records) {
    const textLength = codePointLength(record.text);
    textLengths.push(textLength);
    if (listedLabelCount(record) > 0) labelledRecords++;
    const { labels, unplaced } = recordLabels(record, schema, textLength);
    unplacedLabels += unplaced;
    const typesHere = new Set<string>();
    for (const label of labels) {
      let tally = tallies.get(label.type);
      if (!tally) {
        tally = { type: label.type, tag: label.tag, lengths: [], records: 0 };
        tallies.set(label.type, tally);
      }
      tally.lengths.push(label.end - label.start);
      allLengths.push(label.end - label.start);
      typesHere.add(label.type);
      if (label.annotator === undefined) labelsWithoutAnnotator++;
      else annotators.set(label.annotator, (annotators.get(label.annotator) ?? 0) + 1);
    }
    for (const type of typesHere) tallies.get(type)!.records++;
  }

  const toStats = (t: TypeTally): TypeStats => ({
    type: t.type,
    tag: t.tag,
    labels: t.lengths.length,
    records: t.records,
    spanLength: distribution(t.lengths),
  });
  const all = [...tallies.values()];
  return {
    file,
    // Every line that is not blank is a record or a rejected line.
    lines: records.length + rejectedLines.length,
    records: records.length,
    labelledRecords,
    unlabelledRecords: records.length - labelledRecords,
    rejectedLines,
    labels: allLengths.length,
    unplacedLabels,
    types: all.filter((t) => t.tag !== null).map(toStats),
    unknownTypes: all
      .filter((t) => t.tag === null)
      .map(toStats)
      .sort((a, b) => b.labels - a.labels || (a.type < b.type ? -1 : 1)),
    spanLength: distribution(allLengths),
    textLength: distribution(textLengths),
    annotators: [...annotators].map(([name, labels]) => ({ name, labels })).sort((a, b) => (a.name < b.name ? -1 : 1)),
    labelsWithoutAnnotator,
    problems: summarizeProblems(problems),
    problemCount: problems.length,
  };
}

/** Problems grouped by code, in order of first appearance. */
function summarizeProblems(problems: readonly { line: number; code: ProblemCode }[]): ProblemSummary[] {
  const byCode = new Map<ProblemCode, ProblemSummary>();
  for (const p of problems) {
    let summary = byCode.get(p.code);
    if (!summary) {
      summary = { code: p.code, count: 0, lines: [] };
      byCode.set(p.code, summary);
    }
    summary.count++;
    if (summary.lines.length < PROBLEM_LINES_SHOWN && summary.lines[summary.lines.length - 1] !== p.line) summary.lines.push(p.line);
  }
  return [...byCode.values()];
}
