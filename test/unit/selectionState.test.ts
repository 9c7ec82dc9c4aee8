import * as assert from 'node:assert/strict';
import { SelectionState, type SpanRef } from '../../src/webview/annotationView/selectionState';

const SPANS: SpanRef[] = [
  { labelIndex: 2, start: 10, end: 12 },
  { labelIndex: 0, start: 3, end: 6 },
  { labelIndex: 1, start: 3, end: 8 },
];

describe("SelectionState: the annotation view's caret, selection and focused label", () => {
  it('moves the caret by code points and extends the selection with Shift', () => {
    const s = new SelectionState();
    s.reset(20);
    s.moveBy(1, false);
    s.moveBy(1, true);
    s.moveBy(1, true);
    assert.deepEqual(s.selection, { start: 1, end: 3 });
    s.moveBy(-1, false);
    assert.equal(s.selection, null, 'an arrow without Shift collapses the selection');
    assert.equal(s.caret, 1, 'to the side moved towards');
    s.moveTo(-5, false);
    assert.equal(s.caret, 0);
    s.moveTo(99, true);
    assert.deepEqual(s.selection, { start: 0, end: 20 });
  });

  it('Tab focuses labels in reading order from the caret; past the last it lets go', () => {
    const s = new SelectionState();
    s.reset(20);
    s.moveTo(4, false);
    assert.ok(s.focusNext(SPANS, false));
    assert.equal(s.focused, 2, 'the first label starting at or after the caret');
    s.moveTo(0, false);
    const order: number[] = [];
    while (s.focusNext(SPANS, false)) order.push(s.focused!);
    assert.deepEqual(order, [0, 1, 2]);
    assert.equal(s.focused, null);
    s.moveTo(20, false);
    assert.ok(s.focusNext(SPANS, true));
    assert.equal(s.focused, 2);
    assert.ok(s.focusNext(SPANS, true));
    assert.equal(s.focused, 1);
  });

  it('clicking characters several labels cover cycles through them', () => {
    const s = new SelectionState();
    s.reset(20);
    const covering = [SPANS[1], SPANS[2]];
    s.focusAmong(covering);
    assert.equal(s.focused, 0);
    s.focusAmong(covering);
    assert.equal(s.focused, 1);
    s.focusAmong(covering);
    assert.equal(s.focused, 0);
  });

  it('a selection lets the focused label go; a redraw keeps what still exists', () => {
    const s = new SelectionState();
    s.reset(20);
    s.focus(SPANS[0]);
    s.select(4, 7);
    assert.equal(s.focused, null);
    s.focus(SPANS[0]);
    s.keep(
      11,
      SPANS.filter((x) => x.labelIndex !== 2),
    );
    assert.equal(s.focused, null, 'the focused label was removed');
    assert.equal(s.caret, 10);
    s.select(2, 9);
    s.collapseToEnd();
    assert.equal(s.caret, 9);
    assert.equal(s.selection, null);
  });
});
