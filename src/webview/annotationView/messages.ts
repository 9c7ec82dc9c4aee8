/**
 * The messages between the annotation view's extension side (src/extension/annotationView) and its
 * webview (this folder), written once and imported by both bundles. Types only: no vscode, no node,
 * no DOM, so it compiles in either program.
 */
import type { RecordFilter, RecordLabelOperation, RecordView, SuggestionSource } from '../../common/lspProtocol';

/** Where to move in the document's records. Indexes are 0-based. */
export type NavigationTarget = 'previous' | 'next' | 'first' | 'last' | { index: number };

/** A key the page handles in its text, as if typed there (digits label, Delete removes, Tab cycles...). */
export interface PageKey {
  key: string;
  shift?: boolean;
  alt?: boolean;
}

/** Extension -> webview. */
export type HostToWebview =
  /** A record to show (index and total are in the record). */
  | { type: 'record'; record: RecordView }
  /** The document holds no records (empty or only blank lines). */
  | { type: 'empty' }
  /** Nothing to show, and why: waiting for the language server, the document was closed, an error. */
  | { type: 'status'; kind: StatusKind; message: string }
  /** Move as if the user pressed the matching button or key (commands and keybindings). */
  | { type: 'navigate'; to: NavigationTarget }
  /** Select code points [start, end) of the text, as a mouse drag would. */
  | { type: 'select'; start: number; end: number }
  /** Focus the span of label `labelIndex`, as clicking it would. */
  | { type: 'focusSpan'; labelIndex: number }
  /** Handle a key as if it were typed in the text. */
  | { type: 'key'; key: PageKey }
  /** Show only the records the filter keeps, as choosing it in the toolbar would. */
  | { type: 'filter'; filter: RecordFilter }
  /** How an edit the page asked for went. */
  | { type: 'editResult'; ok: boolean; message: string }
  /** Show or hide the comparison of the record's two annotators, as its toolbar button does. */
  | { type: 'compare'; on: boolean }
  /** Settle difference `difference` (0-based, as listed) as its Keep A / Keep B / Edit buttons do. */
  | { type: 'settle'; difference: number; choice: 'a' | 'b' | 'edit' }
  /** Accept every agreement, as its button does. */
  | { type: 'acceptAgreements' }
  /** Say what the page shows (answered with `rendered` and the same id). */
  | { type: 'readBack'; id: number };

export type StatusKind = 'waiting' | 'closed' | 'error';

/** Webview -> extension. */
export type WebviewToHost =
  /** The webview (re)loaded; `index` and `filter` are what it showed before it was hidden or restored. */
  | { type: 'ready'; index: number | null; filter: RecordFilter | null }
  /** The user asked for record `index` (0-based, not yet clamped), or the matching one found from it in `direction`. */
  | { type: 'show'; index: number; direction?: 'next' | 'previous' | 'first' | 'last' }
  /** The user chose a filter. */
  | { type: 'filter'; filter: RecordFilter }
  /** Change the labels of the record on line `line`, as drawn from document `version`. */
  /** `accepted`: the change accepts suggestions, of these sources (one per suggestion), counted once it is applied. */
  | { type: 'edit'; version: number; line: number; op: RecordLabelOperation; accepted?: SuggestionSource[] }
  /** The answer to `readBack` `id`: what the page shows, read from its DOM (null: it has drawn nothing yet). */
  | { type: 'rendered'; id: number; report: RenderReport | null }
  /** The page's Content-Security-Policy blocked something. */
  | { type: 'cspViolation'; directive: string; blockedURI: string }
  /** The user rejected pre-annotation suggestions (kept by the extension, never written to the file); `all`: Reject all of the record. */
  | { type: 'rejectSuggestions'; keys: string[]; sources: SuggestionSource[]; all: boolean; description: string };

/** A highlighted span as drawn: offsets are code points into the text, end exclusive. */
export interface RenderedSpan {
  labelIndex: number;
  start: number;
  end: number;
  entity: string;
  tag: string;
  /** The characters the highlight covers, read from the DOM. */
  text: string;
}

