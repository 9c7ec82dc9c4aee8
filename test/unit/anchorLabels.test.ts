import * as assert from 'node:assert/strict';
import { anchorState, applyReplacement, reanchorByValue, type AnchoredLabel, type TextReplacement } from '../../src/server/contracts/anchorLabels';

const cp = (s: string): string[] => Array.from(s);

/** A label on the first occurrence of `value` in `text` (code points). */
function labelOn(text: string, value: string, index = 0, entity = '借款金额', occurrence = 0): AnchoredLabel {
  const chars = cp(text);
  const needle = cp(value);
  let seen = -1;
  for (let s = 0; s + needle.length <= chars.length; s++) {
    if (chars.slice(s, s + needle.length).join('') === value && ++seen === occurrence) return { index, entity, value, start: s, end: s + needle.length };
  }
  throw new Error(`"${value}" not in the text`);
}

/** Applies a replacement of code points [start, end) by `insert` to the text and the labels. */
function edit(text: string, labels: AnchoredLabel[], start: number, end: number, insert: string): { text: string; labels: AnchoredLabel[] } {
  const chars = cp(text);
  const after = [...chars.slice(0, start), ...cp(insert), ...chars.slice(end)];
  const r: TextReplacement = { start, end, text: insert };
  return { text: after.join(''), labels: applyReplacement(labels, after, r) };
}

function slice(text: string, l: AnchoredLabel): string {
  return cp(text).slice(l.start, l.end).join('');
}

// 😀 and 𠀋 are one code point each and two UTF-16 units; "\r\n" is two code points.
const TEXT = '甲方😀公司\r\n借款金额为人民币500万元整，𠀋担保方式为抵押，\r\n借款期限3年。';

