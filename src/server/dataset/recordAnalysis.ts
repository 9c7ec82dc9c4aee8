import type { ProblemCode } from '../../common/dataset';
import type { LabelSchema, LabelType } from '../../common/labelSchema';
import type { ColumnSpan, ParsedLine } from './jsonlLine';
import { codePointLength, codePointSlice, type JsonStringMap } from './jsonStringMap';

/** A label whose offsets are usable (integers, in range, start < end). */
export interface PlacedLabel {
  index: number;
  entity: string;
  type: LabelType | undefined;
  value: unknown;
  start: number;
  end: number;
  /** The label object's columns in the line. */
  columns: ColumnSpan;
  /** The label's `annotator`, when it names one. */
  annotator: string | undefined;
  overlaps: boolean;
}

/** A problem in one line, with the columns it concerns (the whole line when absent). */
export interface LineProblem {
  code: ProblemCode;
  message: string;
  labelIndex?: number;
  columns?: ColumnSpan;
}

export interface LineAnalysis {
  problems: LineProblem[];
  labels: PlacedLabel[];
  /** The record's text literal and map, when the text is a valid string. */
  text?: { literal: ColumnSpan; map: JsonStringMap };
}

const EMPTY: LineAnalysis = { problems: [], labels: [] };

/** Everything `finlabel validate` checks in one line, and the labels that can be placed. */
export function analyzeLine(parsed: ParsedLine, schema: LabelSchema): LineAnalysis {
  if (parsed.kind === 'blank') return EMPTY;
  if (parsed.kind === 'malformed') {
    const message = parsed.code === 'malformed-json' ? `malformed JSON: ${parsed.message}` : parsed.message;
    return { problems: [{ code: parsed.code, message }], labels: [] };
  }
  const record = parsed.value;
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { problems: [{ code: 'not-an-object', message: 'each line must be a JSON object with a "text" field' }], labels: [] };
  }
  const problems: LineProblem[] = [];
  const text = (record as { text?: unknown }).text;
  if (typeof text !== 'string') {
    problems.push({
      code: 'missing-text',
      message: text === undefined ? 'record has no "text" field' : `"text" must be a string, not ${describe(text)}`,
    });
  }
  const labels = (record as { labels?: unknown }).labels;
  if (labels !== undefined && !Array.isArray(labels)) {
    problems.push({
      code: 'labels-not-array',
      message: `"labels" must be an array, not ${describe(labels)}`,
      columns: parsed.labelsNode ? { start: parsed.labelsNode.offset, end: parsed.labelsNode.offset + parsed.labelsNode.length } : undefined,
    });
  }
  if (typeof text !== 'string' || !Array.isArray(labels)) return { problems, labels: [], text: parsed.text };

  const textLength = parsed.text?.map.length ?? codePointLength(text);
  const placed: PlacedLabel[] = [];
  for (const entry of parsed.labels) {
    const where = { labelIndex: entry.index, columns: entry.columns };
    const label = entry.value;
    const n = entry.index + 1;
    if (typeof label !== 'object' || label === null || Array.isArray(label)) {
      problems.push({ code: 'label-not-object', message: `label ${n} must be an object like {"entity","value","start","end"}`, ...where });
      continue;
    }
    const { entity, value, start, end, annotator } = label as Record<string, unknown>;
    const missing = (['entity', 'start', 'end', 'value'] as const).filter((k) => (label as Record<string, unknown>)[k] === undefined);
    if (missing.length > 0) {
      problems.push({ code: 'label-missing-field', message: `label ${n} has no ${missing.map((k) => `"${k}"`).join(', ')}`, ...where });
    }
    if (entity !== undefined && typeof entity !== 'string') {
      problems.push({ code: 'label-missing-field', message: `label ${n}: "entity" must be a string, not ${describe(entity)}`, ...where });
    }
    const type = typeof entity === 'string' ? schema.resolve(entity) : undefined;
    if (typeof entity === 'string' && !type) {
      const known = schema.types.map((t) => `${t.name}/${t.tag}`).join(', ');
      problems.push({ code: 'unknown-entity', message: `label ${n}: unknown entity type "${entity}" (the schema has ${known})`, ...where });
    }
    if (start === undefined || end === undefined) continue;
    if (!Number.isInteger(start) || !Number.isInteger(end)) {
      problems.push({
        code: 'offset-not-integer',
        message: `label ${n}: "start" and "end" must be integers, got ${JSON.stringify(start)} and ${JSON.stringify(end)}`,
        ...where,
      });
      continue;
    }
    const s = start as number;
    const e = end as number;
    if (s >= e) {
      problems.push({
        code: 'offset-reversed',
        message: s === e ? `label ${n}: empty span, start = end = ${s}` : `label ${n}: start ${s} is after end ${e}`,
        ...where,
      });
      continue;
    }
    if (s < 0 || e > textLength) {
      problems.push({
        code: 'offset-out-of-range',
        message: `label ${n}: span [${s}, ${e}) is outside the text, which has ${textLength} characters`,
        ...where,
      });
      continue;
    }
    const slice = parsed.text ? parsed.text.map.slice(s, e) : codePointSlice(text, s, e);
    if (value !== undefined && value !== slice) {
      problems.push({
        code: 'value-mismatch',
        message: `label ${n}: value ${JSON.stringify(value)} does not match the text at [${s}, ${e}), which is ${JSON.stringify(slice)}`,
        ...where,
      });
    }
    placed.push({
      index: entry.index,
      entity: typeof entity === 'string' ? entity : '',
      type,
      value,
      start: s,
      end: e,
      columns: entry.columns,
      annotator: typeof annotator === 'string' ? annotator : undefined,
      overlaps: false,
    });
  }
  problems.push(...markOverlaps(placed));
  return { problems, labels: placed, text: parsed.text };
}

/**
 * Flags every label that overlaps another and reports each overlapping pair once. Labels of two
 * different annotators are meant to cover the same text (agreement and adjudication compare them),
 * so only pairs from one annotator, or without annotators, count.
 */
function markOverlaps(labels: PlacedLabel[]): LineProblem[] {
  const problems: LineProblem[] = [];
  const byStart = [...labels].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 0; i < byStart.length; i++) {
    for (let j = i + 1; j < byStart.length && byStart[j].start < byStart[i].end; j++) {
      const a = byStart[i];
      const b = byStart[j];
      if (a.annotator !== undefined && b.annotator !== undefined && a.annotator !== b.annotator) continue;
      a.overlaps = true;
      b.overlaps = true;
      const [first, second] = a.index < b.index ? [a, b] : [b, a];
      const same = a.start === b.start && a.end === b.end;
      problems.push({
        code: 'overlapping-spans',
        message: same
          ? `labels ${first.index + 1} and ${second.index + 1} cover the same span [${a.start}, ${a.end})${a.entity === b.entity ? ' (duplicate)' : ''}`
          : `label ${second.index + 1} [${second.start}, ${second.end}) overlaps label ${first.index + 1} [${first.start}, ${first.end})`,
        labelIndex: second.index,
        columns: second.columns,
      });
    }
  }
  return problems;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}
