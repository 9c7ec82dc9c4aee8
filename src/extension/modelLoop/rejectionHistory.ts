/**
 * The undo history of suggestion rejections, interleaved with each dataset document's own edits.
 * Rejections are not file edits, so VS Code's undo stack never sees them: this mirrors the
 * document's undo depth (each edit pushes a stamp, undo pops it, redo pushes it back) and remembers,
 * with each rejection, the stamp on top when it was made. A rejection is the document's latest
 * action (what Ctrl+Z should take back first) exactly when the last rejection of the document still
 * sits on that stamp: an edit after it buries it, undoing that edit uncovers it again.
 *
 * Pure logic (no vscode): the extension feeds it document changes and rejections.
 */

/** How a document changed, as VS Code reports it (TextDocumentChangeEvent.reason). */
export type DocumentChange = 'edit' | 'undo' | 'redo';

/** One rejection: every key it added to the rejected set (a Reject all: the whole record's). */
export interface RejectionStep {
  readonly id: number;
  readonly uri: string;
  readonly keys: readonly string[];
  /** In words, for messages ("3 suggestions", "借款金额 “500万元”"). */
  readonly description: string;
}

interface Recorded extends RejectionStep {
  /** The document's top edit stamp when the rejection was made (null: no edit on its undo stack). */
  readonly onStamp: number | null;
}

interface EditStacks {
  undo: number[];
  redo: number[];
}

/** Rejections kept for undo (older ones drop off; they stay rejected). */
const DEFAULT_CAPACITY = 100;
/** Edit stamps kept per document (the oldest drop off, as VS Code's own undo stack is bounded too). */
const MAX_EDIT_STAMPS = 10_000;

export class RejectionHistory {
  private readonly steps: Recorded[] = [];
  private readonly edits = new Map<string, EditStacks>();
  private nextStamp = 1;
  private nextId = 1;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** Records a rejection of `keys` in document `uri` (nothing when no key is new). */
  reject(uri: string, keys: readonly string[], description: string): RejectionStep | undefined {
    if (keys.length === 0) return undefined;
    const step: Recorded = { id: this.nextId++, uri, keys: [...keys], description, onStamp: this.top(uri) };
    this.steps.push(step);
    if (this.steps.length > this.capacity) this.steps.splice(0, this.steps.length - this.capacity);
    return publicStep(step);
  }

  /** The document changed: an ordinary edit, or VS Code's undo / redo of one. */
  documentChanged(uri: string, change: DocumentChange): void {
    const stacks = this.stacksOf(uri);
    if (change === 'edit') {
      stacks.undo.push(this.nextStamp++);
      if (stacks.undo.length > MAX_EDIT_STAMPS) stacks.undo.shift();
      stacks.redo = [];
    } else if (change === 'undo') {
      const stamp = stacks.undo.pop();
      if (stamp !== undefined) stacks.redo.push(stamp);
    } else {
      const stamp = stacks.redo.pop();
      if (stamp !== undefined) stacks.undo.push(stamp);
    }
  }

  /** The document was closed: VS Code drops its undo stack, so the mirror starts over. */
  documentClosed(uri: string): void {
    this.edits.delete(uri);
  }

  /** The document's last rejection, when it is the document's latest action (Ctrl+Z takes it back first). */
  latestAction(uri: string): RejectionStep | undefined {
    const last = this.lastOf(uri);
    return last && last.onStamp === this.top(uri) ? publicStep(last) : undefined;
  }

  /** The last rejection still undoable: of document `uri`, or of any document. */
  last(uri?: string): RejectionStep | undefined {
    const step = uri === undefined ? this.steps[this.steps.length - 1] : this.lastOf(uri);
    return step && publicStep(step);
  }

  /** Takes rejection `id` out of the history (it is being undone); undefined when it is not there any more. */
  take(id: number): RejectionStep | undefined {
    const at = this.steps.findIndex((s) => s.id === id);
    if (at < 0) return undefined;
    const [step] = this.steps.splice(at, 1);
    return publicStep(step);
  }

  private lastOf(uri: string): Recorded | undefined {
    for (let i = this.steps.length - 1; i >= 0; i--) if (this.steps[i].uri === uri) return this.steps[i];
    return undefined;
  }

  private top(uri: string): number | null {
    const undo = this.edits.get(uri)?.undo;
    return undo && undo.length > 0 ? undo[undo.length - 1] : null;
  }

  private stacksOf(uri: string): EditStacks {
    let stacks = this.edits.get(uri);
    if (!stacks) {
      stacks = { undo: [], redo: [] };
      this.edits.set(uri, stacks);
    }
    return stacks;
  }
}

const publicStep = (s: Recorded): RejectionStep => ({ id: s.id, uri: s.uri, keys: s.keys, description: s.description });
