// The labelEdits tests on lines written in one style, for both tiers: the compact style's in process
// (test/unit), the json.dumps styles' and the ones that ask CPython (test/processes).
import * as assert from 'node:assert/strict';
import type { TextEdit } from '../../src/common/lspProtocol';
import { DEFAULT_LABEL_TYPES } from '../../src/common/labelSchema';
import { parseJsonlLine } from '../../src/server/dataset/jsonlLine';
import { addLabelEdit, removeLabelEdit, retypeLabelEdit, type LabelEditResult } from '../../src/server/dataset/labelEdits';
import type { LineStyle, WriteLine } from './lineStyles';

export const [LOAN, GUARANTEE, PERIOD] = DEFAULT_LABEL_TYPES;

interface Label {
  entity: string;
  value: string;
  start: number;
  end: number;
}
interface Record {
  id: string;
  text: string;
  labels?: Label[];
  meta: { [key: string]: unknown };
}

/** Non-BMP characters (😀 two UTF-16 units, 𠀋 CJK Extension B) and a \r\n before the labelled parts. */
export const TEXT = '甲方😀重庆𠀋公司\r\n借款金额500万元,担保方式为"抵押",还款期限3年,另附😀条款';

/** Code-point span of the first `part` in the text. */
export function span(text: string, part: string): { start: number; end: number } {
  const at = text.indexOf(part);
  assert.ok(at >= 0, `"${part}" not in text`);
  const start = Array.from(text.slice(0, at)).length;
  return { start, end: start + Array.from(part).length };
}

function label(entity: string, part: string): Label {
  return { entity, value: part, ...span(TEXT, part) };
}

export const THREE_LABELS: Label[] = [label('借款金额', '500万元'), label('担保方式', '"抵押"'), label('还款期限', '3年')];

/** The record with these labels (none: no "labels" property); unknown fields after "labels". */
export function record(labels: Label[] | undefined): Record {
  return { id: 'dd-0001', text: TEXT, ...(labels ? { labels } : {}), meta: { source: '合同😀', n: [1, 2.5] } };
}

/** Applies a successful edit to the line; returns the new line and the text the edit replaced. */
export function apply(line: string, result: LabelEditResult): { line: string; replaced: string; edit: TextEdit } {
  assert.ok(result.ok, result.ok ? '' : result.message);
  const { range, newText } = result.edit;
  assert.equal(range.start.line, 7, 'the edit is on the requested line');
  assert.equal(range.end.line, 7);
  const from = range.start.character;
  const to = range.end.character;
  assert.ok(from <= to && to <= line.length);
  return { line: line.slice(0, from) + newText + line.slice(to), replaced: line.slice(from, to), edit: result.edit };
}

export const add = (line: string, part: string, type = LOAN) => addLabelEdit(line, parseJsonlLine(line), 7, span(TEXT, part), type);
const retype = (line: string, index: number, type = LOAN) => retypeLabelEdit(line, parseJsonlLine(line), 7, index, type);
const remove = (line: string, index: number) => removeLabelEdit(line, parseJsonlLine(line), 7, index);

export interface LabelEditsTests {
  writeLine: WriteLine;
  /** false: only the tests `addTests` defines. */
  inProcess: boolean;
  /** More addLabelEdit tests on the style's line (test/processes: CPython reads the offsets back). */
  addTests?: (line: string) => void;
}

