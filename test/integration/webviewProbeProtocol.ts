/**
 * The messages between the test entry (test/integration/webviewProbes.ts) and the probe it puts into
 * the extension's webview pages (test/integration/webviewProbe/page.ts), and what the probe reads
 * back from a page's DOM. Types only: imported by the extension host's tests and the page's bundle.
 * None of it ships.
 */
import type { RecordFilter, SuggestionSource } from '../../src/common/lspProtocol';
import type { PageKey } from '../../src/webview/annotationView/messages';

/** The probe's messages share this `type`; the pages' own handlers ignore it. */
export const PROBE = 'finlabelProbe';

/** What the test entry asks the probe: read a page back, or act on it as the mouse and keyboard would. */
export type ProbeRequest =
  | { action: 'readAnnotationView' }
  | { action: 'select'; start: number; end: number }
  | { action: 'key'; key: PageKey }
  | { action: 'focusSpan'; labelIndex: number }
  | { action: 'filter'; filter: RecordFilter }
  | { action: 'compare'; on: boolean }
  | { action: 'settle'; difference: number; choice: 'a' | 'b' | 'edit' }
  | { action: 'acceptAgreements' }
  | { action: 'readEvaluationReport' }
  | { action: 'readKeyTerms' }
  /** Clicks the index-th element matching `selector` (a miss's link, a key term's place, a toolbar button). */
  | { action: 'click'; selector: string; index: number };

/** Host -> page. */
export interface ProbeCall {
  type: typeof PROBE;
  id: number;
  request: ProbeRequest;
}

/** Page -> host: an answer, or something the page was told (`loaded`: the probe runs in a fresh page). */
export type ProbeReply =
  | { type: typeof PROBE; id: number; result: unknown }
  | { type: typeof PROBE; event: 'loaded' }
  | { type: typeof PROBE; event: 'editResult'; ok: boolean; message: string };

/** The figures the evaluation report shows, read back from its DOM (data-figure elements). */
export interface ReportRendered {
  /** data-figure name -> the text shown. */
  figures: Record<string, string>;
  /** Clickable misses and false alarms on the page. */
  errorLinks: number;
  charts: number;
  /** The warnings above the figures that the data is (a version of) the model's training data. */
  notATest: string[];
}

/** What the Key Terms page shows, read back from its DOM. */
export interface KeyTermsRendered {
  /** One entry per row: the text of each cell, by column. */
  rows: Record<string, string>[];
  /** Clickable places on the page, in order. */
  places: string[];
}

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
 * integration tests use it to prove the view really shows the record. `pageId` and `sequence` are the
 * probe's: it counts the records and status lines the page was sent to draw since it loaded.
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
  /** The keyboard caret as drawn: the code point it stands before (null while it is hidden). */
  caret: number | null;
  /** The label the keyboard or a click is on (its highlight is outlined), with its inline menu. */
  focusedSpan: { labelIndex: number; start: number; end: number; entity: string; menu: string } | null;
  /** The text has the keyboard focus. */
  textFocused: boolean;
  /** The filter chosen in the toolbar, and what the toolbar says about it. */
  filter: RecordFilter;
  /** The filter the record on screen was found through, as the extension sent it (null: no record). */
  shownFilter: RecordFilter | null;
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
