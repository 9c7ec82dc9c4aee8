// The adjudicateLabelsEdit tests on lines written in one style, for both tiers: the compact style's in
// process (test/unit), the json.dumps styles' written by CPython (test/processes).
import * as assert from 'node:assert/strict';
import { parseJsonlLine } from '../../src/server/dataset/jsonlLine';
import { adjudicateLabelsEdit } from '../../src/server/dataset/labelAdjudication';
import type { LineStyle, WriteLine } from './lineStyles';

const TEXT = '😀𠀋借款金额500万元\r\n以"抵押"担保，还款期限3年';

function at(part: string): { start: number; end: number } {
  const i = TEXT.indexOf(part);
  const start = Array.from(TEXT.slice(0, i)).length;
  return { start, end: start + Array.from(part).length };
}

// "annotator" first, last, and in the middle of the label objects; an unknown key ("note") kept.
const A1 = { annotator: 'alice', entity: '借款金额', value: '500万元', ...at('500万元') };
const B1 = { entity: '借款金额', value: '500万元', ...at('500万元'), annotator: 'bob' };
const A2 = { entity: '担保方式', annotator: 'alice', value: '"抵押"', ...at('"抵押"'), note: '引号' };
const B2 = { entity: '还款期限', value: '"抵押"', ...at('"抵押"'), annotator: 'bob' };
const B3 = { entity: '还款期限', value: '3年', ...at('3年'), annotator: 'bob' };
export const LABELS = [A1, B1, A2, B2, B3];

export function record(labels: object[]): object {
  return { id: 'adj-1', text: TEXT, labels, meta: { round: 2 } };
}

function withoutAnnotator(label: object): object {
  return Object.fromEntries(Object.entries(label).filter(([k]) => k !== 'annotator'));
}

function adjudicate(line: string, keep: number[], remove: number[]): string {
  const result = adjudicateLabelsEdit(line, parseJsonlLine(line), 3, keep, remove);
  assert.ok(result.ok, result.ok ? '' : result.message);
  const { range, newText } = result.edit;
  assert.equal(range.start.line, 3);
  return line.slice(0, range.start.character) + newText + line.slice(range.end.character);
}

export function describeAdjudicationOn(style: LineStyle, writeLine: WriteLine): void {
  describe(`adjudicateLabelsEdit on ${style} lines`, () => {
    const line = writeLine(record(LABELS), style);
    const cases: { what: string; keep: number[]; remove: number[]; expected: object[] }[] = [
      { what: 'an agreement: keep one (agreed), remove its twin', keep: [0], remove: [1], expected: [withoutAnnotator(A1), A2, B2, B3] },
      { what: 'a conflict, keeping B', keep: [3], remove: [2], expected: [A1, B1, withoutAnnotator(B2), B3] },
      { what: 'a label only B made, keeping A (no label there)', keep: [], remove: [4], expected: [A1, B1, A2, B2] },
      { what: 'neighbours removed together', keep: [0], remove: [1, 2], expected: [withoutAnnotator(A1), B2, B3] },
      { what: 'the middle label kept, its unknown key too', keep: [2], remove: [], expected: [A1, B1, withoutAnnotator(A2), B2, B3] },
      { what: 'every label removed', keep: [], remove: [0, 1, 2, 3, 4], expected: [] },
    ];
    for (const c of cases) {
      it(c.what, () => {
        const after = adjudicate(line, c.keep, c.remove);
        assert.deepEqual(JSON.parse(after), record(c.expected));
        assert.equal(after, writeLine(record(c.expected), style), 'every byte but the settled labels is as the file wrote it');
      });
    }
  });
}
