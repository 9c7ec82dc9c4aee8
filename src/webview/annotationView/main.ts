/**
 * The annotation view's page: one record at a time in large text with its gold spans highlighted,
 * and the editing of its labels. Select characters with the mouse (or the keyboard caret with
 * Shift+arrows) and press a type's key to label them; click a label (or Tab to it) to change its
 * type with a digit or remove it with Delete. A toolbar moves between records (through a filter)
 * and shows the progress.
 *
 * The page never edits anything itself: it asks the extension (`edit`), which gets the minimal
 * TextEdit from the language server and applies it to the TextDocument, and the record comes back
 * redrawn.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeTextField,
  type Button,
  type Dropdown,
  type TextField,
} from '@vscode/webview-ui-toolkit';
import {
  RECORD_FILTERS,
  type LabelTypeView,
  type RecordFilter,
  type RecordLabelOperation,
  type RecordView,
  type SuggestionSource,
} from '../../common/lspProtocol';
import { ModelSpansPanel } from './modelSpans';
import type { HostToWebview, NavigationTarget, PageKey, StatusKind, WebviewToHost } from './messages';
import { ComparePanel } from './comparePanel';
import { drawRecordText, markFocused, markFocusedSuggestion, spansOfMark, suggestionsOfMark } from './recordText';
import { NO_SUGGESTIONS, SuggestionBar } from './suggestionBar';
import { SelectionState } from './selectionState';
import { SpanMenu } from './spanMenu';
import { TextCaret, offsetOnNextLine } from './textCaret';
import { TextPositions } from './textPositions';
import { drawLegend } from './typeButtons';
import './annotationView.css';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: PersistedState): void;
}
interface PersistedState {
  index: number;
  filter: RecordFilter;
}
declare function acquireVsCodeApi(): VsCodeApi;

type Span = RecordView['spans'][number];

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeTextField(), vsCodeDropdown(), vsCodeOption());

const vscode = acquireVsCodeApi();

const FILTER_LABELS: Record<RecordFilter, string> = {
  all: 'All records',
  unlabelled: 'Unlabelled',
  problems: 'Has problems',
  uncertain: 'Most uncertain first (unlabelled)',
  disagrees: 'Disagrees with the model',
};
/** How the toolbar's messages name the records a filter keeps ("No more … records that way."). */
const FILTER_NOUNS: Record<RecordFilter, string> = {
  all: '',
  unlabelled: 'unlabelled',
  problems: 'records with problems',
  uncertain: 'uncertain unlabelled',
  disagrees: 'records where the model disagrees',
};
const filterNoun = (f: RecordFilter): string => (f === 'unlabelled' || f === 'uncertain' ? `${FILTER_NOUNS[f]} records` : FILTER_NOUNS[f]);

const HELP =
  'Select characters (mouse, or Shift+arrows in the text) and press a type’s key to label them. ' +
  'Click a label or Tab to it: a digit changes its type, Delete removes it, Esc lets go. ' +
  'Arrows move the caret; Page Up / Page Down (or Alt+←/→) change record; Ctrl+Z undoes. ' +
  'Suggestions (dashed outlines: strings labelled elsewhere in the dataset, and the model’s after Pre-annotate): Enter accepts the outlined one, Backspace rejects it, ' +
  'Shift+Backspace rejects all of the record; Ctrl+Z brings the last rejection back.';

/** Creates an element with a class and optional text (set as text, never parsed as HTML). */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Creates one of the toolkit's custom elements (not in the DOM's tag map). */
function toolkitElement<T extends HTMLElement>(tag: 'vscode-button' | 'vscode-text-field' | 'vscode-dropdown' | 'vscode-option', className: string): T {
  const e = document.createElement(tag) as T;
  e.className = className;
  return e;
}

// ---- page skeleton -------------------------------------------------------------------------------

