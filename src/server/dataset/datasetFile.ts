import type { DatasetProblem, DatasetRecord } from '../../common/dataset';
import type { LabelSchema } from '../../common/labelSchema';
import { parseJsonlLine, splitLines } from './jsonlLine';
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
 * Parses a whole dataset JSONL. A record with label problems is still returned (as written): the
 * caller decides whether to refuse, skip or report those; a line that is not a record is not.
 */
export function parseDataset(content: string, schema: LabelSchema): DatasetContent {
  const lines = splitLines(content.startsWith('\uFEFF') ? content.slice(1) : content);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const records: NumberedRecord[] = [];
  const problems: DatasetProblem[] = [];
  const rejectedLines: number[] = [];
  lines.forEach((text, i) => {
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

/** One JSONL line for a record: compact JSON with CJK written as is (like Python's ensure_ascii=False). */
export function recordLine(record: DatasetRecord): string {
  return JSON.stringify(record);
}
