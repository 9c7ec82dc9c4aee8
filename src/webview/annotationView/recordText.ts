/**
 * Draws a record's text with its gold spans as highlights. Text from
 * the file only ever reaches the page through text nodes (never innerHTML); colours come in through
 * CSS custom properties set with the CSSOM, which the Content-Security-Policy allows.
 */
import { SUGGESTION_SOURCE_NAMES, type RecordView, type SuggestionView } from '../../common/lspProtocol';
import { segmentText } from './segments';

type Span = RecordView['spans'][number];

/**
 * Replaces the children of `container` with the text and its highlighted spans; pre-annotation's
 * suggestions are drawn apart (mark.suggestion: a dashed outline, no fill) where no label covers the
 * characters, and as a dashed outline on the label's highlight where one does.
 */
export function drawRecordText(container: HTMLElement, text: string, spans: readonly Span[], suggestions: readonly SuggestionView[] = []): void {
  const doc = container.ownerDocument;
  const fragment = doc.createDocumentFragment();
  for (const cut of segmentText(text, [...spans, ...suggestions])) {
    const suggested = cut.covering.filter((i) => i >= spans.length).map((i) => i - spans.length);
    const segment = { ...cut, covering: cut.covering.filter((i) => i < spans.length), opening: cut.opening.filter((i) => i < spans.length) };
    if (segment.covering.length === 0 && suggested.length === 0) {
      fragment.append(doc.createTextNode(segment.text));
      continue;
    }
    if (segment.covering.length === 0) {
      const mark = doc.createElement('mark');
      mark.className = 'suggestion';
      mark.style.setProperty('--span-color', suggestions[suggested[0]].color);
      mark.dataset.suggestions = suggested.join(' ');
      mark.title = suggested.map((i) => `Suggestion: ${describeSuggestion(suggestions[i])}`).join('\n');
      mark.append(doc.createTextNode(segment.text));
      fragment.append(mark);
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
    if (suggested.length > 0) {
      mark.classList.add('suggested');
      mark.dataset.suggestions = suggested.join(' ');
      mark.title += `\n${suggested.map((i) => `Suggestion: ${describeSuggestion(suggestions[i])}`).join('\n')}`;
    }
    mark.append(doc.createTextNode(segment.text));
    fragment.append(mark);
  }
  container.replaceChildren(fragment);
}

function describeSuggestion(s: SuggestionView): string {
  return `${s.entity} (${s.tag}) [${s.start}, ${s.end})${s.confidence === null ? '' : ` ${(s.confidence * 100).toFixed(0)}%`} · ${SUGGESTION_SOURCE_NAMES[s.source]}`;
}

/** The suggestions (indexes into the record's suggestions) that a highlight element shows. */
export function suggestionsOfMark(mark: HTMLElement): number[] {
  return (mark.dataset.suggestions ?? '')
    .split(' ')
    .filter((k) => k !== '')
    .map(Number);
}

/** Outlines the marks of the focused suggestion (by index; null: none). */
export function markFocusedSuggestion(container: HTMLElement, index: number | null): void {
  for (const mark of container.querySelectorAll<HTMLElement>('mark[data-suggestions]')) {
    mark.classList.toggle('focused-suggestion', index !== null && suggestionsOfMark(mark).includes(index));
  }
}

function describe(span: Span): string {
  const tag = span.tag && span.tag !== span.entity ? ` (${span.tag})` : '';
  return `${span.entity}${tag} [${span.start}, ${span.end})${span.normalized ? ` = ${span.normalized}` : ''}${span.overlaps ? ' — overlaps another label' : ''}`;
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
