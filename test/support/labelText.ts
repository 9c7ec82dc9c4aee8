// The labelInsertion helper of both tiers (test/unit and test/processes/labelInsertion.test.ts).
import * as assert from 'node:assert/strict';
import { DEFAULT_LABEL_TYPES } from '../../src/common/labelSchema';
import { parseJsonlLine } from '../../src/server/dataset/jsonlLine';
import { labelInsertion } from '../../src/server/dataset/labelInsertion';

export const [LOAN, GUARANTEE] = DEFAULT_LABEL_TYPES;

/** Applies the edit to the line and returns the new line. */
export function labelText(line: string, selected: string, type = LOAN, occurrence = 0): { line: string; label: { start: number; end: number; value: string } } {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = line.indexOf(selected, at + 1);
  assert.ok(at >= 0, `"${selected}" not in line`);
  const result = labelInsertion(line, parseJsonlLine(line), { line: 0, startColumn: at, endColumn: at + selected.length, type });
  assert.ok(result.ok, result.ok ? '' : result.message);
  const { range, newText } = result.edit;
  assert.deepEqual(range.start, range.end, 'the edit only inserts');
  return { line: line.slice(0, range.start.character) + newText + line.slice(range.start.character), label: result.label };
}
