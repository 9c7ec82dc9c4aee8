import type { AgreementReport, AnnotationSource, CharacterCounts, TypeAgreement, TypeName } from '../../common/datasetReports';
import type { LabelSchema } from '../../common/labelSchema';
import { parseDataset, type DatasetContent, type NumberedRecord } from '../dataset/datasetFile';
import { codePointLength } from '../dataset/jsonStringMap';
import { SpanTally, spanScores, summarize } from '../metrics/spanMetrics';
import { ConfusionTable } from './kappa';
import { compareTypes, recordId, recordLabels, type RecordLabel } from './recordLabels';
import { duplicateIds, matchRecords } from './recordMatching';

/** A dataset file's content and, optionally, the one annotator whose labels count. */
export interface AnnotatedFile {
  file: string;
  content: string;
  annotator?: string;
}

/** One document both annotators labelled: its length in code points and each one's labels. */
interface ComparedRecord {
  length: number;
  a: RecordLabel[];
  b: RecordLabel[];
}

const OUTSIDE = 'O';

interface TypeTally extends TypeName {
  chars: ConfusionTable;
  /** Characters of the records where the type occurs: the rest count as outside for both. */
  charsSeen: number;
}

/** Span and character agreement of labels over compared records (no I/O). */
function compare(records: readonly ComparedRecord[], schema: LabelSchema): Pick<AgreementReport, 'characters' | 'types' | 'micro' | 'macro' | 'overallKappa'> {
  const tallies = new Map<string, TypeTally>();
  const spans = new SpanTally();
  const tally = (t: TypeName): TypeTally => {
    let entry = tallies.get(t.type);
    if (!entry) {
      entry = { ...t, chars: new ConfusionTable(), charsSeen: 0 };
      tallies.set(t.type, entry);
      spans.type(t.type);
    }
    return entry;
  };
  for (const t of schema.types) tally({ type: t.name, tag: t.tag });
  const overall = new ConfusionTable();
  let characters = 0;

  for (const r of records) {
    characters += r.length;
    for (const l of [...r.a, ...r.b]) tally(l);
    spans.add(r.a, r.b);
    // Characters: per type, inside a span of it or not; overall, the set of covering types or O.
    const typesHere = [...new Set([...r.a, ...r.b].map((l) => l.type))].sort();
    const masksA = typesHere.map((t) => coverage(r.length, r.a, t));
    const masksB = typesHere.map((t) => coverage(r.length, r.b, t));
    typesHere.forEach((type, k) => {
      const t = tallies.get(type)!;
      t.charsSeen += r.length;
      const cells = [0, 0, 0, 0]; // index: 2 * insideA + insideB
      for (let i = 0; i < r.length; i++) cells[2 * masksA[k][i] + masksB[k][i]]++;
      t.chars.add(OUTSIDE, OUTSIDE, cells[0]);
      t.chars.add(OUTSIDE, type, cells[1]);
      t.chars.add(type, OUTSIDE, cells[2]);
      t.chars.add(type, type, cells[3]);
    });
    const pairsHere = new Map<string, number>();
    for (let i = 0; i < r.length; i++) {
      const key = `${classAt(typesHere, masksA, i)}\u0000${classAt(typesHere, masksB, i)}`;
      pairsHere.set(key, (pairsHere.get(key) ?? 0) + 1);
    }
    for (const [key, n] of pairsHere) {
      const [a, b] = key.split('\u0000');
      overall.add(a, b, n);
    }
  }

  const types: TypeAgreement[] = [...tallies.values()].sort(compareTypes(schema)).map((t) => {
    const rest = characters - t.charsSeen;
    t.chars.add(OUTSIDE, OUTSIDE, rest);
    const characterCounts: CharacterCounts = {
      both: t.chars.count(t.type, t.type),
      onlyA: t.chars.count(t.type, OUTSIDE),
      onlyB: t.chars.count(OUTSIDE, t.type),
      neither: t.chars.count(OUTSIDE, OUTSIDE),
    };
    const counts = spans.type(t.type);
    return {
      type: t.type,
      tag: t.tag,
      spansA: counts.reference,
      spansB: counts.candidate,
      matched: counts.matched,
      ...spanScores(counts.matched, counts.reference, counts.candidate),
      characters: characterCounts,
      kappa: t.chars.kappa(),
    };
  });
  const { micro, macro } = summarize(spans.all());
  return {
    characters,
    types,
    micro,
    macro,
    overallKappa: { ...overall.kappa(), classes: overall.classes() },
  };
}

