import * as assert from 'node:assert/strict';
import { LabelSchema } from '../../src/common/labelSchema';
import type { RecordFilter, RecordView } from '../../src/common/lspProtocol';
import { JsonlDocumentModel } from '../../src/server/dataset/documentModel';
import { recordView, type RecordViewRequest } from '../../src/server/dataset/recordView';

const schema = new LabelSchema();

/** Line kinds: L labelled, U unlabelled ("labels": []), N no "labels", P a problem (value mismatch), M malformed, B blank. */
function line(kind: string, n: number): string {
  switch (kind) {
    case 'L':
      return JSON.stringify({ id: `r${n}`, text: '😀借款金额500万元', labels: [{ entity: '借款金额', value: '500万元', start: 5, end: 10 }] });
    case 'U':
      return JSON.stringify({ id: `r${n}`, text: '𠀋还款期限3年', labels: [] });
    case 'N':
      return JSON.stringify({ id: `r${n}`, text: '担保方式为抵押' });
    case 'P':
      return JSON.stringify({ id: `r${n}`, text: '期限3年', labels: [{ entity: '还款期限', value: '5年', start: 2, end: 4 }] });
    case 'M':
      return '{"id": "broken", "text": ';
    default:
      return '';
  }
}

function model(kinds: string): JsonlDocumentModel {
  const m = new JsonlDocumentModel(schema);
  m.update([...kinds].map((k, i) => line(k, i)).join('\n'));
  return m;
}

function view(m: JsonlDocumentModel, index: number, filter?: RecordFilter, direction?: RecordViewRequest['direction']): RecordView {
  const v = recordView(m, schema, { uri: 'file:///x.jsonl', version: 7, index, filter, direction });
  assert.ok(v);
  return v;
}

describe("recordView: the annotation view's record, filters and progress", () => {
  // Records (blank lines are not records): 0 L, 1 U, 2 P, 3 N, 4 M, 5 L, 6 U
  const m = model('LUPBNMLU');

  it('gives the record with label indexes, the types with their keys, and the progress', () => {
    const v = view(m, 0);
    assert.equal(v.version, 7);
    assert.equal(v.total, 7);
    assert.equal(v.labelled, 3, 'records with at least one label (the one with a problem too)');
    assert.deepEqual(
      v.spans.map((s) => [s.labelIndex, s.start, s.end, s.entity, s.normalized]),
      [[0, 5, 10, '借款金额', '¥5,000,000 (CNY)']],
    );
    assert.deepEqual(
      v.types.map((t) => [t.key, t.name, t.tag]),
      [
        ['1', '借款金额', 'LOAN_AMOUNT'],
        ['2', '担保方式', 'GUARANTEE_TYPE'],
        ['3', '还款期限', 'REPAY_PERIOD'],
      ],
    );
    assert.deepEqual(v.filter, { kind: 'all', matching: 7, matches: true, previous: null, next: 1, exhausted: false });
  });

  it('steps through unlabelled records (empty or missing "labels"), skipping the others', () => {
    const first = view(m, 0, 'unlabelled', 'first');
    assert.equal(first.index, 1);
    assert.equal(first.line, 1);
    assert.equal(first.filter.matching, 3);
    assert.equal(first.filter.next, 3);
    assert.equal(view(m, 1, 'unlabelled', 'next').index, 3, 'record 3 has no "labels" at all; the blank line is no record');
    assert.equal(view(m, 3, 'unlabelled', 'next').index, 6);
    const end = view(m, 6, 'unlabelled', 'next');
    assert.equal(end.index, 6);
    assert.equal(end.filter.exhausted, true);
    assert.equal(view(m, 6, 'unlabelled', 'previous').index, 3);
    assert.equal(view(m, 6, 'unlabelled', 'last').index, 6);
  });

  it('steps through records with problems (malformed lines included)', () => {
    const v = view(m, 0, 'problems', 'nearest');
    assert.equal(v.index, 2);
    assert.equal(v.filter.matching, 2);
    assert.equal(view(m, 2, 'problems', 'next').index, 4);
    const malformed = view(m, 4, 'problems');
    assert.equal(malformed.text, null);
    assert.match(malformed.problems.join(), /malformed JSON/);
  });

  it('stays on the record asked for when no direction is given, filter or not', () => {
    const v = view(m, 0, 'unlabelled');
    assert.equal(v.index, 0);
    assert.equal(v.filter.matches, false);
    assert.equal(view(m, 99, 'all').index, 6, 'clamped');
    assert.equal(view(m, 5, 'unlabelled', 'nearest').index, 6);
    assert.equal(view(model('LLL'), 1, 'unlabelled', 'nearest').filter.exhausted, true);
  });

  it('steps through the filter over thousands of records and follows an edit', function () {
    // How fast this is belongs to bench/editorScale.ts; here: the right records, before and after an
    // edit. 20,000 records take a few hundred ms alone, seconds on a loaded 2-core machine.
    this.timeout(30_000);
    const lines = Array.from({ length: 20_000 }, (_, i) => line(i % 97 === 0 ? 'U' : 'L', i));
    const big = new JsonlDocumentModel(schema);
    big.update(lines.join('\n'));
    const first = view(big, 0, 'unlabelled', 'first');
    assert.equal(first.index, 0);
    let at = first.index;
    for (let k = 0; k < 100; k++) at = view(big, at, 'unlabelled', 'next').index;
    assert.equal(at, 97 * 100);

    lines[97] = line('L', 97);
    big.update(lines.join('\n'));
    const afterEdit = view(big, 0, 'unlabelled', 'next');
    assert.equal(afterEdit.index, 194, 'the labelled record is skipped now');
    assert.equal(afterEdit.labelled, 20_000 - Math.ceil(20_000 / 97) + 1);
  });
});