const toolbar = el('header', 'toolbar');
const previousButton = toolkitElement<Button>('vscode-button', 'nav');
previousButton.id = 'previous';
previousButton.textContent = 'Previous';
previousButton.setAttribute('appearance', 'secondary');
previousButton.title = 'Previous record that the filter keeps (Page Up, or ← outside the text; Home: first)';
const nextButton = toolkitElement<Button>('vscode-button', 'nav');
nextButton.id = 'next';
nextButton.textContent = 'Next';
nextButton.title = 'Next record that the filter keeps (Page Down, or → outside the text; End: last)';
const position = el('span', 'position');
position.setAttribute('role', 'status');
position.setAttribute('aria-live', 'polite');
const recordId = el('span', 'record-id');
const recordLine = el('span', 'record-line');
const spacer = el('span', 'spacer');
const filterDropdown = toolkitElement<Dropdown>('vscode-dropdown', 'filter');
filterDropdown.id = 'filter';
filterDropdown.setAttribute('aria-label', 'Show records');
filterDropdown.title = 'Which records Previous / Next step through';
for (const f of RECORD_FILTERS) {
  const option = toolkitElement<HTMLElement>('vscode-option', '');
  option.setAttribute('value', f);
  option.textContent = FILTER_LABELS[f];
  filterDropdown.append(option);
}
const filterInfo = el('span', 'filter-info');
/** What a model filter covers (which model, how many records), or why it keeps none. */
const filterNote = el('p', 'filter-note');
filterNote.hidden = true;
const progress = el('span', 'progress');
progress.title = 'Records with at least one label, of all records';
const compareButton = toolkitElement<Button>('vscode-button', 'compare-toggle');
compareButton.id = 'compare';
compareButton.textContent = 'Compare annotators';
compareButton.setAttribute('appearance', 'secondary');
compareButton.title = "Show the two annotators' labels side by side and settle where they differ";
compareButton.hidden = true;
const gotoField = toolkitElement<TextField>('vscode-text-field', 'goto');
gotoField.id = 'goto';
gotoField.setAttribute('placeholder', 'Go to…');
gotoField.setAttribute('aria-label', 'Go to record number');
gotoField.setAttribute('inputmode', 'numeric');
gotoField.setAttribute('size', '8');
toolbar.append(previousButton, nextButton, position, recordId, recordLine, spacer, compareButton, filterDropdown, filterInfo, progress, gotoField);

const legend = el('div', 'legend');
legend.setAttribute('role', 'toolbar');
legend.setAttribute('aria-label', 'Label types');
const help = el('p', 'help', HELP);
help.id = 'help';

const main = el('main', 'content');
const statusLine = el('p', 'status');
statusLine.hidden = true;
const notice = el('p', 'notice');
notice.setAttribute('role', 'status');
notice.setAttribute('aria-live', 'polite');
const textFrame = el('div', 'text-frame');
const textView = el('div', 'record-text');
textView.lang = 'zh-CN';
textView.tabIndex = 0;
textView.setAttribute('role', 'textbox');
textView.setAttribute('aria-readonly', 'true');
textView.setAttribute('aria-multiline', 'true');
textView.setAttribute('aria-label', 'Record text');
textView.setAttribute('aria-describedby', 'help');
textView.title = HELP;
const caret = new TextCaret();
const menu = new SpanMenu({
  retype: (span, type) => retype(span, type),
  remove: (span) => remove(span),
});
textFrame.append(textView, caret.element, menu.element);
const compare = new ComparePanel({
  settle: (keep, remove, what) => {
    setNotice(what);
    requestEdit({ kind: 'adjudicate', keep, remove });
  },
  edit: (span) => {
    setCompare(false);
    textView.focus({ preventScroll: true });
    state.focus(span);
    drawSelection();
  },
});
const suggestionBar = new SuggestionBar({
  accept: (s) => acceptSuggestion(s),
  reject: (s) => rejectSuggestion(s),
  acceptAll: () => acceptAllSuggestions(),
  rejectAll: () => rejectAllSuggestions(),
});
const problemsSection = el('section', 'problems');
problemsSection.hidden = true;
const problemsHeading = el('h2', 'problems-heading');
const problemsList = el('ul', 'problems-list');
problemsSection.append(problemsHeading, problemsList);
const modelSpans = new ModelSpansPanel();
main.append(statusLine, notice, textFrame, suggestionBar.element, compare.element, modelSpans.element, problemsSection);
document.body.append(toolbar, filterNote, legend, help, main);

