import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { labelText } from '../support/labelText';

describe('addSelectionLabelEdit: one edit that labels an editor selection and keeps the rest of the line', () => {
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
});
