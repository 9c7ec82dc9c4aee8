import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabelSchema } from '../../src/common/labelSchema';
import { validateJsonl } from '../../src/server/dataset/validateFile';
import { writeSamples } from '../../src/server/samples';

const schema = new LabelSchema();
const codes = (content: string): string[] => validateJsonl(content, schema).map((p) => `${p.line}:${p.code}`);

describe('validateJsonl: the problems `finlabel validate` reports', () => {
  it('accepts a correct record, names or tags, and blank lines', () => {
    const ok = [
      JSON.stringify({
        id: 1,
        text: '借款金额500万元,担保方式为抵押',
        labels: [
          { entity: '借款金额', value: '500万元', start: 4, end: 9 },
          { entity: 'GUARANTEE_TYPE', value: '抵押', start: 15, end: 17 },
        ],
      }),
      '',
      JSON.stringify({ id: 2, text: '无标注' }),
    ].join('\n');
    assert.deepEqual(codes(ok), []);
  });

  it("reports the original blog post's own example: value does not equal the text slice", () => {
    const seed = JSON.stringify({ text: '借款金额500万元,担保方式为抵押,还款期限3年', labels: [{ entity: '借款金额', value: '500万元', start: 4, end: 8 }] });
    const problems = validateJsonl(seed, schema);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].code, 'value-mismatch');
    assert.match(problems[0].message, /"500万"/);
  });

  it('counts offsets in code points: a non-BMP character before the span is one', () => {
    const text = '𠀋借款金额500万元';
    assert.deepEqual(codes(JSON.stringify({ text, labels: [{ entity: '借款金额', value: '500万元', start: 5, end: 10 }] })), []);
    // UTF-16 offsets (one more) are wrong.
    assert.deepEqual(codes(JSON.stringify({ text, labels: [{ entity: '借款金额', value: '500万元', start: 6, end: 11 }] })), ['1:offset-out-of-range']);
  });

  it('reports every kind of problem with its line', () => {
    const lines = [
      '{"text": "a", ',
      '[1, 2]',
      '{"id": 3}',
      JSON.stringify({ text: '借款金额500万元', labels: [{ entity: '借款金额', value: 'x', start: 9, end: 4 }] }),
      JSON.stringify({ text: '借款金额500万元', labels: [{ entity: '借款金额', value: 'x', start: 4, end: 40 }] }),
      JSON.stringify({ text: '借款金额500万元', labels: [{ entity: '利率', value: '500万元', start: 4, end: 9 }] }),
      JSON.stringify({
        text: '借款金额500万元',
        labels: [
          { entity: '借款金额', value: '500万元', start: 4, end: 9 },
          { entity: '还款期限', value: '万元', start: 7, end: 9 },
        ],
      }),
      JSON.stringify({ text: '借款金额500万元', labels: {} }),
      JSON.stringify({ text: '借款金额500万元', labels: [{ entity: '借款金额', start: 4.5, end: 9 }] }),
    ].join('\n');
    assert.deepEqual(codes(lines), [
      '1:malformed-json',
      '2:not-an-object',
      '3:missing-text',
      '4:offset-reversed',
      '5:offset-out-of-range',
      '6:unknown-entity',
      '7:overlapping-spans',
      '8:labels-not-array',
      '9:label-missing-field',
      '9:offset-not-integer',
    ]);
  });

  it('reports a duplicate label as overlapping', () => {
    const label = { entity: '借款金额', value: '500万元', start: 4, end: 9 };
    const problems = validateJsonl(JSON.stringify({ text: '借款金额500万元', labels: [label, label] }), schema);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /duplicate/);
  });

  it("does not report two annotators' labels on the same text as overlapping, but one annotator's duplicate still is", () => {
    const label = { entity: '借款金额', value: '500万元', start: 4, end: 9 };
    const text = '借款金额500万元';
    const twoAnnotators = [
      { ...label, annotator: 'a' },
      { ...label, annotator: 'b' },
      { ...label, entity: '还款期限', start: 7, value: '万元', annotator: 'b' },
    ];
    const problems = validateJsonl(JSON.stringify({ text, labels: twoAnnotators }), schema);
    assert.deepEqual(
      problems.map((p) => p.message),
      ['label 3 [7, 9) overlaps label 2 [4, 9)'],
    );
    assert.deepEqual(
      codes(
        JSON.stringify({
          text,
          labels: [
            { ...label, annotator: 'a' },
            { ...label, annotator: 'a' },
          ],
        }),
      ),
      ['1:overlapping-spans'],
    );
    assert.deepEqual(codes(JSON.stringify({ text, labels: [{ ...label, annotator: 'a' }, label] })), ['1:overlapping-spans']);
  });

  it('counts lines from 1 across \\r\\n endings and ignores a BOM', () => {
    const content = '\uFEFF' + JSON.stringify({ text: 'a' }) + '\r\n' + '{bad' + '\r\n';
    assert.deepEqual(codes(content), ['2:malformed-json']);
  });
});

describe('the generated samples', () => {
  it('validate with no problems', () => {
    const dir = mkdtempSync(join(tmpdir(), 'finlabel-samples-'));
    writeSamples(dir, 7);
    const content = readFileSync(join(dir, 'due_diligence.jsonl'), 'utf8');
    assert.ok(content.split('\n').length > 100);
    assert.deepEqual(validateJsonl(content, schema), []);
  });
});