// ---- state ---------------------------------------------------------------------------------------

/** The record on screen, or null when none is (empty document, waiting, closed). */
let current: RecordView | null = null;
let positions: TextPositions | null = null;
const state = new SelectionState();
let filter: RecordFilter = 'all';
/** The user asked for the comparison; it shows on records with two annotators. */
let compareWanted = false;
/**
 * The annotators compared on a record. Kept while the record stays on screen and either still has
 * labels, so settling one side's last labels does not end the comparison with the other side's left.
 */
let pair: { line: number; id: string | null; a: string; b: string } | null = null;
/** Set while the page itself moves the DOM selection, so its selectionchange is not read back as the user's. */
let settingSelection = false;
const restored = vscode.getState() as Partial<PersistedState> | undefined;
if (restored?.filter && RECORD_FILTERS.includes(restored.filter)) filter = restored.filter;
filterDropdown.value = filter;

function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}

function saveState(): void {
  vscode.setState({ index: current?.index ?? 0, filter });
}

// ---- drawing -------------------------------------------------------------------------------------

function setNavigation(record: RecordView | null): void {
  previousButton.disabled = record === null || record.filter.previous === null;
  nextButton.disabled = record === null || record.filter.next === null;
  gotoField.disabled = record === null;
}

function showRecord(record: RecordView): void {
  const sameRecord = current !== null && current.line === record.line && current.index === record.index && current.text === record.text;
  current = record;
  filter = record.filter.kind;
  if (filterDropdown.value !== filter) filterDropdown.value = filter;
  saveState();
  position.textContent = `Record ${record.index + 1} / ${record.total}`;
  recordId.textContent = record.id ?? 'no id';
  recordId.classList.toggle('missing', record.id === null);
  recordLine.textContent = `line ${record.line + 1}`;
  progress.textContent = `${record.labelled} / ${record.total} labelled`;
  filterInfo.textContent = describeFilter(record);
  filterNote.textContent = record.filter.note ?? '';
  filterNote.hidden = record.filter.note === undefined;
  setNavigation(record);
  document.title = `Record ${record.index + 1} / ${record.total}`;
  drawLegend(legend, record.types, (type) => applyType(type));
  // A filter that keeps nothing says so on every render: a refresh without a direction (after an edit or
  // new suggestions) is not "exhausted", and must not leave the page looking as if it had not answered.
  if (record.filter.matching === 0 && (record.filter.exhausted || record.filter.kind !== 'all')) setNotice(`No ${filterNoun(record.filter.kind)}.`);
  else if (record.filter.exhausted) setNotice(`No more ${filterNoun(record.filter.kind)} that way.`);

  if (record.text === null) {
    statusLine.textContent = 'This line is not a valid record; its problems are listed below.';
    statusLine.hidden = false;
    textFrame.hidden = true;
    textView.replaceChildren();
    positions = null;
    state.reset(0);
  } else {
    statusLine.hidden = true;
    textFrame.hidden = false;
    textView.classList.toggle('empty-text', record.text.length === 0);
    drawRecordText(textView, record.text, record.spans, record.suggestions ?? []);
    positions = TextPositions.of(textView);
    if (sameRecord) state.keep(positions.length, record.spans);
    else state.reset(positions.length);
  }
  // An invalid line of a pre-annotated document has no suggestions to show; the bar says so.
  suggestionBar.show(record.text === null && record.suggestions ? [] : record.suggestions, sameRecord, record.text ?? '');
  modelSpans.show(record.model);
  drawProblems(record.problems);
  drawCompare();
  drawSelection();
}

