/**
 * Draws a record's text with its gold spans as highlights, and reads back what was drawn. Text from
 * the file only ever reaches the page through text nodes (never innerHTML); colours come in through
 * CSS custom properties set with the CSSOM, which the Content-Security-Policy allows.
 */
import type { RecordView } from '../../common/lspProtocol';
import type { RenderedSpan } from './messages';
import { segmentText } from './segments';

type Span = RecordView['spans'][number];

/** Replaces the children of `container` with the text and its highlighted spans. */
export function drawRecordText(container: HTMLElement, text: string, spans: readonly Span[]): void {
  const doc = container.ownerDocument;
  const fragment = doc.createDocumentFragment();
  for (const segment of segmentText(text, spans)) {
    if (segment.covering.length === 0) {
      fragment.append(doc.createTextNode(segment.text));
      continue;
    }
    const mark = doc.createElement('mark');
    mark.className = 'span';
    const first = spans[segment.covering[0]];
    mark.style.setProperty('--span-color', first.color);
    if (segment.covering.length > 1) {
      mark.classList.add('overlap');
      mark.style.setProperty('--span-color-2', spans[segment.covering[1]].color);
    }
    if (segment.covering.some((i) => spans[i].overlaps)) mark.classList.add('overlaps');
    if (segment.opening.length > 0) {
      mark.classList.add('opens');
      // Shown by CSS (::before { content: attr(data-label) }), so the label is no part of the text:
      // selecting and copying in the view yields the record's characters only.
      mark.dataset.label = [...new Set(segment.opening.map((i) => spans[i].entity))].join(' · ');
    }
    if (segment.covering.some((i) => spans[i].end === segment.end)) mark.classList.add('closes');
    mark.dataset.spans = segment.covering.join(' ');
    mark.title = segment.covering.map((i) => describe(spans[i])).join('\n');
    mark.append(doc.createTextNode(segment.text));
    fragment.append(mark);
  }
  container.replaceChildren(fragment);
}

function describe(span: Span): string {
  const tag = span.tag && span.tag !== span.entity ? ` (${span.tag})` : '';
  return `${span.entity}${tag} [${span.start}, ${span.end})${span.overlaps ? ' — overlaps another label' : ''}`;
}

/** The spans as they stand in the DOM: each one's offsets and the characters its highlights cover. */
export function readBackSpans(container: HTMLElement, spans: readonly Span[]): RenderedSpan[] {
  const covered = new Map<number, string>();
  for (const mark of container.querySelectorAll<HTMLElement>('mark.span')) {
    for (const key of (mark.dataset.spans ?? '').split(' ')) {
      const i = Number(key);
      covered.set(i, (covered.get(i) ?? '') + (mark.textContent ?? ''));
    }
  }
  return [...covered.entries()]
    .sort(([a], [b]) => a - b)
    .map(([i, text]) => ({ labelIndex: spans[i].labelIndex, start: spans[i].start, end: spans[i].end, entity: spans[i].entity, tag: spans[i].tag, text }));
}

/** The spans (indexes into `spans`) that a highlight element covers. */
export function spansOfMark(mark: HTMLElement): number[] {
  return (mark.dataset.spans ?? '')
    .split(' ')
    .filter((k) => k !== '')
    .map(Number);
}

/** Outlines the highlights of the focused label (by label index; null: none). */
export function markFocused(container: HTMLElement, spans: readonly Span[], labelIndex: number | null): HTMLElement[] {
  const marks: HTMLElement[] = [];
  for (const mark of container.querySelectorAll<HTMLElement>('mark.span')) {
    const on = labelIndex !== null && spansOfMark(mark).some((i) => spans[i].labelIndex === labelIndex);
    mark.classList.toggle('focused', on);
    if (on) marks.push(mark);
  }
  return marks;
}
