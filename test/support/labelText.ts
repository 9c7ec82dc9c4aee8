// The Label Selection helper of both tiers (test/unit and test/processes/labelInsertion.test.ts).
import * as assert from 'node:assert/strict';
import { DEFAULT_LABEL_TYPES } from '../../src/common/labelSchema';
import { parseJsonlLine } from '../../src/server/dataset/jsonlLine';
import { addSelectionLabelEdit } from '../../src/server/dataset/labelEdits';

export const [LOAN, GUARANTEE] = DEFAULT_LABEL_TYPES;

export interface WrittenLabel {
  entity: string;
  value: string;
  start: number;
  end: number;
}

/** The labels written on a record line. */
export function labelsOf(line: string): WrittenLabel[] {
  return (JSON.parse(line) as { labels?: WrittenLabel[] }).labels ?? [];
}

/** Selects `selected` in the line, applies the edit, and returns the new line and the label it added. */
export function labelText(line: string, selected: string, type = LOAN, occurrence = 0): { line: string; label: WrittenLabel } {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = line.indexOf(selected, at + 1);
  assert.ok(at >= 0, `"${selected}" not in line`);
  const result = addSelectionLabelEdit(line, parseJsonlLine(line), 0, { startColumn: at, endColumn: at + selected.length }, type);
  assert.ok(result.ok, result.ok ? '' : result.message);
  const { range, newText } = result.edit;
  assert.deepEqual(range.start, range.end, 'the edit only inserts');
  const after = line.slice(0, range.start.character) + newText + line.slice(range.start.character);
  const before = new Set(labelsOf(line).map((l) => JSON.stringify(l)));
  const added = labelsOf(after).filter((l) => !before.has(JSON.stringify(l)));
  assert.equal(added.length, 1, 'one label added');
  return { line: after, label: added[0] };
}
