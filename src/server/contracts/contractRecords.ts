import type { JsonlDocumentModel } from '../dataset/documentModel';
import type { RecordLine } from '../dataset/jsonlLine';
import { codePointLength, codePointSlice } from '../dataset/jsonStringMap';
import type { AnchoredLabel } from './anchorLabels';

/**
 * The record of a contract file in its dataset: `{"id": <path>, "text": <the file's text>,
 * "labels": [...], "meta": {"source": <path>}}`, the path relative to the workspace folder.
 */
export interface ContractRecord {
  /** 0-based line in the dataset. */
  line: number;
  lineText: string;
  parsed: RecordLine;
  text: string;
  /** The labels that can be placed on the text: a string entity and integer offsets 0 <= start <= end <= length. */
  labels: AnchoredLabel[];
  /** Why each other label cannot be placed: they stay in the record untouched, and are reported. */
  unplaced: string[];
}

export type RecordLookup =
  | { kind: 'none' }
  | { kind: 'found'; record: ContractRecord; /** Other lines that are records of the same file (0-based). */ duplicates: number[] }
  /** A line that is, or may be, the file's record but cannot be read as one: nothing may be added until it is fixed. */
  | { kind: 'invalid'; line: number; message: string };

/** Finds the record whose meta.source (or, failing that, id) is `source`. */
export function findContractRecord(model: JsonlDocumentModel, source: string): RecordLookup {
  const matches: number[] = [];
  let suspect: number | undefined;
  for (let i = 0; i < model.lineCount; i++) {
    const parsed = model.parsedLine(i);
    if (parsed.kind === 'malformed' && suspect === undefined && mentions(model.line(i), source)) suspect = i;
    if (parsed.kind === 'record' && isRecordOf(parsed.value, source)) matches.push(i);
  }
  if (matches.length === 0) {
    if (suspect === undefined) return { kind: 'none' };
    const parsed = model.parsedLine(suspect);
    const why = parsed.kind === 'malformed' ? parsed.message : 'not a record';
    return { kind: 'invalid', line: suspect, message: `line ${suspect + 1} looks like the record of ${source} but is not valid JSON (${why})` };
  }
  const [line, ...duplicates] = matches;
  const parsed = model.parsedLine(line) as RecordLine;
  const value = parsed.value as { text?: unknown; labels?: unknown };
  if (typeof value.text !== 'string' || !parsed.text) {
    return { kind: 'invalid', line, message: `line ${line + 1}, the record of ${source}, has no valid "text" string` };
  }
  if (value.labels !== undefined && !Array.isArray(value.labels)) {
    return { kind: 'invalid', line, message: `line ${line + 1}, the record of ${source}: "labels" is not an array` };
  }
  const { labels, unplaced } = placeableLabels(parsed, value.text);
  return { kind: 'found', record: { line, lineText: model.line(line), parsed, text: value.text, labels, unplaced }, duplicates };
}

function isRecordOf(value: unknown, source: string): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { meta, id } = value as { meta?: unknown; id?: unknown };
  const metaSource = typeof meta === 'object' && meta !== null ? (meta as { source?: unknown }).source : undefined;
  return metaSource === source || (metaSource === undefined && id === source);
}

function mentions(line: string, source: string): boolean {
  return line.includes(JSON.stringify(source).slice(1, -1));
}

function placeableLabels(parsed: RecordLine, text: string): { labels: AnchoredLabel[]; unplaced: string[] } {
  const length = parsed.text?.map.length ?? codePointLength(text);
  const labels: AnchoredLabel[] = [];
  const unplaced: string[] = [];
  for (const entry of parsed.labels) {
    const n = entry.index + 1;
    const label = entry.value;
    if (typeof label !== 'object' || label === null || Array.isArray(label)) {
      unplaced.push(`label ${n} is not an object`);
      continue;
    }
    const { entity, value, start, end } = label as Record<string, unknown>;
    if (typeof entity !== 'string') {
      unplaced.push(`label ${n} has no "entity" string`);
      continue;
    }
    if (!Number.isInteger(start) || !Number.isInteger(end)) {
      unplaced.push(`label ${n} (${entity}): "start" and "end" must be integers, got ${JSON.stringify(start)} and ${JSON.stringify(end)}`);
      continue;
    }
    const s = start as number;
    const e = end as number;
    if (s < 0 || e > length || s > e) {
      unplaced.push(`label ${n} (${entity}): [${s}, ${e}) is not a span of the text, which has ${length} characters`);
      continue;
    }
    labels.push({ index: entry.index, entity, value: typeof value === 'string' ? value : codePointSlice(text, s, e), start: s, end: e });
  }
  return { labels, unplaced };
}