/** A suggestion as drawn: code points of the text, and the characters its marks cover. */
export interface RenderedSuggestion {
  key: string;
  start: number;
  end: number;
  entity: string;
  tag: string;
  source: SuggestionSource;
  text: string;
}

/** The suggestion bar as drawn: its summary line and its buttons, each with whether it can be pressed. */
export interface RenderedSuggestionBar {
  summary: string;
  /** The focused suggestion's source as the bar names it ('' when none is focused). */
  source: string;
  buttons: { label: string; enabled: boolean }[];
}

/**
 * What the webview shows, read back from its DOM (not what it was sent) when asked (`readBack`): the
 * integration tests use it to prove the view really shows the record.
 */
export interface RenderReport {
  kind: 'record' | 'empty' | 'status';
  /** Identifies one load of the webview's page; a new value means the page was (re)loaded. */
  pageId: string;
  /** Renders done by this page so far (records and status lines drawn). */
  sequence: number;
  index: number;
  total: number;
  id: string | null;
  line: number | null;
  /** The document version the record was read from. */
  version: number | null;
  /** The record's text as it stands in the DOM, or null when the line is not a valid record. */
  text: string | null;
  /** Length of `text` in code points. */
  textLength: number;
  spans: RenderedSpan[];
  /** The tooltip of each highlight as the page shows it (what hovering a label says: type, offsets, normalized value). */
  spanTitles: string[];
  /** The problems listed under the text. */
  problems: string[];
  /** The header as displayed, e.g. "Record 2 / 17". */
  header: string;
  /** The status line, when kind is 'status' or 'empty'. */
  status: string;
  /** The view's stylesheet applied (it loads under the CSP). */
  stylesApplied: boolean;
  /** The webview UI toolkit's elements are defined and styled. */
  toolkitReady: boolean;
  /** The page's selection in the text, read from the DOM and mapped to code points (null: none, or collapsed). */
  selection: { start: number; end: number; text: string } | null;
  /** The keyboard caret (a code-point offset). */
  caret: number;
  /** The label the keyboard or a click is on (its highlight is outlined), with its inline menu. */
  focusedSpan: { labelIndex: number; start: number; end: number; entity: string; menu: string } | null;
  /** The text has the keyboard focus. */
  textFocused: boolean;
  /** The filter chosen in the toolbar, and what the toolbar says about it. */
  filter: RecordFilter;
  filterInfo: string;
  /** A model filter's note: which model and how many records it covers, or why it keeps none. */
  filterNote: string;
  /** E.g. "12 / 40 labelled". */
  progress: string;
  /** The legend of label types, as drawn: "1 借款金额" ... */
  legend: string[];
  /** The last message about an edit or a move (e.g. why a label was refused). */
  notice: string;
  /** Previous / Next are enabled. */
  canPrevious: boolean;
  canNext: boolean;
  /** The record has labels from two annotators (the Compare button shows). */
  canCompare: boolean;
  /** Pre-annotation's suggestions drawn in the text, and the one Enter / Backspace act on (its key). */
  suggestions: RenderedSuggestion[];
  focusedSuggestion: string | null;
  /** The suggestion bar as drawn (null: hidden, the document was never pre-annotated). */
  suggestionBar: RenderedSuggestionBar | null;
  /** The comparison on screen: each difference as listed, the agreements' count, the labels each pane draws. */
  compare: { a: string; b: string; differences: string[]; agreements: number; panes: [string[], string[]] } | null;
  /** The model's spans beside the gold labels ("Disagrees with the model" only; null: not shown). */
  model: RenderedModelSpans | null;
}

/** The model's spans as the annotation view shows them (each as its type and text, and whether a gold label has it), and the differences in words. */
export interface RenderedModelSpans {
  name: string;
  spans: { entity: string; value: string; agrees: boolean }[];
  disagreements: string[];
}
