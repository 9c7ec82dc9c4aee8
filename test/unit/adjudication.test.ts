import * as assert from 'node:assert/strict';
import { compareAnnotators, settle, settleAgreements, type AnnotatedSpan } from '../../src/webview/annotationView/adjudication';

const span = (labelIndex: number, annotator: string | undefined, start: number, end: number, entity: string): AnnotatedSpan => ({
  labelIndex,
  annotator,
  start,
  end,
  entity,
});

describe('compareAnnotators: agreements and differences between two annotators', () => {
  const spans = [
    span(0, 'alice', 4, 9, '借款金额'),
    span(1, 'bob', 4, 9, '借款金额'), // agrees with 0
    span(2, 'alice', 12, 14, '担保方式'),
    span(3, 'bob', 12, 14, '还款期限'), // same span, other type
    span(4, 'bob', 20, 22, '还款期限'), // only bob
    span(5, 'alice', 30, 34, '借款金额'),
    span(6, 'bob', 31, 33, '借款金额'), // other boundaries
    span(7, 'bob', 33, 36, '担保方式'), // chained through 5
    span(8, undefined, 40, 42, '还款期限'), // agreed earlier: no part
    span(9, 'carol', 4, 9, '担保方式'), // a third annotator: no part
  ];
  const c = compareAnnotators(spans, 'alice', 'bob');

  it('groups overlapping labels of the two, and tells agreements from differences', () => {
    assert.deepEqual(
      c.agreements.map((g) => [g.a.map((s) => s.labelIndex), g.b.map((s) => s.labelIndex)]),
      [[[0], [1]]],
    );
    assert.deepEqual(
      c.differences.map((g) => [g.a.map((s) => s.labelIndex), g.b.map((s) => s.labelIndex), g.start, g.end]),
      [
        [[2], [3], 12, 14],
        [[], [4], 20, 22],
        [[5], [6, 7], 30, 36],
      ],
    );
  });

  it('settles a group by keeping one side and deleting the other', () => {
    assert.deepEqual(settle(c.differences[0], 'b'), { keep: [3], remove: [2] });
    assert.deepEqual(settle(c.differences[1], 'a'), { keep: [], remove: [4] });
    assert.deepEqual(settle(c.differences[2], 'a'), { keep: [5], remove: [6, 7] });
    assert.deepEqual(settleAgreements(c.agreements), { keep: [0], remove: [1] });
  });

  it('two labels of one annotator that overlap are no difference by themselves', () => {
    const own = compareAnnotators([span(0, 'alice', 0, 4, '借款金额'), span(1, 'alice', 2, 6, '担保方式')], 'alice', 'bob');
    assert.equal(own.differences.length, 2, 'each is a label bob did not make');
    assert.ok(own.differences.every((g) => g.a.length === 1 && g.b.length === 0));
  });
});