function coverage(length: number, labels: readonly RecordLabel[], type: string): Uint8Array {
  const mask = new Uint8Array(length);
  for (const l of labels) if (l.type === type) mask.fill(1, l.start, l.end);
  return mask;
}

function classAt(types: readonly string[], masks: readonly Uint8Array[], i: number): string {
  const covering = types.filter((_, k) => masks[k][i] === 1);
  return covering.length === 0 ? OUTSIDE : covering.join('+');
}

function lineProblems(file: string, content: DatasetContent): string[] {
  const rejected = new Set(content.rejectedLines);
  return content.problems.filter((p) => rejected.has(p.line)).map((p) => `${file}:${p.line}: ${p.code}: ${p.message}; the line is left out`);
}

function unplacedProblem(file: string, record: NumberedRecord, unplaced: number): string[] {
  // "labels" that is not a list (an object, a string, null) holds no label that can be compared: say so.
  const raw: unknown = record.record.labels;
  if (raw !== undefined && !Array.isArray(raw))
    return [`${file}:${record.line}: "labels" is not a list; the record is compared as having no label (finlabel validate says why)`];
  return unplaced === 0
    ? []
    : [`${file}:${record.line}: ${unplaced} label${unplaced === 1 ? '' : 's'} with unusable offsets left out (finlabel validate says why)`];
}

function annotatorsIn(content: DatasetContent, schema: LabelSchema): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { record } of content.records) {
    for (const l of recordLabels(record, schema).labels) if (l.annotator !== undefined) counts.set(l.annotator, (counts.get(l.annotator) ?? 0) + 1);
  }
  return counts;
}

function missingAnnotatorProblem(file: string, annotator: string, present: Map<string, number>): string[] {
  if (present.has(annotator)) return [];
  const names = [...present.keys()].sort();
  return [
    `${file}: no label has "annotator": "${annotator}" (${names.length === 0 ? 'no label in the file names an annotator' : `annotators in the file: ${names.join(', ')}`})`,
  ];
}

const ref = (r: NumberedRecord): { line: number; id: string | null } => ({ line: r.line, id: recordId(r.record) ?? null });

