/**
 * The annotation view's page: one record at a time in large text with its gold spans highlighted,
 * a header with the position and record id, Previous / Next / Go to, and the record's problems.
 * The extension side (src/extension/annotationView) fetches records from the language server and
 * posts them here; this page says what it drew back (`rendered`), read from its own DOM.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeTextField, type Button, type TextField } from '@vscode/webview-ui-toolkit';
import type { RecordView } from '../../common/lspProtocol';
import type { HostToWebview, NavigationTarget, RenderReport, StatusKind, WebviewToHost } from './messages';
import { drawRecordText, readBackSpans } from './recordText';
import './annotationView.css';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: PersistedState): void;
}
interface PersistedState {
  index: number;
}
declare function acquireVsCodeApi(): VsCodeApi;

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeTextField());

const vscode = acquireVsCodeApi();
const pageId = Math.random().toString(36).slice(2, 10);
let sequence = 0;

/** Creates an element with a class and optional text (set as text, never parsed as HTML). */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Creates one of the toolkit's custom elements (not in the DOM's tag map). */
function toolkitElement<T extends HTMLElement>(tag: 'vscode-button' | 'vscode-text-field', className: string): T {
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
previousButton.title = 'Previous record (← or Page Up; Home: first)';
const nextButton = toolkitElement<Button>('vscode-button', 'nav');
nextButton.id = 'next';
nextButton.textContent = 'Next';
nextButton.title = 'Next record (→ or Page Down; End: last)';
const position = el('span', 'position');
position.setAttribute('role', 'status');
position.setAttribute('aria-live', 'polite');
const recordId = el('span', 'record-id');
const recordLine = el('span', 'record-line');
const spacer = el('span', 'spacer');
const gotoField = toolkitElement<TextField>('vscode-text-field', 'goto');
gotoField.id = 'goto';
gotoField.setAttribute('placeholder', 'Go to…');
gotoField.setAttribute('aria-label', 'Go to record number');
gotoField.setAttribute('inputmode', 'numeric');
gotoField.setAttribute('size', '8');
toolbar.append(previousButton, nextButton, position, recordId, recordLine, spacer, gotoField);

const main = el('main', 'content');
const statusLine = el('p', 'status');
statusLine.hidden = true;
const textView = el('div', 'record-text');
textView.lang = 'zh-CN';
textView.setAttribute('aria-label', 'Record text');
const problemsSection = el('section', 'problems');
problemsSection.hidden = true;
const problemsHeading = el('h2', 'problems-heading');
const problemsList = el('ul', 'problems-list');
problemsSection.append(problemsHeading, problemsList);
main.append(statusLine, textView, problemsSection);
document.body.append(toolbar, main);

// ---- state ---------------------------------------------------------------------------------------

/** The record on screen, or null when none is (empty document, waiting, closed). */
let current: RecordView | null = null;
const restored = vscode.getState() as Partial<PersistedState> | undefined;

function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}

// ---- drawing -------------------------------------------------------------------------------------

function setNavigation(index: number, total: number): void {
  previousButton.disabled = total === 0 || index <= 0;
  nextButton.disabled = total === 0 || index >= total - 1;
  gotoField.disabled = total === 0;
}

function showRecord(record: RecordView): void {
  current = record;
  vscode.setState({ index: record.index });
  position.textContent = `Record ${record.index + 1} / ${record.total}`;
  recordId.textContent = record.id ?? 'no id';
  recordId.classList.toggle('missing', record.id === null);
  recordLine.textContent = `line ${record.line + 1}`;
  setNavigation(record.index, record.total);
  document.title = `Record ${record.index + 1} / ${record.total}`;

  if (record.text === null) {
    statusLine.textContent = 'This line is not a valid record; its problems are listed below.';
    statusLine.hidden = false;
    textView.hidden = true;
    textView.replaceChildren();
  } else {
    statusLine.hidden = true;
    textView.hidden = false;
    textView.classList.toggle('empty-text', record.text.length === 0);
    drawRecordText(textView, record.text, record.spans);
  }
  drawProblems(record.problems);
  report('record');
}