export function describeLabelEditsOn(style: LineStyle, tests: LabelEditsTests): void {
  describe(`labelEdits on ${style} lines`, () => {
    const line = tests.writeLine(record(THREE_LABELS), style);

    describe('addLabelEdit', () => {
      if (tests.inProcess) {
        const cases: { where: string; part: string; type: typeof LOAN; at: number }[] = [
          { where: 'before the first label', part: '重庆𠀋公司', type: GUARANTEE, at: 0 },
          { where: 'between labels', part: '还款期限', type: PERIOD, at: 2 },
          { where: 'after the last label', part: '😀条款', type: LOAN, at: 3 },
        ];
        for (const c of cases) {
          it(`inserts a label ${c.where}, in start order, with code-point offsets`, () => {
            const { line: after, replaced } = apply(line, add(line, c.part, c.type));
            assert.equal(replaced, '', 'the edit only inserts');
            const labels = [...THREE_LABELS];
            labels.splice(c.at, 0, label(c.type.name, c.part));
            assert.deepEqual(JSON.parse(after), record(labels));
            assert.equal(after, tests.writeLine(record(labels), style), 'the line is written as the file writes it');
          });
        }

        it('fills an empty "labels" and adds "labels" when it is missing', () => {
          const empty = tests.writeLine(record([]), style);
          const filled = apply(empty, add(empty, '500万元')).line;
          assert.deepEqual(JSON.parse(filled), record([label('借款金额', '500万元')]));
          const none = tests.writeLine(record(undefined), style);
          const added = apply(none, add(none, '500万元')).line;
          const expected = { ...record(undefined), labels: [label('借款金额', '500万元')] };
          assert.deepEqual(JSON.parse(added), expected);
          assert.ok(added.startsWith(none.slice(0, none.length - 1)), 'everything before the closing brace is kept');
        });
      }
      tests.addTests?.(line);
    });
    if (!tests.inProcess) return;

    describe('retypeLabelEdit', () => {
      for (const index of [0, 1, 2]) {
        it(`replaces only the "entity" string of label ${index + 1} of 3`, () => {
          const type = index === 0 ? PERIOD : LOAN;
          const { line: after, replaced } = apply(line, retype(line, index, type));
          assert.equal(JSON.parse(`[${replaced}]`)[0], THREE_LABELS[index].entity, 'exactly the old entity literal is replaced');
          const labels = THREE_LABELS.map((l, i) => (i === index ? { ...l, entity: type.name } : l));
          assert.deepEqual(JSON.parse(after), record(labels));
          assert.equal(after, tests.writeLine(record(labels), style));
        });
      }

      it('retypes the only label, writing a tag where the label has one', () => {
        const only = tests.writeLine(record([{ ...label('还款期限', '3年'), entity: 'REPAY_PERIOD' }]), style);
        const after = apply(only, retype(only, 0, GUARANTEE)).line;
        assert.deepEqual(JSON.parse(after), record([{ ...label('还款期限', '3年'), entity: 'GUARANTEE_TYPE' }]));
      });

      it('adds "entity" when the label has none', () => {
        const bare = tests.writeLine(record([label('借款金额', '500万元')]), style).replace(/"entity": ?"[^"]*", ?/, '');
        const after = apply(bare, retype(bare, 0, GUARANTEE)).line;
        assert.deepEqual(JSON.parse(after), record([label('担保方式', '500万元')]));
      });

      it('refuses to "change" a label to the type it has', () => {
        const r = retype(line, 1, GUARANTEE);
        assert.equal(r.ok, false);
        assert.match(r.ok ? '' : r.message, /already 担保方式/);
      });
    });

    describe('removeLabelEdit', () => {
      for (const index of [0, 1, 2]) {
        it(`deletes label ${index + 1} of 3 with one separating comma`, () => {
          const { line: after, replaced } = apply(line, remove(line, index));
          const withComma = index === 2 ? /^\s*,\s*\{[^]*\}$/ : /^\{[^]*\}\s*,\s*$/;
          assert.match(replaced, withComma);
          const labels = THREE_LABELS.filter((_, i) => i !== index);
          assert.deepEqual(JSON.parse(after), record(labels));
          assert.equal(after, tests.writeLine(record(labels), style));
        });
      }

      it('leaves "labels": [] when it removes the only label', () => {
        const only = tests.writeLine(record([label('担保方式', '"抵押"')]), style);
        const after = apply(only, remove(only, 0)).line;
        assert.equal(after, tests.writeLine(record([]), style));
        assert.match(after, /"labels": ?\[\]/);
      });
    });
  });
}