/** The two annotators to compare on the record, or null when it has no two to compare. */
function comparedPair(record: RecordView | null): [string, string] | null {
  if (!record || record.text === null) return null;
  const present = new Set(record.annotators);
  if (pair && pair.line === record.line && pair.id === record.id && (present.has(pair.a) || present.has(pair.b))) return [pair.a, pair.b];
  if (record.annotators.length < 2) return null;
  const [a, b] = record.annotators;
  pair = { line: record.line, id: record.id, a, b };
  return [a, b];
}

/** The comparison instead of the text while it is wanted and the record has two annotators. */
function drawCompare(): void {
  const compared = comparedPair(current);
  compareButton.hidden = compared === null;
  compareButton.setAttribute('aria-pressed', String(compareWanted && compared !== null));
  compareButton.textContent = compareWanted && compared ? 'Close comparison' : 'Compare annotators';
  if (current && compared && compareWanted) {
    compare.show(current, ...compared);
    textFrame.hidden = true;
  } else {
    compare.hide();
    textFrame.hidden = current === null || current.text === null;
  }
}

function setCompare(on: boolean): void {
  compareWanted = on;
  drawCompare();
  drawSelection();
}

function describeFilter(record: RecordView): string {
  if (record.filter.kind === 'all') return '';
  const here = record.filter.matches ? '' : ' (not this one)';
  return `${record.filter.matching} ${record.filter.matching === 1 ? 'match' : 'matches'}${here}`;
}

function drawProblems(problems: readonly string[]): void {
  problemsSection.hidden = problems.length === 0;
  problemsHeading.textContent = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  problemsList.replaceChildren(...problems.map((p) => el('li', 'problem', p)));
}

function showNothing(kind: 'empty' | 'status', message: string, statusKind?: StatusKind): void {
  current = null;
  positions = null;
  state.reset(0);
  position.textContent = kind === 'empty' ? 'Record 0 / 0' : '';
  recordId.textContent = '';
  recordLine.textContent = '';
  progress.textContent = '';
  filterInfo.textContent = '';
  filterNote.hidden = true;
  setNavigation(null);
  statusLine.textContent = message;
  statusLine.hidden = false;
  statusLine.dataset.kind = statusKind ?? kind;
  textFrame.hidden = true;
  textView.replaceChildren();
  suggestionBar.show(undefined, false, '');
  drawProblems([]);
  drawCompare();
  drawSelection();
}

function setNotice(message: string): void {
  notice.textContent = message;
}

/** The focused span of the current record, if any. */
function focusedSpan(): Span | undefined {
  return current?.spans.find((s) => s.labelIndex === state.focused);
}

/** Puts the selection, the caret, the focused label's outline and its menu where the state says. */
function drawSelection(): void {
  if (!current || !positions || current.text === null) {
    caret.hide();
    menu.hide();
    return;
  }
  const marks = markFocused(textView, current.spans, state.focused);
  markFocusedSuggestion(textView, suggestionBar.focusedIndex);
  const sel = state.selection;
  const domSelection = document.getSelection();
  if (domSelection) {
    settingSelection = true;
    if (sel) {
      const from = positions.pointAt(state.anchor, state.anchor < state.caret ? 'forward' : 'backward');
      const to = positions.pointAt(state.caret, state.caret > state.anchor ? 'backward' : 'forward');
      domSelection.setBaseAndExtent(from.node, from.offset, to.node, to.offset);
    } else if (domSelection.rangeCount > 0 && textView.contains(domSelection.anchorNode)) {
      domSelection.removeAllRanges();
    }
    // selectionchange fires asynchronously: let it pass before reading selections again.
    setTimeout(() => (settingSelection = false), 0);
  }
  const span = focusedSpan();
  // The caret shows where typing keys act: hidden while a selection or a focused label is what they act on.
  if (document.activeElement === textView && !sel && !span) caret.show(positions, state.caret, textView, textFrame);
  else caret.hide();
  if (span && marks.length > 0 && current.text !== null) {
    const covering = current.spans.filter((s) => s.start < span.end && span.start < s.end && s !== span).length;
    menu.show(span, Array.from(current.text).slice(span.start, span.end).join(''), current.types, marks[0], textFrame, covering);
    marks[0].scrollIntoView({ block: 'nearest' });
  } else {
    menu.hide();
  }
}

