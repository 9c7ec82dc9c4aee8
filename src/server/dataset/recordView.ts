import type { LabelTypeView, RecordDirection, RecordFilter, RecordView } from '../../common/lspProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import { normalizedText } from '../../common/normalizedValue';
import { normalizeSpan } from '../normalization/normalizeSpan';
import type { JsonlDocumentModel } from './documentModel';

const UNKNOWN_TYPE_COLOR = '#9e9e9e';

/**
 * Per record (every line that is not blank, in document order): its line and what the filters
 * ask. Built from the model's per-line analyses in one pass per document revision, so stepping
 * through 100,000 records re-parses nothing.
 */
export interface RecordIndex {
  revision: number;
  lines: Int32Array;
  /** 1 where the record has at least one label. */
  labelled: Uint8Array;
  /** 1 where the record is a valid record with a text and no labels at all. */
  unlabelled: Uint8Array;
  /** 1 where the line has problems (validation's). */
  problems: Uint8Array;
  counts: { labelled: number; unlabelled: number; problems: number };
}

const indexes = new WeakMap<JsonlDocumentModel, RecordIndex>();

export function recordIndex(model: JsonlDocumentModel): RecordIndex {
  const cached = indexes.get(model);
  if (cached && cached.revision === model.revision) return cached;
  const lines: number[] = [];
  for (let i = 0; i < model.lineCount; i++) if (!model.isBlank(i)) lines.push(i);
  const n = lines.length;
  const index: RecordIndex = {
    revision: model.revision,
    lines: Int32Array.from(lines),
    labelled: new Uint8Array(n),
    unlabelled: new Uint8Array(n),
    problems: new Uint8Array(n),
    counts: { labelled: 0, unlabelled: 0, problems: 0 },
  };
  lines.forEach((line, r) => {
    const facts = model.lineFacts(line);
    if (facts.kind === 'record' && facts.labelEntries > 0) {
      index.labelled[r] = 1;
      index.counts.labelled++;
    } else if (facts.kind === 'record' && facts.hasText && facts.labelEntries === 0) {
      index.unlabelled[r] = 1;
      index.counts.unlabelled++;
    }
    if (facts.problemCount > 0) {
      index.problems[r] = 1;
      index.counts.problems++;
    }
  });
  indexes.set(model, index);
  return index;
}

/**
 * The records a filter keeps, in the order Previous / Next step through them: document order for the
 * filters of the file's own facts, the model's order for a ranked filter (most uncertain first).
 */
export interface RecordSequence {
  count: number;
  includes(r: number): boolean;
  /** The record after / before `r` in the sequence (from a record it does not keep: the first after it, or for a ranked sequence its first). */
  after(r: number): number | null;
  before(r: number): number | null;
  first(): number | null;
  last(): number | null;
}

/** A filter computed from a model (its matching records, or its ranking), with a note on what it covers. */
export interface ModelFilterResult {
  sequence: RecordSequence;
  note: string;
}

function scan(from: number, step: 1 | -1, n: number, matches: (r: number) => boolean): number | null {
  for (let r = from; r >= 0 && r < n; r += step) if (matches(r)) return r;
  return null;
}

/** The records of `n` that `matches` keeps, in document order. */
export function matchingSequence(n: number, matches: (r: number) => boolean, count: number): RecordSequence {
  return {
    count,
    includes: matches,
    after: (r) => scan(r + 1, 1, n, matches),
    before: (r) => scan(r - 1, -1, n, matches),
    first: () => scan(0, 1, n, matches),
    last: () => scan(n - 1, -1, n, matches),
  };
}

/** Records in the given order (record indexes, each once). */
export function rankedSequence(order: readonly number[]): RecordSequence {
  const position = new Map<number, number>();
  order.forEach((r, i) => position.set(r, i));
  const at = (i: number): number | null => (i >= 0 && i < order.length ? order[i] : null);
  return {
    count: order.length,
    includes: (r) => position.has(r),
    after: (r) => (position.has(r) ? at(position.get(r)! + 1) : at(0)),
    before: (r) => (position.has(r) ? at(position.get(r)! - 1) : null),
    first: () => at(0),
    last: () => at(order.length - 1),
  };
}

