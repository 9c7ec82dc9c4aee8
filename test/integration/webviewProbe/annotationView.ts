/**
 * The probe's side of the annotation view's page: what the page shows, read from its DOM (the record
 * it was last sent gives the labels' offsets and names), and the user's own ways of acting on it: a
 * selection, a key typed in the text, a click on a label or a button, a choice in the filter list.
 */
import type { RecordFilter, RecordView } from '../../../src/common/lspProtocol';
import type { HostToWebview, PageKey } from '../../../src/webview/annotationView/messages';
import { spansOfMark, suggestionsOfMark } from '../../../src/webview/annotationView/recordText';
import { TextPositions } from '../../../src/webview/annotationView/textPositions';
import type { RenderReport, RenderedSpan, RenderedSuggestion } from '../webviewProbeProtocol';

type Span = RecordView['spans'][number];
type Suggestion = NonNullable<RecordView['suggestions']>[number];

/** What the page was last sent to draw (it draws every record and status line it is sent). */
const shown = {
  pageId: Math.random().toString(36).slice(2, 10),
  sequence: 0,
  kind: 'status' as RenderReport['kind'],
  record: null as RecordView | null,
};

/** Follows what the host tells the page to draw. */
export function observe(message: HostToWebview): void {
  if (message.type !== 'record' && message.type !== 'empty' && message.type !== 'status') return;
  shown.sequence++;
  shown.kind = message.type;
  shown.record = message.type === 'record' ? message.record : null;
}

const find = <T extends HTMLElement = HTMLElement>(selector: string): T | null => document.querySelector<T>(selector);
const textOf = (selector: string): string => find(selector)?.textContent ?? '';
const textView = (): HTMLElement | null => find('.text-frame > .record-text');
/** Yields to the page's own handlers (a selectionchange, a click's deferred work). */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

/** The characters the marks matching `selector` cover, by the index each mark names (in index order). */
function coveredText(container: HTMLElement, selector: string, indexes: (mark: HTMLElement) => number[]): [number, string][] {
  const covered = new Map<number, string>();
  for (const mark of container.querySelectorAll<HTMLElement>(selector)) {
    for (const i of indexes(mark)) covered.set(i, (covered.get(i) ?? '') + (mark.textContent ?? ''));
  }
  return [...covered.entries()].sort(([a], [b]) => a - b);
}

/** The spans as they stand in the DOM: each one's offsets and the characters its highlights cover. */
function readBackSpans(container: HTMLElement, spans: readonly Span[]): RenderedSpan[] {
  return coveredText(container, 'mark.span', spansOfMark).map(([i, text]) => {
    const { labelIndex, start, end, entity, tag } = spans[i];
    return { labelIndex, start, end, entity, tag, text };
  });
}

/** The suggestions as they stand in the DOM: each one's offsets and the characters its marks cover. */
function readBackSuggestions(container: HTMLElement, suggestions: readonly Suggestion[]): RenderedSuggestion[] {
  return coveredText(container, 'mark[data-suggestions]', suggestionsOfMark).map(([i, text]) => {
    const { key, start, end, entity, tag, source } = suggestions[i];
    return { key, start, end, entity, tag, source, text };
  });
}

/** The one index every marked element shares (the focused label's or suggestion's), or null. */
function sharedIndex(marks: HTMLElement[], indexes: (mark: HTMLElement) => number[]): number | null {
  if (marks.length === 0) return null;
  const common = marks.map(indexes).reduce((a, b) => a.filter((i) => b.includes(i)));
  return common[0] ?? null;
}

/** The DOM's selection inside the text, mapped back to code points. */
function domSelection(positions: TextPositions): RenderReport['selection'] {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed) return null;
  const offsets = positions.selectionOffsets(selection);
  if (!offsets || offsets.anchor === offsets.focus) return null;
  return { start: Math.min(offsets.anchor, offsets.focus), end: Math.max(offsets.anchor, offsets.focus), text: selection.toString() };
}

/** The offset the drawn caret stands before (null while it is hidden): where its bar meets a character's edge. */
function caretOffset(positions: TextPositions, frame: HTMLElement): number | null {
  const caret = find('.caret');
  if (!caret || caret.hidden) return null;
  const f = frame.getBoundingClientRect();
  const left = parseFloat(caret.style.getPropertyValue('--caret-left')) + f.left;
  const top = parseFloat(caret.style.getPropertyValue('--caret-top')) + f.top;
  const n = positions.length;
  if (n === 0) return 0;
  for (let cp = 0; cp <= n; cp++) {
    const rects = positions.range(Math.min(cp, n - 1), Math.min(cp, n - 1) + 1).getClientRects();
    if (rects.length === 0) continue;
    const rect = cp < n ? rects[0] : rects[rects.length - 1];
    const x = cp < n ? rect.left : rect.right;
    if (Math.abs(x - left) < 0.5 && Math.abs(rect.top - top) < 0.5) return cp;
  }
  return null;
}

