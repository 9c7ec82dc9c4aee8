/**
 * The keyboard caret drawn over the (read-only) text: a thin bar at a code-point offset, placed from
 * the characters' own layout rectangles, and the offset one line up or down for ↑ / ↓.
 */
import type { TextPositions } from './textPositions';

interface CaretBox {
  left: number;
  top: number;
  height: number;
}

/** Where a caret before code point `cp` stands (after the last one at the end), in viewport pixels. */
function caretBox(positions: TextPositions, cp: number, container: HTMLElement): CaretBox {
  const n = positions.length;
  if (n === 0) {
    const r = container.getBoundingClientRect();
    const height = parseFloat(getComputedStyle(container).lineHeight) || 24;
    return { left: r.left, top: r.top, height };
  }
  const before = cp < n;
  const at = before ? cp : n - 1;
  const rects = positions.range(at, at + 1).getClientRects();
  const rect = rects.length > 0 ? (before ? rects[0] : rects[rects.length - 1]) : positions.range(at, at + 1).getBoundingClientRect();
  return { left: before ? rect.left : rect.right, top: rect.top, height: rect.height };
}

export class TextCaret {
  readonly element: HTMLElement;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'caret';
    this.element.setAttribute('aria-hidden', 'true');
    this.element.hidden = true;
  }

  /** Draws the caret at `cp`, positioned inside `frame` (the text's positioned wrapper). */
  show(positions: TextPositions, cp: number, container: HTMLElement, frame: HTMLElement): void {
    const box = caretBox(positions, cp, container);
    const f = frame.getBoundingClientRect();
    this.element.style.setProperty('--caret-left', `${box.left - f.left}px`);
    this.element.style.setProperty('--caret-top', `${box.top - f.top}px`);
    this.element.style.setProperty('--caret-height', `${box.height}px`);
    this.element.hidden = false;
    // Restart the blink so the caret is visible right after it moves.
    this.element.classList.remove('moved');
    void this.element.offsetWidth;
    this.element.classList.add('moved');
  }

  hide(): void {
    this.element.hidden = true;
  }
}

/** The offset a line above (-1) or below (+1) the caret at `cp`, at the same x; the text's start or end past its edges. */
export function offsetOnNextLine(positions: TextPositions, cp: number, direction: -1 | 1, container: HTMLElement): number {
  const box = caretBox(positions, cp, container);
  const y = direction < 0 ? box.top - box.height / 2 : box.top + box.height * 1.5;
  const bounds = container.getBoundingClientRect();
  if (y < bounds.top) return 0;
  if (y > bounds.bottom) return positions.length;
  const point = container.ownerDocument.caretRangeFromPoint(box.left + 1, y);
  if (!point || !container.contains(point.startContainer)) return direction < 0 ? 0 : positions.length;
  return positions.offsetOf(point.startContainer, point.startOffset, 'floor');
}