describe('anchorLabels: labels follow edits of the contract text (code points)', () => {
  const amount = labelOn(TEXT, '500万元', 0);
  const guarantee = labelOn(TEXT, '抵押', 1, '担保方式');
  const period = labelOn(TEXT, '3年', 2, '还款期限');
  const labels = [amount, guarantee, period];

  it('places the labels of the fixture on code-point offsets', () => {
    assert.deepEqual([amount.start, amount.end], [15, 20]);
    assert.equal(TEXT.indexOf('500万元'), 16, 'in UTF-16 the start would be one more');
    assert.ok(labels.every((l) => anchorState(l, cp(TEXT)) === 'intact'));
  });

  it('shifts labels after an insertion before them and keeps those before it', () => {
    // Insert a non-BMP character and a line break before the amount.
    const at = labelOn(TEXT, '借款金额').start;
    const r = edit(TEXT, labels, at, at, '𠀋\r\n');
    assert.deepEqual(
      r.labels.map((l) => [l.start - labels[l.index].start, l.end - labels[l.index].end]),
      [
        [3, 3],
        [3, 3],
        [3, 3],
      ],
    );
    assert.deepEqual(
      r.labels.map((l) => anchorState(l, cp(r.text))),
      ['intact', 'intact', 'intact'],
    );
    assert.deepEqual(
      r.labels.map((l) => slice(r.text, l)),
      ['500万元', '抵押', '3年'],
    );
  });

  it('keeps labels before an edit after them in place', () => {
    const at = cp(TEXT).length - 1;
    const r = edit(TEXT, labels, at, at + 1, '😀😀');
    assert.deepEqual(r.labels, labels);
  });

  it('does not extend a label with text typed right after or right before it', () => {
    const after = edit(TEXT, [amount], amount.end, amount.end, '整整');
    assert.deepEqual(after.labels[0], amount);
    const before = edit(TEXT, [amount], amount.start, amount.start, '¥');
    assert.deepEqual(before.labels[0], { ...amount, start: amount.start + 1, end: amount.end + 1 });
    assert.equal(anchorState(before.labels[0], cp(before.text)), 'intact');
  });

  it('flags a label whose characters were edited: it takes in the inserted text', () => {
    const r = edit(TEXT, labels, amount.start + 1, amount.start + 1, '😀');
    const [a, g] = r.labels;
    assert.deepEqual([a.start, a.end], [amount.start, amount.end + 1]);
    assert.equal(slice(r.text, a), '5😀00万元');
    assert.equal(anchorState(a, cp(r.text)), 'changed');
    assert.equal(a.value, '500万元', 'the label keeps the value it had');
    assert.deepEqual([g.start, g.end], [guarantee.start + 1, guarantee.end + 1]);
    assert.equal(anchorState(g, cp(r.text)), 'intact');
  });

  it('flags a label whose text was retyped exactly, covering the new text', () => {
    const r = edit(TEXT, [amount], amount.start, amount.end, '600万元');
    assert.deepEqual([r.labels[0].start, r.labels[0].end], [amount.start, amount.start + 5]);
    assert.equal(slice(r.text, r.labels[0]), '600万元');
    assert.equal(anchorState(r.labels[0], cp(r.text)), 'changed');
  });

  it('shrinks a label when part of it is deleted, from either side', () => {
    const head = edit(TEXT, [amount], amount.start - 2, amount.start + 2, '');
    assert.deepEqual([head.labels[0].start, head.labels[0].end], [amount.start - 2, amount.end - 4]);
    assert.equal(slice(head.text, head.labels[0]), '0万元');
    assert.equal(anchorState(head.labels[0], cp(head.text)), 'changed');
    const tail = edit(TEXT, [amount], amount.end - 1, amount.end + 1, '');
    assert.deepEqual([tail.labels[0].start, tail.labels[0].end], [amount.start, amount.end - 1]);
    assert.equal(slice(tail.text, tail.labels[0]), '500万');
  });

  it('marks a label whose whole text was deleted at the deletion point, and keeps it', () => {
    // Delete from inside the first line to after the amount, across "\r\n" and 😀.
    const from = 1;
    const r = edit(TEXT, labels, from, amount.end + 1, '');
    assert.equal(r.labels.length, 3, 'nothing is dropped');
    assert.deepEqual([r.labels[0].start, r.labels[0].end], [from, from]);
    assert.equal(anchorState(r.labels[0], cp(r.text)), 'deleted');
    assert.equal(r.labels[0].value, '500万元');
    assert.equal(anchorState(r.labels[1], cp(r.text)), 'intact');
    assert.equal(slice(r.text, r.labels[1]), '抵押');
  });

  it('restores a label when the edit is undone', () => {
    const inside = edit(TEXT, [amount], amount.start + 2, amount.start + 2, 'X');
    const undoInside = edit(inside.text, inside.labels, amount.start + 2, amount.start + 3, '');
    assert.equal(undoInside.text, TEXT);
    assert.deepEqual(undoInside.labels[0], amount);

    const deleted = edit(TEXT, [amount], amount.start - 3, amount.end + 1, '');
    assert.equal(anchorState(deleted.labels[0], cp(deleted.text)), 'deleted');
    const removed = cp(TEXT)
      .slice(amount.start - 3, amount.end + 1)
      .join('');
    const undoDelete = edit(deleted.text, deleted.labels, amount.start - 3, amount.start - 3, removed);
    assert.equal(undoDelete.text, TEXT);
    assert.deepEqual(undoDelete.labels[0], amount);

    const head = edit(TEXT, [amount], amount.start - 2, amount.start + 2, '');
    const undoHead = edit(
      head.text,
      head.labels,
      amount.start - 2,
      amount.start - 2,
      cp(TEXT)
        .slice(amount.start - 2, amount.start + 2)
        .join(''),
    );
    assert.deepEqual(undoHead.labels[0], amount);
  });

  it('re-anchors a deleted label when its value is typed again at the point', () => {
    const deleted = edit(TEXT, [period], period.start, period.end, '');
    const typed = edit(deleted.text, deleted.labels, period.start, period.start, '3年');
    assert.deepEqual(typed.labels[0], period);
  });
});

