import type { LabelTypeView, RecordDirection, RecordFilter, RecordView } from '../../common/lspProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import type { JsonlDocumentModel } from './documentModel';

const UNKNOWN_TYPE_COLOR = '#9e9e9e';

/**
 * Per record (every line that is not blank, in document order): its line and what the filters
 * ask. Built from the model's per-line analyses in one pass per document revision, so stepping
 * through 100,000 records re-parses nothing.
 */
interface RecordIndex {
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

function recordIndex(model: JsonlDocumentModel): RecordIndex {
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

/** Whether record `r` passes the filter. */
function matcher(index: RecordIndex, filter: RecordFilter): (r: number) => boolean {
  if (filter === 'unlabelled') return (r) => index.unlabelled[r] === 1;
  if (filter === 'problems') return (r) => index.problems[r] === 1;
  return () => true;
}

function matchingCount(index: RecordIndex, filter: RecordFilter): number {
  if (filter === 'unlabelled') return index.counts.unlabelled;
  if (filter === 'problems') return index.counts.problems;
  return index.lines.length;
}

function scan(from: number, step: 1 | -1, n: number, matches: (r: number) => boolean): number | null {
  for (let r = from; r >= 0 && r < n; r += step) if (matches(r)) return r;
  return null;
}

/** The record to show: `index` itself, or the matching one found from it in `direction`. */
function target(n: number, index: number, matches: (r: number) => boolean, direction?: RecordDirection): { r: number; exhausted: boolean } {
  const here = Math.min(Math.max(0, Math.trunc(Number.isFinite(index) ? index : 0)), n - 1);
  let found: number | null;
  switch (direction) {
    case undefined:
      return { r: here, exhausted: false };
    case 'next':
      found = scan(here + 1, 1, n, matches);
      break;
    case 'previous':
      found = scan(here - 1, -1, n, matches);
      break;
    case 'first':
      found = scan(0, 1, n, matches);
      break;
    case 'last':
      found = scan(n - 1, -1, n, matches);
      break;
    case 'nearest':
      found = matches(here) ? here : (scan(here + 1, 1, n, matches) ?? scan(here - 1, -1, n, matches));
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

/** Record `index` (clamped), or the matching record found from it, with its decoded text and spans, for the annotation view. */
export function recordView(model: JsonlDocumentModel, schema: LabelSchema, req: RecordViewRequest): RecordView | null {
  const index = recordIndex(model);
  const n = index.lines.length;
  if (n === 0) return null;
  const filter = req.filter ?? 'all';
  const matches = matcher(index, filter);
  const { r, exhausted } = target(n, req.index, matches, req.direction);
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
    return {
      labelIndex: l.index,
      start: l.start,
      end: l.end,
      entity: l.type?.name ?? l.entity,
      tag: l.type?.tag ?? l.entity,
      color: l.type?.color ?? UNKNOWN_TYPE_COLOR,
      overlaps: l.overlaps,
      ...(annotator !== undefined ? { annotator } : {}),
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
    types: schema.types.map(
      (t): LabelTypeView => ({ name: t.name, tag: t.tag, color: t.color, description: t.description, ...(t.key ? { key: t.key } : {}) }),
    ),
    labelled: index.counts.labelled,
    filter: {
      kind: filter,
      matching: matchingCount(index, filter),
      matches: matches(r),
      previous: scan(r - 1, -1, n, matches),
      next: scan(r + 1, 1, n, matches),
      exhausted,
    },
  };
}
