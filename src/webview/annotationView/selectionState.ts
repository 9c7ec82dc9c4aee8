/**
 * Where the user is in a record's text: a caret and a selection anchor (code-point offsets, as the
 * dataset counts), and the label the keyboard or a click is on. Pure: no DOM, so the page's mouse
 * and keyboard handling share it.
 */

export interface SpanRef {
  labelIndex: number;
  start: number;
  end: number;
}

export class SelectionState {
  /** Code points in the text. */
  private length = 0;
  anchor = 0;
  caret = 0;
  /** The label index of the focused span, or null. */
  focused: number | null = null;

  /** A new record: caret at the start, nothing selected or focused. */
  reset(length: number): void {
    this.length = length;
    this.anchor = 0;
    this.caret = 0;
    this.focused = null;
  }

  /** The same record redrawn (after an edit): keeps what still fits. */
  keep(length: number, spans: readonly SpanRef[]): void {
    this.length = length;
    this.anchor = this.clamp(this.anchor);
    this.caret = this.clamp(this.caret);
    if (this.focused !== null && !spans.some((s) => s.labelIndex === this.focused)) this.focused = null;
  }

  get textLength(): number {
    return this.length;
  }

  /** The selected code points, or null when the selection is collapsed. */
  get selection(): { start: number; end: number } | null {
    if (this.anchor === this.caret) return null;
    return { start: Math.min(this.anchor, this.caret), end: Math.max(this.anchor, this.caret) };
  }

  /** A selection made with the mouse (or a message): the focused label is let go when something is selected. */
  select(anchor: number, focus: number): void {
    this.anchor = this.clamp(anchor);
    this.caret = this.clamp(focus);
    if (this.anchor !== this.caret) this.focused = null;
  }

  /** Moves the caret to `cp`; with `extend` the selection grows or shrinks to it. */
  moveTo(cp: number, extend: boolean): void {
    this.caret = this.clamp(cp);
    if (!extend) this.anchor = this.caret;
    this.focused = null;
  }

  /** Arrow keys: one code point. Without `extend`, a selection collapses to the side moved towards. */
  moveBy(delta: -1 | 1, extend: boolean): void {
    const sel = this.selection;
    if (!extend && sel) {
      this.moveTo(delta < 0 ? sel.start : sel.end, false);
      return;
    }
    this.moveTo(this.caret + delta, extend);
  }

  /** Collapses the selection at its end (after a label was added to it). */
  collapseToEnd(): void {
    const sel = this.selection;
    if (sel) this.anchor = this.caret = sel.end;
  }

  /** Escape: nothing selected, no label focused. */
  clear(): void {
    this.anchor = this.caret;
    this.focused = null;
  }

  /** Focuses a label; the caret goes to its start. */
  focus(span: SpanRef): void {
    this.focused = span.labelIndex;
    this.anchor = this.caret = this.clamp(span.start);
  }

  /**
   * Tab / Shift+Tab: the next (or previous) label in reading order, from the focused one or else
   * from the caret. Returns false, focusing nothing, when there is none that way (so focus can
   * leave the text).
   */
  focusNext(spans: readonly SpanRef[], backwards: boolean): boolean {
    const order = [...spans].sort((a, b) => a.start - b.start || a.end - b.end || a.labelIndex - b.labelIndex);
    const current = order.findIndex((s) => s.labelIndex === this.focused);
    let next: SpanRef | undefined;
    if (current >= 0) next = order[current + (backwards ? -1 : 1)];
    else if (backwards) next = [...order].reverse().find((s) => s.start < this.caret);
    else next = order.find((s) => s.start >= this.caret);
    if (!next) {
      this.focused = null;
      return false;
    }
    this.focus(next);
    return true;
  }

  /**
   * A click on characters that several labels cover: the first of them, or the next one after the
   * one already focused (clicking again cycles through overlapping labels).
   */
  focusAmong(covering: readonly SpanRef[]): void {
    if (covering.length === 0) return;
    const current = covering.findIndex((s) => s.labelIndex === this.focused);
    this.focus(covering[(current + 1) % covering.length]);
  }

  private clamp(cp: number): number {
    return Math.min(Math.max(0, Math.trunc(cp)), this.length);
  }
}