/** The toolkit's elements are defined and their own styles apply (its button's .control is border-box). */
function toolkitStyled(): boolean {
  const control = find('#next')?.shadowRoot?.querySelector('.control');
  return (
    ['vscode-button', 'vscode-text-field', 'vscode-dropdown', 'vscode-option'].every((t) => customElements.get(t) !== undefined) &&
    control instanceof HTMLElement &&
    getComputedStyle(control).boxSizing === 'border-box'
  );
}

function compareReport(record: RecordView | null): RenderReport['compare'] {
  const section = find('section.compare');
  if (!section || section.hidden || !record) return null;
  const who = [...section.querySelectorAll('.compare-pane-title')].map((t) => /^[AB] · (.*) \(\d+ labels?\)$/.exec(t.textContent ?? '')?.[1] ?? '');
  const panes = [...section.querySelectorAll<HTMLElement>('.pane-text')].map((pane, i) => {
    const own = record.spans.filter((s) => s.annotator === who[i] || s.annotator === undefined);
    return readBackSpans(pane, own).map((s) => `${s.entity} ${s.text} [${s.start}, ${s.end})`);
  });
  return {
    a: who[0],
    b: who[1],
    differences: [...section.querySelectorAll('li.difference .difference-text')].map((e) => e.textContent ?? ''),
    agreements: Number(/^(\d+) /.exec(textOf('section.compare .agreements'))?.[1] ?? 0),
    panes: [panes[0], panes[1]],
  };
}

function modelReport(record: RecordView | null): RenderReport['model'] {
  const section = find('section.model-spans');
  const model = record?.model;
  if (!section || section.hidden || !model) return null;
  return {
    name: model.name,
    spans: [...section.querySelectorAll('.model-span')].map((chip, i) => ({
      entity: model.spans[i].entity,
      value: model.spans[i].value,
      agrees: chip.classList.contains('agrees'),
    })),
    disagreements: [...section.querySelectorAll('.model-disagreements li')].map((li) => li.textContent ?? ''),
  };
}

function suggestionBarReport(): RenderReport['suggestionBar'] {
  const bar = find('section.suggestions');
  if (!bar || bar.hidden) return null;
  const source = find('.suggestion-source');
  return {
    summary: textOf('.suggestion-summary'),
    source: !source || source.hidden ? '' : (source.textContent ?? ''),
    buttons: [...bar.querySelectorAll<HTMLButtonElement>('.suggestion-action')].map((b) => ({ label: b.textContent ?? '', enabled: !b.disabled && !b.hidden })),
  };
}

/** What is on screen, read from the DOM; null before the page drew anything. */
export function readAnnotationView(): RenderReport | null {
  if (shown.sequence === 0) return null;
  const { kind, record } = shown;
  const text = textView();
  const frame = find('.text-frame');
  const drawn = kind === 'record' && record !== null && record.text !== null && text !== null && frame !== null;
  const positions = drawn ? TextPositions.of(text) : null;
  const focusedMarks = drawn ? [...text.querySelectorAll<HTMLElement>('mark.span.focused')] : [];
  const focusedIndex = sharedIndex(focusedMarks, spansOfMark);
  const focused = focusedIndex === null || !record ? undefined : record.spans[focusedIndex];
  const menu = find('.span-menu');
  const suggestionMarks = drawn ? [...text.querySelectorAll<HTMLElement>('mark.focused-suggestion')] : [];
  const focusedSuggestion = sharedIndex(suggestionMarks, suggestionsOfMark);
  const status = find('.content > p.status');
  const filterNote = find('p.filter-note');
  const content = drawn ? (text.textContent ?? '') : null;
  return {
    kind,
    pageId: shown.pageId,
    sequence: shown.sequence,
    index: record?.index ?? 0,
    total: record?.total ?? 0,
    id: record?.id ?? null,
    line: record?.line ?? null,
    version: record?.version ?? null,
    text: content,
    textLength: content === null ? 0 : Array.from(content).length,
    spans: drawn ? readBackSpans(text, record.spans) : [],
    spanTitles: drawn ? [...text.querySelectorAll<HTMLElement>('mark.span')].map((m) => m.title) : [],
    problems: [...document.querySelectorAll('.problems-list li')].map((li) => li.textContent ?? ''),
    header: textOf('.toolbar .position'),
    status: !status || status.hidden ? '' : (status.textContent ?? ''),
    stylesApplied: getComputedStyle(document.documentElement).getPropertyValue('--finlabel-annotation-view').trim() === '1',
    toolkitReady: toolkitStyled(),
    selection: positions ? domSelection(positions) : null,
    caret: positions && frame ? caretOffset(positions, frame) : null,
    focusedSpan:
      focused && menu
        ? {
            labelIndex: focused.labelIndex,
            start: focused.start,
            end: focused.end,
            entity: focused.entity,
            menu: menu.hidden ? '' : textOf('.span-menu-title'),
          }
        : null,
    textFocused: text !== null && document.activeElement === text,
    filter: (find<HTMLInputElement>('#filter')?.value as RecordFilter) || (record?.filter.kind ?? 'all'),
    shownFilter: record?.filter.kind ?? null,
    filterInfo: textOf('.filter-info'),
    filterNote: !filterNote || filterNote.hidden ? '' : (filterNote.textContent ?? ''),
    progress: textOf('.progress'),
    legend: [...document.querySelectorAll('.legend .type-chip')].map(
      (b) => `${b.querySelector('.type-key')?.textContent ?? ''} ${b.querySelector('.type-name')?.textContent ?? ''}`,
    ),
    notice: textOf('p.notice'),
    canPrevious: find<HTMLButtonElement>('#previous')?.disabled === false,
    canNext: find<HTMLButtonElement>('#next')?.disabled === false,
    canCompare: find('#compare')?.hidden === false,
    suggestions: drawn ? readBackSuggestions(text, record.suggestions ?? []) : [],
    focusedSuggestion: drawn && focusedSuggestion !== null && suggestionBarReport() !== null ? (record.suggestions?.[focusedSuggestion]?.key ?? null) : null,
    suggestionBar: suggestionBarReport(),
    compare: compareReport(record),
    model: modelReport(record),
  };
}