// ---- editing -------------------------------------------------------------------------------------

/** `accepted`: the edit accepts suggestions of these sources (the extension counts them once it is applied). */
function requestEdit(op: RecordLabelOperation, accepted?: SuggestionSource[]): void {
  if (!current) return;
  post({ type: 'edit', version: current.version, line: current.line, op, ...(accepted ? { accepted } : {}) });
}

/** A type chosen (its key, the legend, the menu): labels the selection, else retypes the focused label. */
function applyType(type: LabelTypeView): void {
  const sel = state.selection;
  const span = focusedSpan();
  if (sel) {
    setNotice(`Labelling “${selectedText(sel.start, sel.end)}” as ${type.name}…`);
    requestEdit({ kind: 'add', start: sel.start, end: sel.end, entity: type.name });
  } else if (span) {
    retype(span, type);
  } else {
    setNotice('Select characters, or click a label, first.');
  }
}

function retype(span: Span, type: LabelTypeView): void {
  if (span.entity === type.name) {
    setNotice(`That label is already ${type.name}.`);
    return;
  }
  setNotice(`Changing ${span.entity} to ${type.name}…`);
  requestEdit({ kind: 'retype', labelIndex: span.labelIndex, entity: type.name });
}

function remove(span: Span): void {
  setNotice(`Removing ${span.entity}…`);
  state.clear();
  state.moveTo(span.start, false);
  requestEdit({ kind: 'remove', labelIndex: span.labelIndex });
  drawSelection();
}

function acceptSuggestion(s: NonNullable<RecordView['suggestions']>[number]): void {
  setNotice(`Accepting ${s.entity} “${selectedText(s.start, s.end)}”…`);
  requestEdit({ kind: 'add', start: s.start, end: s.end, entity: s.entity }, [s.source]);
}

function rejectSuggestion(s: NonNullable<RecordView['suggestions']>[number]): void {
  const what = `${s.entity} “${selectedText(s.start, s.end)}”`;
  setNotice(`Rejected ${what}. Ctrl+Z brings it back.`);
  post({ type: 'rejectSuggestions', keys: [s.key], sources: [s.source], all: false, description: what });
}

/** Reject all: every suggestion of the record, as one step that one Ctrl+Z undoes. */
function rejectAllSuggestions(): void {
  const all = suggestionBar.all;
  if (all.length === 0) return;
  const what = `${all.length} suggestion${all.length === 1 ? '' : 's'} of this record`;
  setNotice(`Rejected ${what}. Ctrl+Z brings ${all.length === 1 ? 'it' : 'them'} back.`);
  post({ type: 'rejectSuggestions', keys: all.map((s) => s.key), sources: all.map((s) => s.source), all: true, description: what });
}

function acceptAllSuggestions(): void {
  const all = suggestionBar.all;
  if (all.length === 0) return;
  setNotice(`Accepting ${all.length} suggestion${all.length === 1 ? '' : 's'}…`);
  requestEdit(
    { kind: 'addMany', labels: all.map((s) => ({ start: s.start, end: s.end, entity: s.entity })) },
    all.map((s) => s.source),
  );
}

function selectedText(start: number, end: number): string {
  return current?.text === null || !current ? '' : Array.from(current.text).slice(start, end).join('');
}

// ---- keyboard and mouse in the text --------------------------------------------------------------

