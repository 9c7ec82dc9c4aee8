import type { DatasetProblem, DatasetRecord } from '../../common/dataset';
import type { LabelSchema } from '../../common/labelSchema';
import { parseJsonlLine, splitLines, type ColumnSpan } from './jsonlLine';
import { analyzeLine } from './recordAnalysis';

/** A record of a dataset file and the line it came from (1-based). */
export interface NumberedRecord {
  line: number;
  record: DatasetRecord;
}

/** A dataset JSONL read whole: its valid records, and every problem `finlabel validate` reports. */
export interface DatasetContent {
  records: NumberedRecord[];
  problems: DatasetProblem[];
  /** Lines that are not a record at all (malformed JSON, not an object, no text): never in `records`. */
  rejectedLines: number[];
}

/**
 * A dataset JSONL's lines as parseDataset numbers them: lines[i] is line i + 1. A UTF-8 byte order mark
 * is dropped (editors do not show it, so line 1 parses and its columns count like the others'), lines
 * end at \n, \r\n or \r, and a final terminator does not start another line.
 */
export function datasetLines(content: string): string[] {
  const lines = splitLines(content.startsWith('\uFEFF') ? content.slice(1) : content);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Parses a whole dataset JSONL. A record with label problems is still returned (as written): the
 * caller decides whether to refuse, skip or report those; a line that is not a record is not.
 */
export function parseDataset(content: string, schema: LabelSchema): DatasetContent {
  const records: NumberedRecord[] = [];
  const problems: DatasetProblem[] = [];
  const rejectedLines: number[] = [];
  datasetLines(content).forEach((text, i) => {
    const line = i + 1;
    const parsed = parseJsonlLine(text);
    if (parsed.kind === 'blank') return;
    const analysis = analyzeLine(parsed, schema);
    for (const p of analysis.problems) {
      problems.push({ line, code: p.code, message: p.message, ...(p.labelIndex !== undefined ? { labelIndex: p.labelIndex } : {}) });
    }
    const value = parsed.kind === 'record' ? parsed.value : undefined;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { text?: unknown }).text === 'string') {
      records.push({ line, record: value as DatasetRecord });
    } else {
      rejectedLines.push(line);
    }
  });
  return { records, problems, rejectedLines };
}

/** Why each line that is not a record is not one (its first problem: malformed JSON, not an object, no "text" string), in line order. */
export function lineRejections(content: DatasetContent): DatasetProblem[] {
  const rejected = new Set(content.rejectedLines);
  return content.problems.filter((p) => rejected.delete(p.line));
}

/**
 * The UTF-16 columns in a record's line (as datasetLines gives it) of the code points [start, end) of
 * its text, escapes included; undefined when the line has no "text" string or the span is not in it.
 */
export function textColumns(line: string, start: number, end: number): ColumnSpan | undefined {
  const parsed = parseJsonlLine(line);
  if (parsed.kind !== 'record' || !parsed.text || start < 0 || start > end || end > parsed.text.map.length) return undefined;
  const base = parsed.text.literal.start + 1;
  return { start: base + parsed.text.map.rawOffsetOf(start), end: base + parsed.text.map.rawOffsetOf(end) };
}

/** One JSONL line for a record: compact JSON with CJK written as is (like Python's ensure_ascii=False). */
export function recordLine(record: DatasetRecord): string {
  return JSON.stringify(record);
}