describe('anchorLabels: re-anchoring by value after an edit outside the editor', () => {
  const text = '第一条 借款金额为人民币500万元。\r\n第二条 借款期限为3年。\r\n第三条 担保方式为抵押。';
  const amount = labelOn(text, '500万元', 0);
  const period = labelOn(text, '3年', 1, '还款期限');
  const guarantee = labelOn(text, '抵押', 2, '担保方式');

  it('moves each label to its value when text was inserted and removed in several places', () => {
    const edited = '前言😀\r\n第一条 借款金额为人民币500万元。\r\n第二条 借款期限为3年（三十六个月）。\r\n第三条 担保方式为𠀋抵押。';
    const r = reanchorByValue([amount, period, guarantee], cp(text), cp(edited));
    assert.deepEqual(
      r.labels.map((l) => slice(edited, l)),
      ['500万元', '3年', '抵押'],
    );
    assert.ok(r.labels.every((l) => anchorState(l, cp(edited)) === 'intact'));
    assert.equal(r.flagged, 0);
    // The guarantee lies after the last change (in the common suffix): it shifts without a search.
    assert.equal(r.moved, 2);
  });

  it('picks the occurrence nearest the old offset when the value occurs more than once', () => {
    const edited = text.replace('第二条', '第二条（3年）');
    const r = reanchorByValue([period], cp(text), cp(edited));
    assert.equal(r.labels[0].start, labelOn(edited, '3年', 0, '还款期限', 1).start);
  });

  it('flags a label whose value was changed, on the new text', () => {
    const edited = `😀${text.replace('500万元', '600万元')}`;
    const r = reanchorByValue([amount, period, guarantee], cp(text), cp(edited));
    assert.equal(r.flagged, 1);
    assert.equal(anchorState(r.labels[0], cp(edited)), 'changed');
    assert.equal(slice(edited, r.labels[0]), '600万元');
    assert.deepEqual(
      r.labels.slice(1).map((l) => slice(edited, l)),
      ['3年', '抵押'],
    );
  });

  it('flags a changed value by the text around it, even when other edits surround it', () => {
    const edited = `前言\r\n${text.replace('500万元', '伍佰万元').replace('抵押', '质押')}`;
    const r = reanchorByValue([amount, period, guarantee], cp(text), cp(edited));
    assert.deepEqual(
      r.labels.map((l) => slice(edited, l)),
      ['伍佰万元', '3年', '质押'],
    );
    assert.deepEqual(
      r.labels.map((l) => anchorState(l, cp(edited))),
      ['changed', 'intact', 'changed'],
    );
    assert.equal(r.flagged, 2);
  });

  it('flags a changed label on the text between its contexts', () => {
    const edited = `😀\r\n${text.replace('500万元。', '伍佰万元（大写）。')}`;
    const r = reanchorByValue([amount, period], cp(text), cp(edited));
    assert.equal(slice(edited, r.labels[0]), '伍佰万元（大写）');
    assert.equal(anchorState(r.labels[0], cp(edited)), 'changed');
    assert.equal(slice(edited, r.labels[1]), '3年');
  });

  it("finds a changed label by one side's context when the other side was edited too, keeping its length", () => {
    const edited = `😀\r\n${text.replace('500万元。', '600万元；')}`;
    const r = reanchorByValue([amount], cp(text), cp(edited));
    assert.equal(slice(edited, r.labels[0]), '600万元');
    assert.equal(anchorState(r.labels[0], cp(edited)), 'changed');
  });

  it('flags a label whose value was deleted, and keeps it', () => {
    const edited = text.replace('抵押', '');
    const r = reanchorByValue([amount, period, guarantee], cp(text), cp(edited));
    assert.equal(r.labels.length, 3);
    assert.equal(r.flagged, 1);
    assert.equal(anchorState(r.labels[2], cp(edited)), 'deleted');
    assert.equal(r.labels[2].start, cp(text).indexOf('抵'));
    assert.deepEqual(
      r.labels.slice(0, 2).map((l) => slice(edited, l)),
      ['500万元', '3年'],
    );
  });

  it('changes nothing when the texts are equal', () => {
    const r = reanchorByValue([amount, period], cp(text), cp(text));
    assert.deepEqual(r, { labels: [amount, period], moved: 0, flagged: 0 });
  });
});