/** Handles a key typed in the text; returns false when the page should let it through. */
function handleTextKey(key: PageKey): boolean {
  if (!current || !positions) return false;
  const extend = key.shift === true;
  switch (key.key) {
    case 'ArrowLeft':
    case 'ArrowRight':
      if (key.alt) {
        navigate(key.key === 'ArrowLeft' ? 'previous' : 'next');
        return true;
      }
      state.moveBy(key.key === 'ArrowLeft' ? -1 : 1, extend);
      break;
    case 'ArrowUp':
    case 'ArrowDown':
      state.moveTo(offsetOnNextLine(positions, state.caret, key.key === 'ArrowUp' ? -1 : 1, textView), extend);
      break;
    case 'Home':
      state.moveTo(0, extend);
      break;
    case 'End':
      state.moveTo(positions.length, extend);
      break;
    case 'Tab':
      if (!state.focusNext(current.spans, extend)) {
        drawSelection();
        return false;
      }
      break;
    case 'Enter': {
      const suggestion = suggestionBar.focused;
      if (!suggestion || state.selection || focusedSpan()) return false;
      acceptSuggestion(suggestion);
      return true;
    }
    case 'Delete':
    case 'Backspace': {
      const span = focusedSpan();
      const suggestion = suggestionBar.focused;
      if (key.key === 'Backspace' && key.shift && !state.selection && !span) {
        if (suggestion) rejectAllSuggestions();
        else setNotice(`${NO_SUGGESTIONS}.`);
      } else if (span) remove(span);
      else if (key.key === 'Backspace' && suggestion && !state.selection) rejectSuggestion(suggestion);
      else setNotice('Click a label, or Tab to it, to delete it.');
      return true;
    }
    case 'Escape':
      state.clear();
      setNotice('');
      break;
    case 'a':
    case 'A':
      // Ctrl+A: the whole text, not the whole page.
      state.select(0, positions.length);
      break;
    case 'PageUp':
    case 'PageDown':
      navigate(key.key === 'PageUp' ? 'previous' : 'next');
      return true;
    default: {
      const type = current.types.find((t) => t.key !== undefined && t.key === key.key);
      if (!type) return false;
      applyType(type);
      return true;
    }
  }
  drawSelection();
  return true;
}

