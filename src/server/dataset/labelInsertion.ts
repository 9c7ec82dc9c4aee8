import type { LabelSelectionResult } from '../../common/lspProtocol';
import type { LabelType } from '../../common/labelSchema';
import type { ParsedLine } from './jsonlLine';
import { labelAddition } from './labelEdits';

export interface LabelRequest {
  line: number;
  /** Selection columns (UTF-16) within the line. */
  startColumn: number;
  endColumn: number;
  type: LabelType;
}

/**
 * The single text edit that adds a label for the selected characters of a record's text. It only
 * inserts: every existing byte of the line stays as it was. The label goes into "labels" in start
 * order, written in the line's own spacing style.
 */
export function labelInsertion(lineText: string, parsed: ParsedLine, req: LabelRequest): LabelSelectionResult {
  if (parsed.kind !== 'record') {
    return { ok: false, message: `Line ${req.line + 1} is not a valid JSON record; fix it before labelling.` };
  }
  const text = parsed.text;
  if (!text) return { ok: false, message: `Line ${req.line + 1} has no "text" string to label.` };
  const contentStart = text.literal.start + 1;
  const contentEnd = text.literal.end - 1;
  if (req.startColumn < contentStart || req.endColumn > contentEnd || req.startColumn >= req.endColumn) {
    return { ok: false, message: 'Select characters inside the record\'s "text" value to label them.' };
  }
  const start = text.map.codePointAt(req.startColumn - contentStart, 'floor');
  const end = text.map.codePointAt(req.endColumn - contentStart, 'ceil');
  if (start >= end) return { ok: false, message: 'The selection is empty.' };
  return labelAddition(lineText, { ...parsed, text }, req.line, start, end, req.type);
}
