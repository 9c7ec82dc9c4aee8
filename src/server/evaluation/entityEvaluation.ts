import type { EntityEvaluationReport, ModelSummary, SpanError } from '../../common/evaluationReport';
import { LabelSchema } from '../../common/labelSchema';
import { codePointSlice } from '../dataset/jsonStringMap';
import { datasetLines, lineRejections, parseDataset, textColumns } from '../dataset/datasetFile';
import { effectiveThreshold, spanConfidence } from '../calibration/entityCalibration';
import { brierScore, reliabilityTable } from '../calibration/reliability';
import { decodeEntityScores } from '../entities/entityDecoding';
import { describeLabel, encodeEntityRecord, type EncodingProblem, type EntityLabel } from '../entities/entityEncoding';
import { SpanTally, type TypedSpan } from '../metrics/spanMetrics';
import type { EntityModelFolder } from '../inference/entityModelFolder';
import { TypeConfusionTally, unmatchedSpans } from './spanErrors';

/**
 * Per-token log-probabilities for a batch of model inputs ([CLS] ids [SEP]), one row per input of
 * (tokens x labels) values, token-major (OnnxTokenClassifier's output).
 */
/** Log-probabilities per window; `wordBoundaries` (one row per window) for a model that reads them, else undefined. */
export type PredictTokenScores = (batch: number[][], wordBoundaries: number[][] | undefined) => Promise<Float32Array[]>;

/** Model inputs per prediction request. */
export const PREDICT_REQUEST_EXAMPLES = 256;
/** Misses and false alarms listed in a report; the rest are counted (errorsTotal). */
export const MAX_LISTED_ERRORS = 5000;

interface EvaluatedRecord {
  /** 1-based line in the file (parseDataset's). */
  line: number;
  text: string;
  labels: EntityLabel[];
}

/**
 * The dataset's records (parseDataset decides what is one), with the labels the encoder can take;
 * lines that are not records, "labels" that is not a list and labels that are not label objects are
 * reported, with their line.
 */
function evaluatedRecords(content: string, file: string, schema: LabelSchema, problems: string[]): EvaluatedRecord[] {
  const dataset = parseDataset(content, schema);
  for (const p of lineRejections(dataset)) problems.push(`${file}:${p.line}: ${p.message}; not evaluated`);
  return dataset.records.map(({ line, record }) => {
    const where = `${file}:${line}`;
    const raw: unknown = record.labels;
    if (raw !== undefined && !Array.isArray(raw)) problems.push(`${where}: "labels" is not a list; the record is evaluated as having no gold labels`);
    const labels: EntityLabel[] = [];
    (Array.isArray(raw) ? raw : []).forEach((l: unknown, i) => {
      const label = l as Partial<EntityLabel> | null;
      if (typeof label !== 'object' || label === null || typeof label.entity !== 'string' || typeof label.start !== 'number' || typeof label.end !== 'number') {
        problems.push(`${where}: labels[${i}] is not {"entity", "start", "end"}; left out of the figures`);
      } else {
        labels.push({ entity: label.entity, start: label.start, end: label.end });
      }
    });
    return { line, text: record.text, labels };
  });
}

/**
 * The UTF-16 columns of a span of a record's text in its line, found by parsing that line again when a
 * miss or false alarm is listed (at most MAX_LISTED_ERRORS parses of one line each), instead of every
 * record keeping its text's column map (an Int32Array per text) for the whole evaluation.
 */
class SpanColumns {
  private lines: string[] | undefined;
  constructor(private readonly content: string) {}

  of(line: number, start: number, end: number): { start: number; end: number } | null {
    this.lines ??= datasetLines(this.content);
    return textColumns(this.lines[line - 1], start, end) ?? null;
  }
}

/** A gold label that is left out of the figures (a problem) or counted but not findable exactly (a note), in the words of an evaluation. */
function labelFinding(p: EncodingProblem, text: string): { problem: boolean; text: string } {
  const label = describeLabel(p.label, text);
  switch (p.kind) {
    case 'unknown-type':
      return { problem: true, text: `${label}: "${p.label.entity}" is not a type the model knows (${p.knownTypes.join(', ')}); left out of the figures` };
    case 'bad-offsets':
      return {
        problem: true,
        text: `label ${p.label.entity} [${p.label.start}, ${p.label.end}): offsets outside the text's ${p.textLength} code points or reversed; left out of the figures`,
      };
    case 'overlap':
      return {
        problem: false,
        text: `${label} overlaps ${describeLabel(p.overlapped, text)}; BIO tags hold one label per character; a BIO model finds at most one of them (both are counted)`,
      };
    case 'token-boundary':
      return {
        problem: false,
        text: `${label} does not start and end at token boundaries (tokens ${JSON.stringify(p.tokens)}): a model predicts whole tokens, so it cannot find exactly this span (it is counted)`,
      };
  }
}

/**
 * Evaluates an entity model on a dataset JSONL: the model's predictions (through `predict`) decoded
 * into spans, strict span precision/recall/F1 per type with micro and macro averages (SpanTally, the
 * one implementation), the confusion between types, and every miss and false alarm with its place.
 */
