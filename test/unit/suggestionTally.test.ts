import * as assert from 'node:assert/strict';
import { countRecordSuggestions, suggestionCurve, windowOf } from '../../src/server/evaluation/suggestionTally';

describe("the simulated annotator's counting: suggestions accepted (exactly gold) and rejected, record by record and over windows", () => {
  const gold = [
    { start: 0, end: 4, tag: 'COMPANY' },
    { start: 6, end: 9, tag: 'NAME' },
  ];

  it('only a suggestion with the same type and both offsets is accepted; a duplicate, a boundary error or another type is work added', () => {
    const suggested = [
      { start: 0, end: 4, tag: 'COMPANY' }, // exact
      { start: 0, end: 4, tag: 'COMPANY' }, // the same again: one gold span is accepted once
      { start: 6, end: 8, tag: 'NAME' }, // boundary
      { start: 6, end: 9, tag: 'ORGANIZATION' }, // type
      { start: 12, end: 14, tag: 'NAME' }, // nothing there
    ];
    assert.deepEqual(countRecordSuggestions(suggested, gold), { gold: 2, suggested: 5, exact: 1, wrong: 4 });
    assert.deepEqual(countRecordSuggestions([], gold), { gold: 2, suggested: 0, exact: 0, wrong: 0 });
    assert.deepEqual(countRecordSuggestions(gold, []), { gold: 0, suggested: 2, exact: 0, wrong: 2 });
  });

  it('sums windows between the bounds in labelling order, with the share of gold suggested and wrong suggestions per record', () => {
    // 6 records: 2 gold spans each; record k gets k exact suggestions (at most 2) and one wrong from record 3 on
    const counts = Array.from({ length: 6 }, (_, k) => ({
      gold: 2,
      suggested: Math.min(k, 2) + (k >= 3 ? 1 : 0),
      exact: Math.min(k, 2),
      wrong: k >= 3 ? 1 : 0,
    }));
    const curve = suggestionCurve(counts, [2, 4, 10]);
    assert.deepEqual(
      curve.map((w) => [w.from, w.to, w.records, w.gold, w.exact, w.wrong]),
      [
        [0, 2, 2, 4, 1, 0],
        [2, 4, 2, 4, 4, 1],
        [4, 6, 2, 4, 4, 2],
      ],
    );
    assert.equal(curve[0].exactShare, 0.25);
    assert.equal(curve[2].wrongPerRecord, 1);
    const all = windowOf(counts, 0, 6);
    assert.deepEqual([all.gold, all.exact, all.wrong, all.exactShare, all.wrongPerRecord], [12, 9, 3, 0.75, 0.5]);
    assert.equal(windowOf([], 0, 5).exactShare, null);
  });
});
