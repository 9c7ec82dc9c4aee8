/**
 * Maps between points in the drawn text (DOM text nodes, UTF-16 offsets) and code-point offsets into
 * the record's text, both ways. Exact because every character of the container is the record's text
 * in order (labels are generated content, never text nodes), and each text node knows the code point
 * it starts at.
 */

interface TextRun {
  node: Text;
  /** Code-point offsets of the node's text in the record's text. */
  start: number;
  end: number;
}

export interface DomPoint {
  node: Node;
  offset: number;
}

/** UTF-16 length of the first `count` code points of `s`. */
function unitsOf(s: string, count: number): number {
  let units = 0;
  let seen = 0;
  for (const ch of s) {
    if (seen === count) break;
    units += ch.length;
    seen++;
  }
  return units;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

export class TextPositions {
  private constructor(
    private readonly container: HTMLElement,
    private readonly runs: TextRun[],
    /** Code points in the text. */
    readonly length: number,
  ) {}

  /** Reads the text nodes of `container` in document order. */
  static of(container: HTMLElement): TextPositions {
    const runs: TextRun[] = [];
    const walker = container.ownerDocument.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    let at = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node as Text;
      const length = Array.from(text.data).length;
      if (length === 0) continue;
      runs.push({ node: text, start: at, end: at + length });
      at += length;
    }
    return new TextPositions(container, runs, at);
  }

  /**
   * The code-point offset of a DOM boundary point (a selection's anchor or focus). A point inside a
   * surrogate pair rounds down for `floor` (a selection's start) and up for `ceil` (its end); a point
   * outside the text clamps to its start or end.
   */
  offsetOf(node: Node, offset: number, rounding: 'floor' | 'ceil'): number {
    const run = this.runs.find((r) => r.node === node);
    if (run) {
      const data = run.node.data;
      const units = Math.min(Math.max(0, offset), data.length);
      let count = Array.from(data.slice(0, units)).length;
      const splitsPair = units > 0 && units < data.length && isHighSurrogate(data.charCodeAt(units - 1)) && isLowSurrogate(data.charCodeAt(units));
      if (splitsPair && rounding === 'floor') count -= 1;
      return run.start + count;
    }
    // An element boundary (between children) or a point outside the text: the first character
    // after it, else the end.
    const point = this.container.ownerDocument.createRange();
    try {
      point.setStart(node, offset);
    } catch {
      return 0;
    }
    point.collapse(true);
    const after = this.runs.find((r) => point.comparePoint(r.node, 0) >= 0);
    return after ? after.start : this.length;
  }

  /**
   * The DOM point for code-point offset `cp`. At a boundary between two text nodes, 'forward' gives
   * the start of the later one (a selection's start) and 'backward' the end of the earlier one (its end).
   */
  pointAt(cp: number, affinity: 'forward' | 'backward' = 'forward'): DomPoint {
    const at = Math.min(Math.max(0, cp), this.length);
    if (this.runs.length === 0) return { node: this.container, offset: 0 };
    const run =
      (affinity === 'forward' ? this.runs.find((r) => r.start <= at && at < r.end) : this.runs.find((r) => r.start < at && at <= r.end)) ??
      (at === 0 ? this.runs[0] : this.runs[this.runs.length - 1]);
    return { node: run.node, offset: unitsOf(run.node.data, at - run.start) };
  }

  /** A DOM range over code points [start, end). */
  range(start: number, end: number): Range {
    const range = this.container.ownerDocument.createRange();
    const from = this.pointAt(start, 'forward');
    const to = this.pointAt(end, end > start ? 'backward' : 'forward');
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    return range;
  }

  /** The code-point offsets a DOM selection covers inside the text (null when it has none there). */
  selectionOffsets(selection: Selection): { anchor: number; focus: number } | null {
    if (selection.rangeCount === 0 || !selection.anchorNode || !selection.focusNode) return null;
    const range = selection.getRangeAt(0);
    if (!range.intersectsNode(this.container)) return null;
    const backwards = selection.anchorNode !== range.startContainer || selection.anchorOffset !== range.startOffset;
    const start = this.offsetOf(range.startContainer, range.startOffset, 'floor');
    const end = this.offsetOf(range.endContainer, range.endOffset, 'ceil');
    return backwards ? { anchor: end, focus: start } : { anchor: start, focus: end };
  }
}
