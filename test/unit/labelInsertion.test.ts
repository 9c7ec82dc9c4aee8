import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { DEFAULT_LABEL_TYPES } from '../../src/common/labelSchema';
import { parseJsonlLine } from '../../src/server/dataset/jsonlLine';
import { addSelectionLabelEdit } from '../../src/server/dataset/labelEdits';

const [LOAN, GUARANTEE] = DEFAULT_LABEL_TYPES;

interface WrittenLabel {
  entity: string;
  value: string;
  start: number;
  end: number;
}

function labelsOf(line: string): WrittenLabel[] {
  return (JSON.parse(line) as { labels?: WrittenLabel[] }).labels ?? [];
}

/** Selects `selected` in the line, applies the edit, and returns the new line and the label it added. */
function labelText(line: string, selected: string, type = LOAN, occurrence = 0): { line: string; label: WrittenLabel } {
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

  it('gives offsets Python agrees with (text[start:end] in CPython)', () => {
    const texts = ['😀借款金额500万元', '甲\r\n乙𡈼𤭢借款金额RMB500万元', '"引号"\\反斜杠\t借款金额¥5,000,000.00'];
    const lines = texts.map((text) => {
      const line = JSON.stringify({ text, labels: [] });
      const value = text.match(/(RMB|¥)?[0-9][0-9,.]*(万?元)?/)?.[0] ?? '';
      return labelText(line, JSON.stringify(value).slice(1, -1)).line;
    });
    const script = 'import json,sys\nfor l in sys.stdin:\n  r=json.loads(l)\n  for x in r["labels"]: print(r["text"][x["start"]:x["end"]]==x["value"])';
    const out = execFileSync('python3', ['-c', script], { input: lines.join('\n') + '\n', encoding: 'utf8' });
    assert.deepEqual(out.trim().split('\n'), ['True', 'True', 'True']);
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