/** Agreement between the labels of two files (each optionally narrowed to one annotator's labels). */
export function fileAgreement(inputA: AnnotatedFile, inputB: AnnotatedFile, schema: LabelSchema): AgreementReport {
  const contentA = parseDataset(inputA.content, schema);
  const contentB = parseDataset(inputB.content, schema);
  const problems = [...lineProblems(inputA.file, contentA), ...lineProblems(inputB.file, contentB)];
  const notes: string[] = [];
  const presentA = annotatorsIn(contentA, schema);
  const presentB = annotatorsIn(contentB, schema);
  if (inputA.annotator !== undefined) problems.push(...missingAnnotatorProblem(inputA.file, inputA.annotator, presentA));
  if (inputB.annotator !== undefined) problems.push(...missingAnnotatorProblem(inputB.file, inputB.annotator, presentB));
  for (const [input, present] of [
    [inputA, presentA],
    [inputB, presentB],
  ] as const) {
    if (input.annotator === undefined && present.size > 1) {
      notes.push(
        `${input.file} has labels from ${present.size} annotators (${[...present.keys()].sort().join(', ')}), all compared together; pick one with --annotator-a/--annotator-b`,
      );
    }
  }

  const matching = matchRecords(contentA.records, contentB.records);
  const compared: ComparedRecord[] = [];
  let labelsA = 0;
  let labelsB = 0;
  const keep = (annotator: string | undefined) => (l: RecordLabel) => annotator === undefined || l.annotator === annotator;
  for (const { a, b } of matching.pairs) {
    const length = codePointLength(a.record.text);
    const fromA = recordLabels(a.record, schema, length);
    const fromB = recordLabels(b.record, schema, length);
    problems.push(...unplacedProblem(inputA.file, a, fromA.unplaced), ...unplacedProblem(inputB.file, b, fromB.unplaced));
    const record = { length, a: fromA.labels.filter(keep(inputA.annotator)), b: fromB.labels.filter(keep(inputB.annotator)) };
    labelsA += record.a.length;
    labelsB += record.b.length;
    compared.push(record);
  }
  for (const d of matching.textDiffers) {
    problems.push(`${inputA.file}:${d.a.line} and ${inputB.file}:${d.b.line}: id "${d.id}" has different texts in the two files; the pair is left out`);
  }
  if (matching.pairs.length === 0) problems.push('no record is in both files (records are matched by id, or by identical text where ids are missing)');
  if (matching.onlyInA.length > 0) notes.push(`${matching.onlyInA.length} record${matching.onlyInA.length === 1 ? ' is' : 's are'} only in ${inputA.file}`);
  if (matching.onlyInB.length > 0) notes.push(`${matching.onlyInB.length} record${matching.onlyInB.length === 1 ? ' is' : 's are'} only in ${inputB.file}`);
  for (const [file, content] of [
    [inputA.file, contentA],
    [inputB.file, contentB],
  ] as const) {
    for (const d of duplicateIds(content.records))
      notes.push(`${file}: id "${d.id}" is on lines ${d.lines.join(', ')}; they pair in order with the other file's records of that id`);
  }

  const source = (input: AnnotatedFile, content: DatasetContent, labels: number): AnnotationSource => ({
    file: input.file,
    annotator: input.annotator ?? null,
    records: content.records.length,
    labels,
  });
  return {
    mode: 'files',
    a: source(inputA, contentA, labelsA),
    b: source(inputB, contentB, labelsB),
    matchedRecords: matching.pairs.length,
    matchedById: matching.pairs.filter((p) => p.by === 'id').length,
    matchedByText: matching.pairs.filter((p) => p.by === 'text').length,
    onlyInA: matching.onlyInA.map(ref),
    onlyInB: matching.onlyInB.map(ref),
    textDiffers: matching.textDiffers.map((d) => ({ id: d.id, lineA: d.a.line, lineB: d.b.line })),
    ...compare(compared, schema),
    problems,
    notes,
  };
}

/**
 * Agreement between two annotators' labels (their "annotator" field) in one file. Every record
 * counts as seen by both: a record where one of them has no label is one where they found nothing.
 */
export function annotatorAgreement(input: { file: string; content: string }, annotators: readonly [string, string], schema: LabelSchema): AgreementReport {
  const content = parseDataset(input.content, schema);
  const [nameA, nameB] = annotators;
  const present = annotatorsIn(content, schema);
  const problems = [
    ...lineProblems(input.file, content),
    ...missingAnnotatorProblem(input.file, nameA, present),
    ...missingAnnotatorProblem(input.file, nameB, present),
  ];
  const notes = ['every record counts as annotated by both: where one annotator has no label in a record, they found nothing there'];
  const compared: ComparedRecord[] = [];
  let labelsA = 0;
  let labelsB = 0;
  let others = 0;
  for (const r of content.records) {
    const length = codePointLength(r.record.text);
    const { labels, unplaced } = recordLabels(r.record, schema, length);
    problems.push(...unplacedProblem(input.file, r, unplaced));
    const record = { length, a: labels.filter((l) => l.annotator === nameA), b: labels.filter((l) => l.annotator === nameB) };
    others += labels.length - record.a.length - record.b.length;
    labelsA += record.a.length;
    labelsB += record.b.length;
    compared.push(record);
  }
  if (others > 0) notes.push(`${others} label${others === 1 ? '' : 's'} of other annotators or with no annotator ${others === 1 ? 'is' : 'are'} not compared`);
  if (content.records.length === 0) problems.push(`${input.file}: no record to compare`);
  const source = (annotator: string, labels: number): AnnotationSource => ({ file: input.file, annotator, records: content.records.length, labels });
  return {
    mode: 'annotators',
    a: source(nameA, labelsA),
    b: source(nameB, labelsB),
    matchedRecords: content.records.length,
    matchedById: 0,
    matchedByText: 0,
    onlyInA: [],
    onlyInB: [],
    textDiffers: [],
    ...compare(compared, schema),
    problems,
    notes,
  };
}
