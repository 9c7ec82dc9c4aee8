import * as assert from 'node:assert/strict';
import { parseJsonlLine } from '../../src/server/dataset/jsonlLine';
import { addSelectionLabelEdit } from '../../src/server/dataset/labelEdits';
import { GUARANTEE, labelsOf, labelText, LOAN } from '../support/labelText';

describe('addSelectionLabelEdit: one edit that labels an editor selection and keeps the rest of the line', () => {
  it('labels after a non-BMP character with code-point offsets', () => {
    const line = '{"id": "r1", "text": "𠀋公司借款金额500万元", "labels": [], "meta": {"x": 1}}';
    const { line: after, label } = labelText(line, '500万元');
    assert.deepEqual(label, { entity: '借款金额', value: '500万元', start: 7, end: 12 });
    assert.equal(
      after,
      '{"id": "r1", "text": "𠀋公司借款金额500万元", "labels": [{"entity": "借款金额", "value": "500万元", "start": 7, "end": 12}], "meta": {"x": 1}}',
    );
  });

  it('keeps the compact style of compact lines and adds "labels" when missing', () => {
    const line = '{"text":"担保方式为连带责任保证","extra":[1,2]}';
    const { line: after } = labelText(line, '连带责任保证', GUARANTEE);
    assert.equal(after, '{"text":"担保方式为连带责任保证","extra":[1,2],"labels":[{"entity":"担保方式","value":"连带责任保证","start":5,"end":11}]}');
  });

  it('inserts in start order and writes tags when the file uses tags', () => {
    const line = JSON.stringify({ text: '借款金额500万元,担保方式为抵押', labels: [{ entity: 'GUARANTEE_TYPE', value: '抵押', start: 15, end: 17 }] });
    const { line: after } = labelText(line, '500万元');
    const labels = (JSON.parse(after) as { labels: { entity: string; start: number }[] }).labels;
    assert.deepEqual(
      labels.map((l) => [l.entity, l.start]),
      [
        ['LOAN_AMOUNT', 4],
        ['GUARANTEE_TYPE', 15],
      ],
    );
  });

  it('maps selections across JSON escapes (\\n, \\", \\uXXXX, surrogate escapes)', () => {
    const line = '{"text": "第一条\\n甲方\\"\\u91cd\\u5e86\\ud840\\udc0b\\"借款\\u00a5500万元"}';
    const { line: after, label } = labelText(line, '\\u00a5500万元');
    const record = JSON.parse(after) as { text: string };
    assert.equal(label.value, '¥500万元');
    assert.equal(Array.from(record.text).slice(label.start, label.end).join(''), '¥500万元');
  });

  it('widens a selection that splits a surrogate pair to the whole character', () => {
    const line = '{"text":"𠀋借款"}';
    const at = line.indexOf('𠀋') + 1;
    const result = addSelectionLabelEdit(line, parseJsonlLine(line), 0, { startColumn: at, endColumn: at + 3 }, LOAN);
    assert.ok(result.ok, result.ok ? '' : result.message);
    const after = line.slice(0, result.edit.range.start.character) + result.edit.newText + line.slice(result.edit.range.start.character);
    assert.deepEqual(labelsOf(after), [{ entity: '借款金额', value: '𠀋借款', start: 0, end: 3 }]);
  });

  it('refuses selections outside the text, duplicates and malformed lines, with a reason', () => {
    const line = JSON.stringify({ text: '借款金额500万元', labels: [{ entity: '借款金额', value: '500万元', start: 4, end: 9 }] });
    const at = line.indexOf('500万元');
    const dup = addSelectionLabelEdit(line, parseJsonlLine(line), 0, { startColumn: at, endColumn: at + 5 }, LOAN);
    assert.equal(dup.ok, false);
    assert.match(dup.ok ? '' : dup.message, /already labelled/);
    const outside = addSelectionLabelEdit(line, parseJsonlLine(line), 0, { startColumn: 0, endColumn: 5 }, LOAN);
    assert.equal(outside.ok, false);
    const malformed = addSelectionLabelEdit('{"text": ', parseJsonlLine('{"text": '), 0, { startColumn: 1, endColumn: 2 }, LOAN);
    assert.equal(malformed.ok, false);
  });
});
