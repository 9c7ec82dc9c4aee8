import * as assert from 'node:assert/strict';
import { parseJsonlLine } from '../../src/server/dataset/jsonlLine';
import { adjudicateLabelsEdit, minimalEdit } from '../../src/server/dataset/labelAdjudication';
import { describeAdjudicationOn, LABELS, record } from '../support/labelAdjudicationSuite';
import { writeCompactLine } from '../support/lineStyles';

describeAdjudicationOn('compact', writeCompactLine);

describe('adjudicateLabelsEdit refuses what it cannot do', () => {
  const line = JSON.stringify(record(LABELS));
  it('names the problem: unknown labels, a label both kept and removed, nothing named', () => {
    const check = (keep: number[], remove: number[], pattern: RegExp): void => {
      const r = adjudicateLabelsEdit(line, parseJsonlLine(line), 0, keep, remove);
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.message, pattern);
    };
    check([5], [], /Line 1 has no label 6 \(it has 5\)/);
    check([1], [1], /both kept and removed/);
    check([], [], /Nothing/);
    const broken = '{"text": "x", "labels": 3}';
    const r = adjudicateLabelsEdit(broken, parseJsonlLine(broken), 0, [], [0]);
    assert.match(r.ok ? '' : r.message, /no "labels" array/);
  });
});

describe('minimalEdit', () => {
  it('replaces only what differs, never half a surrogate pair', () => {
    const edit = minimalEdit('a😀b', 'a😃b', 0);
    assert.deepEqual(edit, { range: { start: { line: 0, character: 1 }, end: { line: 0, character: 3 } }, newText: '😃' });
    assert.deepEqual(minimalEdit('abc', 'abc', 2).newText, '');
    const grow = minimalEdit('[1]', '[1, 2]', 0);
    assert.equal('[1]'.slice(0, grow.range.start.character) + grow.newText + '[1]'.slice(grow.range.end.character), '[1, 2]');
  });
});
