import type { DatasetProblem } from '../../common/dataset';
import type { LabelSchema } from '../../common/labelSchema';
import { parseJsonlLine, splitLines } from './jsonlLine';
import { analyzeLine } from './recordAnalysis';

/** Validates a whole JSONL document; problems in line order, lines counted from 1. */
export function validateJsonl(content: string, schema: LabelSchema): DatasetProblem[] {
  const problems: DatasetProblem[] = [];
  // Editors drop a UTF-8 byte order mark; so do we, so that line 1 parses like the others.
  const lines = splitLines(content.startsWith('\uFEFF') ? content.slice(1) : content);
  // A trailing newline does not start another record.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    for (const p of analyzeLine(parseJsonlLine(line), schema).problems) {
      problems.push({ line: i + 1, code: p.code, message: p.message, ...(p.labelIndex !== undefined ? { labelIndex: p.labelIndex } : {}) });
    }
  });
  return problems;
}
