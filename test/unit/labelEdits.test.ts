import * as assert from 'node:assert/strict';
import { parseJsonlLine } from '../../src/server/dataset/jsonlLine';
import { addLabelEdit, removeLabelEdit, retypeLabelEdit } from '../../src/server/dataset/labelEdits';
import { describeLabelEditsOn, LOAN, record, span, TEXT, THREE_LABELS } from '../support/labelEditsSuite';
import { writeCompactLine } from '../support/lineStyles';

describeLabelEditsOn('compact', { writeLine: writeCompactLine, inProcess: true });

describe('labelEdits refuse what they cannot do, with a reason', () => {
  const line = JSON.stringify(record(THREE_LABELS));

  it('refuses malformed lines and lines without text', () => {
    for (const bad of ['{"text": ', '{"id": 1}']) {
      const r = addLabelEdit(bad, parseJsonlLine(bad), 0, { start: 0, end: 1 }, LOAN);
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.message, /Line 1/);
    }
    const malformed = removeLabelEdit('{"labels": [', parseJsonlLine('{"labels": ['), 4, 0);
    assert.match(malformed.ok ? '' : malformed.message, /Line 5 is not a valid JSON record/);
  });

  it('refuses spans outside the text, empty spans and duplicates', () => {
    const length = Array.from(TEXT).length;
    for (const s of [
      { start: 0, end: length + 1 },
      { start: 3, end: 3 },
      { start: -1, end: 2 },
      { start: 0.5, end: 2 },
    ]) {
      const r = addLabelEdit(line, parseJsonlLine(line), 0, s, LOAN);
      assert.equal(r.ok, false, JSON.stringify(s));
      assert.match(r.ok ? '' : r.message, new RegExp(`${length} characters`));
    }
    const dup = addLabelEdit(line, parseJsonlLine(line), 0, span(TEXT, '500万元'), LOAN);
    assert.match(dup.ok ? '' : dup.message, /already labelled 借款金额/);
  });

  it('refuses label indexes that do not exist and "labels" that is not an array', () => {
    for (const index of [3, -1]) {
      const r = removeLabelEdit(line, parseJsonlLine(line), 0, index);
      assert.match(r.ok ? '' : r.message, /has no label .* \(it has 3\)/);
      assert.equal(retypeLabelEdit(line, parseJsonlLine(line), 0, index, LOAN).ok, false);
    }
    const notArray = '{"text": "借款金额", "labels": {}}';
    const removed = removeLabelEdit(notArray, parseJsonlLine(notArray), 0, 0);
    assert.match(removed.ok ? '' : removed.message, /Line 1 has no "labels" array/);
    const r = addLabelEdit(notArray, parseJsonlLine(notArray), 0, { start: 0, end: 2 }, LOAN);
    assert.match(r.ok ? '' : r.message, /"labels" is not an array/);
  });

  it('describes what each edit does', () => {
    const added = addLabelEdit(line, parseJsonlLine(line), 0, span(TEXT, '😀条款'), LOAN);
    assert.equal(added.ok && added.description, `Label "😀条款" [${span(TEXT, '😀条款').start}, ${span(TEXT, '😀条款').end}) as 借款金额`);
    const removed = removeLabelEdit(line, parseJsonlLine(line), 0, 1);
    assert.equal(removed.ok && removed.description, 'Remove label 2 担保方式 "\\"抵押\\""');
    const retyped = retypeLabelEdit(line, parseJsonlLine(line), 0, 2, LOAN);
    assert.equal(retyped.ok && retyped.description, 'Change label 3 from 还款期限 to 借款金额');
  });
});