/** The sequence of one of the filters of the file's own facts. */
function factSequence(index: RecordIndex, filter: RecordFilter): RecordSequence {
  const n = index.lines.length;
  if (filter === 'unlabelled') return matchingSequence(n, (r) => index.unlabelled[r] === 1, index.counts.unlabelled);
  if (filter === 'problems') return matchingSequence(n, (r) => index.problems[r] === 1, index.counts.problems);
  return matchingSequence(n, () => true, n);
}

/** The record to show: `index` itself, or the matching one found from it in `direction`. */
function target(n: number, index: number, sequence: RecordSequence, direction?: RecordDirection): { r: number; exhausted: boolean } {
  const here = Math.min(Math.max(0, Math.trunc(Number.isFinite(index) ? index : 0)), n - 1);
  let found: number | null;
  switch (direction) {
    case undefined:
      return { r: here, exhausted: false };
    case 'next':
      found = sequence.after(here);
      break;
    case 'previous':
      found = sequence.before(here);
      break;
    case 'first':
      found = sequence.first();
      break;
    case 'last':
      found = sequence.last();
      break;
    case 'nearest':
      found = sequence.includes(here) ? here : (sequence.after(here) ?? sequence.before(here));
      break;
  }
  return found === null ? { r: here, exhausted: true } : { r: found, exhausted: false };
}

export interface RecordViewRequest {
  uri: string;
  version: number;
  index: number;
  filter?: RecordFilter;
  direction?: RecordDirection;
}

/**
 * Record `index` (clamped), or the matching record found from it, with its decoded text and spans, for
 * the annotation view. The model's filters ('uncertain', 'disagrees') come computed in `modelFilter`;
 * without it they keep no record.
 */
export function recordView(model: JsonlDocumentModel, schema: LabelSchema, req: RecordViewRequest, modelFilter?: ModelFilterResult): RecordView | null {
  const index = recordIndex(model);
  const n = index.lines.length;
  if (n === 0) return null;
  const filter = req.filter ?? 'all';
  const sequence = filter === 'uncertain' || filter === 'disagrees' ? (modelFilter?.sequence ?? rankedSequence([])) : factSequence(index, filter);
  const { r, exhausted } = target(n, req.index, sequence, req.direction);
  const line = index.lines[r];
  const parsed = model.parsedLine(line);
  const analysis = model.analysis(line);
  const id = model.recordId(line);
  const annotatorOf = (labelIndex: number): string | undefined => {
    const label = parsed.kind === 'record' ? (parsed.labels[labelIndex]?.value as { annotator?: unknown } | null) : null;
    return label && typeof label === 'object' && typeof label.annotator === 'string' && label.annotator !== '' ? label.annotator : undefined;
  };
  const spans = analysis.labels.map((l) => {
    const annotator = annotatorOf(l.index);
    const normalized = l.type && analysis.text ? normalizeSpan(l.type.tag, analysis.text.map.slice(l.start, l.end)) : undefined;
    return {
      labelIndex: l.index,
      start: l.start,
      end: l.end,
      entity: l.type?.name ?? l.entity,
      tag: l.type?.tag ?? l.entity,
      color: l.type?.color ?? UNKNOWN_TYPE_COLOR,
      overlaps: l.overlaps,
      ...(annotator !== undefined ? { annotator } : {}),
      ...(normalized ? { normalized: normalizedText(normalized) } : {}),
    };
  });
  return {
    uri: req.uri,
    version: req.version,
    line,
    index: r,
    total: n,
    id,
    text: analysis.text?.map.decoded ?? null,
    spans,
    annotators: [...new Set(spans.flatMap((s) => (s.annotator !== undefined ? [s.annotator] : [])))],
    problems: analysis.problems.map((p) => p.message),
    types: schema.types.map((t): LabelTypeView => ({ name: t.name, tag: t.tag, color: t.color, description: t.description, ...(t.key ? { key: t.key } : {}) })),
    labelled: index.counts.labelled,
    filter: {
      kind: filter,
      matching: sequence.count,
      matches: sequence.includes(r),
      previous: sequence.before(r),
      next: sequence.after(r),
      exhausted,
      ...(modelFilter ? { note: modelFilter.note } : {}),
    },
  };
}