/** Selects code points [start, end) of the text, as a mouse drag does. */
export async function select(start: number, end: number): Promise<boolean> {
  const text = textView();
  if (!text || !shown.record || shown.record.text === null) return false;
  text.focus({ preventScroll: true });
  await settle();
  const positions = TextPositions.of(text);
  const from = positions.pointAt(start, start < end ? 'forward' : 'backward');
  const to = positions.pointAt(end, end > start ? 'backward' : 'forward');
  document.getSelection()?.setBaseAndExtent(from.node, from.offset, to.node, to.offset);
  await settle();
  return true;
}

/** Types a key in the text (the focus moves on from it after a Tab the page lets through, as it does from the keyboard). */
export async function pressKey(key: PageKey): Promise<boolean> {
  const text = textView();
  if (!text || !shown.record || shown.record.text === null) return false;
  text.focus({ preventScroll: true });
  const event = new KeyboardEvent('keydown', { key: key.key, shiftKey: key.shift === true, altKey: key.alt === true, bubbles: true, cancelable: true });
  text.dispatchEvent(event);
  if (!event.defaultPrevented && key.key === 'Tab') text.blur();
  await settle();
  return true;
}

/** Resolves at the page's next selectionchange (or after a while, when none comes). */
function selectionChanged(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      document.removeEventListener('selectionchange', done);
      resolve();
    };
    document.addEventListener('selectionchange', done);
    setTimeout(done, 500);
  });
}

/** The label the page has focused (its highlights are outlined), as an index into the record's spans. */
const focusedLabel = (text: HTMLElement): number | null => sharedIndex([...text.querySelectorAll<HTMLElement>('mark.span.focused')], spansOfMark);

/** Clicks label `labelIndex` (again while another label that overlaps it there takes the click). */
export async function focusSpan(labelIndex: number): Promise<boolean> {
  const text = textView();
  const record = shown.record;
  if (!text || !record) return false;
  const isFocused = (): boolean => {
    const focused = focusedLabel(text);
    return focused !== null && record.spans[focused].labelIndex === labelIndex;
  };
  const marks = [...text.querySelectorAll<HTMLElement>('mark.span')]
    .filter((m) => spansOfMark(m).some((i) => record.spans[i].labelIndex === labelIndex))
    .sort((a, b) => spansOfMark(a).length - spansOfMark(b).length);
  const mark = marks[0];
  if (!mark) return false;
  // A click, not a drag: the mouse press lets go of any selection.
  const selection = document.getSelection();
  if (selection && !selection.isCollapsed) {
    const changed = selectionChanged();
    selection.collapse(mark.firstChild ?? mark, 0);
    await changed;
  }
  for (let clicks = 0; clicks <= spansOfMark(mark).length && !isFocused(); clicks++) {
    const before = focusedLabel(text);
    mark.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, cancelable: true }));
    // The page handles the click once the selection settled (a timer after mouseup).
    for (let waited = 0; waited < 1_000 && focusedLabel(text) === before; waited += 20) await settle();
  }
  return isFocused();
}

/** Chooses `filter` in the toolbar's list. */
export async function chooseFilter(filter: RecordFilter): Promise<boolean> {
  const dropdown = find<HTMLInputElement>('#filter');
  if (!dropdown) return false;
  dropdown.value = filter;
  dropdown.dispatchEvent(new Event('change'));
  await settle();
  return true;
}

/** Presses Compare annotators (or Close comparison) when the comparison is not already as asked. */
export async function showComparison(on: boolean): Promise<boolean> {
  const button = find('#compare');
  if (!button || button.hidden) return false;
  if ((button.getAttribute('aria-pressed') === 'true') !== on) button.click();
  await settle();
  return true;
}

/** Clicks the `index`-th element matching `selector`, as the mouse would. */
export async function click(selector: string, index = 0): Promise<boolean> {
  const element = document.querySelectorAll<HTMLElement>(selector)[index];
  if (!element) return false;
  element.click();
  await settle();
  return true;
}