export async function evaluateEntityModel(
  model: EntityModelFolder,
  summary: ModelSummary,
  content: string,
  file: string,
  predict: PredictTokenScores,
  /** A threshold instead of the card's (--min-confidence). */
  minConfidence?: number,
): Promise<EntityEvaluationReport> {
  const problems: string[] = [];
  const notes: string[] = [];
  const schema = new LabelSchema(model.scheme.types);
  const records = evaluatedRecords(content, file, schema, problems);
  const encoded = records.map((r) => {
    const e = encodeEntityRecord(model.tokenizer, model.scheme, r, model.windows, model.segmenter);
    for (const p of e.problems) {
      const finding = labelFinding(p, r.text);
      (finding.problem ? problems : notes).push(`${file}:${r.line}: ${finding.text}`);
    }
    return e;
  });

  const inputs = encoded.flatMap((e) => e.inputIds);
  const boundaries = model.segmenter ? encoded.flatMap((e) => e.wordBoundaryIds!) : undefined;
  const predictions: Float32Array[] = [];
  for (let start = 0; start < inputs.length; start += PREDICT_REQUEST_EXAMPLES) {
    const batch = inputs.slice(start, start + PREDICT_REQUEST_EXAMPLES);
    const rows = await predict(batch, boundaries?.slice(start, start + PREDICT_REQUEST_EXAMPLES));
    if (rows.length !== batch.length) throw new Error(`the model returned ${rows.length} predictions for ${batch.length} inputs`);
    predictions.push(...rows);
  }

  const names = model.scheme.types.map((t) => t.name);
  const tally = new SpanTally();
  for (const n of names) tally.type(n);
  const confusion = new TypeConfusionTally(names);
  const errors: SpanError[] = [];
  let errorsTotal = 0;
  let goldSpans = 0;
  let predictedSpans = 0;
  let next = 0;
  const threshold = effectiveThreshold(model.calibration, minConfidence);
  // Every decoded span's confidence and whether it matches a gold span, for the reliability table.
  const confidences: number[] = [];
  const outcomes: boolean[] = [];
  const columns = new SpanColumns(content);
  encoded.forEach((record, r) => {
    const rows = predictions.slice(next, next + record.windows.length);
    next += record.windows.length;
    const gold: TypedSpan[] = record.gold.map((g) => ({ type: g.type.name, start: g.start, end: g.end }));
    const goldKeys = new Set(gold.map((g) => `${g.type}\u0000${g.start}\u0000${g.end}`));
    const predicted: TypedSpan[] = [];
    for (const span of decodeEntityScores(record, model.scheme, rows, model.spanShapes, model.crf).spans) {
      const confidence = spanConfidence(model.calibration, span.score);
      confidences.push(confidence);
      outcomes.push(goldKeys.has(`${span.entity}\u0000${span.start}\u0000${span.end}`));
      if (confidence >= threshold) predicted.push({ type: span.entity, start: span.start, end: span.end });
    }
    goldSpans += gold.length;
    predictedSpans += predicted.length;
    tally.add(gold, predicted);
    const { matched, unmatched } = unmatchedSpans(gold, predicted);
    confusion.add(matched, unmatched);
    unmatched.sort((a, b) => a.span.start - b.span.start || (a.kind === b.kind ? 0 : a.kind === 'miss' ? -1 : 1) || a.span.end - b.span.end);
    for (const u of unmatched) {
      errorsTotal++;
      if (errors.length >= MAX_LISTED_ERRORS) continue;
      const source = records[r];
      errors.push({
        kind: u.kind,
        type: u.span.type,
        line: source.line - 1,
        start: u.span.start,
        end: u.span.end,
        columns: columns.of(source.line, u.span.start, u.span.end),
        text: codePointSlice(source.text, u.span.start, u.span.end),
        other: { relation: u.relation, type: u.other?.type ?? null, start: u.other?.start ?? null, end: u.other?.end ?? null },
      });
    }
  });
  if (errorsTotal > errors.length) notes.push(`${errorsTotal} misses and false alarms; the first ${errors.length} are listed`);

  const scores = tally.evaluate();
  return {
    kind: 'entities',
    model: summary,
    data: { file, records: records.length, goldSpans, predictedSpans },
    confidence: {
      threshold,
      source: minConfidence !== undefined ? 'option' : model.calibration ? 'card' : 'none',
      calibrated: model.calibration?.method === 'platt',
      candidateSpans: confidences.length,
      reliability: reliabilityTable(confidences, outcomes),
      brier: brierScore(confidences, outcomes),
    },
    types: scores.types.map((t) => ({
      type: t.type,
      tag: schema.resolve(t.type)?.tag ?? t.type,
      gold: t.reference,
      predicted: t.candidate,
      matched: t.matched,
      precision: t.precision,
      recall: t.recall,
      f1: t.f1,
    })),
    micro: scores.micro,
    macro: scores.macro,
    confusion: confusion.result(),
    errors,
    errorsTotal,
    problems,
    notes,
  };
}