textView.addEventListener('keydown', (e) => {
  if (e.metaKey || (e.ctrlKey && e.key.toLowerCase() !== 'a')) return;
  if (e.ctrlKey && e.key.toLowerCase() === 'a') {
    e.preventDefault();
    handleTextKey({ key: 'a' });
    return;
  }
  if (e.altKey && e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
  if (handleTextKey({ key: e.key, shift: e.shiftKey, alt: e.altKey })) {
    e.preventDefault();
    e.stopPropagation();
  }
});

textView.addEventListener('focus', () => {
  drawSelection();
});
textView.addEventListener('blur', () => {
  caret.hide();
});

/** The user changed the DOM selection (mouse drag, double click): the state follows it. */
document.addEventListener('selectionchange', () => {
  if (settingSelection || !positions) return;
  const selection = document.getSelection();
  if (!selection) return;
  const offsets = positions.selectionOffsets(selection);
  if (!offsets) return;
  state.select(offsets.anchor, offsets.focus);
  if (state.selection) {
    menu.hide();
    markFocused(textView, current?.spans ?? [], null);
    caret.hide();
  }
});

/** A click (no drag) on a label focuses it; clicking again cycles through labels that overlap there. */
textView.addEventListener('mouseup', (e) => {
  if (!current || !positions) return;
  // The selection settles after mouseup.
  setTimeout(() => {
    if (!current || !positions) return;
    if (state.selection) {
      textView.focus({ preventScroll: true });
      return;
    }
    const suggested = (e.target as HTMLElement).closest<HTMLElement>('mark[data-suggestions]');
    if (suggested && textView.contains(suggested) && !suggested.classList.contains('span')) {
      // A suggestion (no label under it): it becomes the one Enter / Backspace act on.
      suggestionBar.focus(suggestionsOfMark(suggested)[0], current.text ?? '');
      state.focused = null;
      textView.focus({ preventScroll: true });
      drawSelection();
      return;
    }
    const mark = (e.target as HTMLElement).closest<HTMLElement>('mark.span');
    if (mark && textView.contains(mark)) {
      const spans = current.spans;
      const covering = spansOfMark(mark).map((i) => spans[i]);
      state.focusAmong(covering);
    } else {
      state.focused = null;
    }
    textView.focus({ preventScroll: true });
    drawSelection();
  }, 0);
});

// ---- navigation ----------------------------------------------------------------------------------

function navigate(to: NavigationTarget): void {
  if (!current) return;
  if (typeof to === 'object') {
    const index = Math.min(Math.max(0, Math.trunc(to.index)), current.total - 1);
    if (index !== current.index) post({ type: 'show', index });
    return;
  }
  if (to === 'previous' && current.filter.previous === null) return notAnyMore();
  if (to === 'next' && current.filter.next === null) return notAnyMore();
  setNotice('');
  post({ type: 'show', index: current.index, direction: to });
}

function notAnyMore(): void {
  if (!current) return;
  setNotice(current.filter.kind === 'all' ? 'No more records that way.' : `No more ${filterNoun(current.filter.kind)} that way.`);
}

function chooseFilter(next: RecordFilter): void {
  if (!RECORD_FILTERS.includes(next)) return;
  filter = next;
  if (filterDropdown.value !== next) filterDropdown.value = next;
  saveState();
  setNotice('');
  post({ type: 'filter', filter: next });
}

function goToTyped(): void {
  const value = gotoField.value.trim();
  const n = Number(value);
  if (value === '' || !Number.isInteger(n)) {
    gotoField.title = 'Type a record number';
    return;
  }
  gotoField.title = '';
  gotoField.value = '';
  navigate({ index: n - 1 });
}

previousButton.addEventListener('click', () => navigate('previous'));
compareButton.addEventListener('click', () => setCompare(!compareWanted));
nextButton.addEventListener('click', () => navigate('next'));
filterDropdown.addEventListener('change', () => chooseFilter(filterDropdown.value as RecordFilter));
gotoField.addEventListener('keydown', (e: KeyboardEvent) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    goToTyped();
  }
});
gotoField.addEventListener('change', () => {
  if (gotoField.value.trim() !== '') goToTyped();
});

const pageKeys: Record<string, NavigationTarget> = {
  ArrowLeft: 'previous',
  PageUp: 'previous',
  ArrowRight: 'next',
  PageDown: 'next',
  Home: 'first',
  End: 'last',
};
document.addEventListener('keydown', (e) => {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  // Keys typed into the toolbar's fields and lists are theirs.
  if (e.composedPath().some((n) => n === gotoField || n === filterDropdown || n instanceof HTMLInputElement || n instanceof HTMLTextAreaElement)) return;
  const to = pageKeys[e.key];
  if (to) {
    e.preventDefault();
    navigate(to);
    return;
  }
  // A digit with the focus outside the text still labels what is selected in it.
  if (current?.types.some((t) => t.key === e.key) && (state.selection || state.focused !== null)) {
    e.preventDefault();
    handleTextKey({ key: e.key });
  }
});

// ---- messages ------------------------------------------------------------------------------------

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  switch (message.type) {
    case 'record':
      showRecord(message.record);
      break;
    case 'empty':
      showNothing('empty', 'This file has no records yet.');
      break;
    case 'status':
      showNothing('status', message.message, message.kind);
      break;
    case 'navigate':
      navigate(message.to);
      break;
    case 'editResult':
      setNotice(message.message);
      if (message.ok) state.collapseToEnd();
      drawSelection();
      break;
  }
});

document.addEventListener('securitypolicyviolation', (e) => {
  post({ type: 'cspViolation', directive: e.effectiveDirective, blockedURI: e.blockedURI });
});

window.addEventListener('resize', () => drawSelection());

position.textContent = '';
statusLine.textContent = 'Loading…';
statusLine.hidden = false;
post({ type: 'ready', index: typeof restored?.index === 'number' ? restored.index : null, filter });
