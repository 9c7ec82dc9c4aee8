import * as assert from 'node:assert/strict';
import { RejectionHistory } from '../../src/extension/modelLoop/rejectionHistory';

const A = 'file:///a.jsonl';
const B = 'file:///b.jsonl';

describe("suggestion rejections: the undo history beside the document's edits", () => {
  it('a Reject all is one step: its keys come back together', () => {
    const h = new RejectionHistory();
    const step = h.reject(A, ['k1', 'k2', 'k3'], '3 suggestions');
    assert.deepEqual(h.latestAction(A)?.keys, ['k1', 'k2', 'k3']);
    assert.deepEqual(h.take(step!.id)?.keys, ['k1', 'k2', 'k3']);
    assert.equal(h.latestAction(A), undefined, 'nothing left to undo');
    assert.equal(h.take(step!.id), undefined, 'a step is undone once');
  });

  it('a rejection with no new key is no step', () => {
    assert.equal(new RejectionHistory().reject(A, [], 'nothing'), undefined);
  });

  it('an edit after a rejection comes first; undoing the edit uncovers the rejection', () => {
    const h = new RejectionHistory();
    h.documentChanged(A, 'edit');
    const r = h.reject(A, ['k1'], 'one');
    assert.equal(h.latestAction(A)?.id, r!.id, 'the rejection is the latest action');
    h.documentChanged(A, 'edit');
    assert.equal(h.latestAction(A), undefined, 'Ctrl+Z now undoes the edit');
    h.documentChanged(A, 'undo');
    assert.equal(h.latestAction(A)?.id, r!.id, 'then the rejection');
    h.take(r!.id);
    assert.equal(h.latestAction(A), undefined, 'then the edit before it');
  });

  it('redo of an edit made after the rejection buries it again', () => {
    const h = new RejectionHistory();
    const r = h.reject(A, ['k1'], 'one');
    h.documentChanged(A, 'edit');
    h.documentChanged(A, 'undo');
    assert.equal(h.latestAction(A)?.id, r!.id);
    h.documentChanged(A, 'redo');
    assert.equal(h.latestAction(A), undefined);
  });

  it("undoing an edit made before the rejection (from another editor) leaves the rejection out of Ctrl+Z's way", () => {
    const h = new RejectionHistory();
    h.documentChanged(A, 'edit');
    const r = h.reject(A, ['k1'], 'one');
    h.documentChanged(A, 'undo');
    assert.equal(h.latestAction(A), undefined, 'the document is no longer where the rejection was made');
    assert.equal(h.last(A)?.id, r!.id, 'the command still undoes it');
  });

  it('rejections in a row come back newest first; rejections interleaved with edits in order', () => {
    const h = new RejectionHistory();
    const r1 = h.reject(A, ['k1'], 'one');
    h.documentChanged(A, 'edit');
    const r2 = h.reject(A, ['k2'], 'two');
    const r3 = h.reject(A, ['k3'], 'three');
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      const step = h.latestAction(A);
      if (step) {
        order.push(step.description);
        h.take(step.id);
      } else {
        order.push('edit');
        h.documentChanged(A, 'undo');
      }
    }
    assert.deepEqual(order, ['three', 'two', 'edit', 'one', 'edit']);
    assert.deepEqual(
      [r1, r2, r3].map((r) => h.take(r!.id)),
      [undefined, undefined, undefined],
    );
  });

  it('documents are apart: an edit of one does not bury the rejection of another', () => {
    const h = new RejectionHistory();
    const ra = h.reject(A, ['ka'], 'a');
    h.documentChanged(B, 'edit');
    assert.equal(h.latestAction(A)?.id, ra!.id);
    assert.equal(h.latestAction(B), undefined);
    const rb = h.reject(B, ['kb'], 'b');
    assert.equal(h.last()?.id, rb!.id, 'the last of any document');
    assert.equal(h.last(A)?.id, ra!.id);
  });

  it('a closed document starts over, as VS Code drops its undo stack', () => {
    const h = new RejectionHistory();
    const r = h.reject(A, ['k1'], 'one');
    h.documentChanged(A, 'edit');
    h.documentClosed(A);
    assert.equal(h.latestAction(A)?.id, r!.id);
  });

  it('keeps at most `capacity` steps (the oldest drop off)', () => {
    const h = new RejectionHistory(2);
    const r1 = h.reject(A, ['k1'], 'one');
    h.reject(A, ['k2'], 'two');
    h.reject(A, ['k3'], 'three');
    assert.equal(h.take(r1!.id), undefined);
    assert.equal(h.last(A)?.description, 'three');
  });
});