function drawProblems(problems: readonly string[]): void {
  problemsSection.hidden = problems.length === 0;
  problemsHeading.textContent = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  problemsList.replaceChildren(...problems.map((p) => el('li', 'problem', p)));
}

function showNothing(kind: 'empty' | 'status', message: string, statusKind?: StatusKind): void {
  current = null;
  position.textContent = kind === 'empty' ? 'Record 0 / 0' : '';
  recordId.textContent = '';
  recordLine.textContent = '';
  setNavigation(0, 0);
  statusLine.textContent = message;
  statusLine.hidden = false;
  statusLine.dataset.kind = statusKind ?? kind;
  textView.hidden = true;
  textView.replaceChildren();
  drawProblems([]);
  report(kind);
}

/** Tells the extension what is on screen, read from the DOM. */
function report(kind: RenderReport['kind']): void {
  sequence++;
  const drawn = kind === 'record' && current !== null && current.text !== null;
  const text = drawn ? (textView.textContent ?? '') : null;
  post({
    type: 'rendered',
    report: {
      kind,
      pageId,
      sequence,
      index: current?.index ?? 0,
      total: current?.total ?? 0,
      id: current?.id ?? null,
      line: current?.line ?? null,
      text,
      textLength: text === null ? 0 : Array.from(text).length,
      spans: drawn && current ? readBackSpans(textView, current.spans) : [],
      problems: [...problemsList.querySelectorAll('li')].map((li) => li.textContent ?? ''),
      header: position.textContent ?? '',
      status: statusLine.hidden ? '' : (statusLine.textContent ?? ''),
      stylesApplied: getComputedStyle(document.documentElement).getPropertyValue('--finlabel-annotation-view').trim() === '1',
      toolkitReady: toolkitStyled(),
    },
  });
}

/** The toolkit's elements are defined and their own styles apply (its button's .control is border-box). */
function toolkitStyled(): boolean {
  const control = nextButton.shadowRoot?.querySelector('.control');
  return (
    customElements.get('vscode-button') !== undefined &&
    customElements.get('vscode-text-field') !== undefined &&
    control instanceof HTMLElement &&
    getComputedStyle(control).boxSizing === 'border-box'
  );
}

// ---- navigation ----------------------------------------------------------------------------------

function navigate(to: NavigationTarget): void {
  if (!current) return;
  const last = current.total - 1;
  let index: number;
  if (to === 'previous') index = current.index - 1;
  else if (to === 'next') index = current.index + 1;
  else if (to === 'first') index = 0;
  else if (to === 'last') index = last;
  else index = to.index;
  index = Math.min(Math.max(0, Math.trunc(index)), last);
  if (index === current.index) return;
  post({ type: 'show', index });
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
nextButton.addEventListener('click', () => navigate('next'));
gotoField.addEventListener('keydown', (e: KeyboardEvent) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    goToTyped();
  }
});
gotoField.addEventListener('change', () => {
  if (gotoField.value.trim() !== '') goToTyped();
});

const keys: Record<string, NavigationTarget> = {
  ArrowLeft: 'previous',
  PageUp: 'previous',
  ArrowRight: 'next',
  PageDown: 'next',
  Home: 'first',
  End: 'last',
};
document.addEventListener('keydown', (e) => {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  const to = keys[e.key];
  if (!to) return;
  // Keys typed into the Go to field move its caret, not the record.
  if (e.composedPath().some((n) => n === gotoField || n instanceof HTMLInputElement || n instanceof HTMLTextAreaElement)) return;
  e.preventDefault();
  navigate(to);
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
  }
});

document.addEventListener('securitypolicyviolation', (e) => {
  post({ type: 'cspViolation', directive: e.effectiveDirective, blockedURI: e.blockedURI });
});

position.textContent = '';
statusLine.textContent = 'Loading…';
statusLine.hidden = false;
post({ type: 'ready', index: typeof restored?.index === 'number' ? restored.index : null });
