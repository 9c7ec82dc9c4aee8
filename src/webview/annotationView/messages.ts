/**
 * The messages between the annotation view's extension side (src/extension/annotationView) and its
 * webview (this folder), written once and imported by both bundles. Types only: no vscode, no node,
 * no DOM, so it compiles in either program.
 */
import type { RecordView } from '../../common/lspProtocol';

/** Where to move in the document's records. Indexes are 0-based. */
export type NavigationTarget = 'previous' | 'next' | 'first' | 'last' | { index: number };

/** Extension -> webview. */
export type HostToWebview =
  /** A record to show (index and total are in the record). */
  | { type: 'record'; record: RecordView }
  /** The document holds no records (empty or only blank lines). */
  | { type: 'empty' }
  /** Nothing to show, and why: waiting for the language server, the document was closed, an error. */
  | { type: 'status'; kind: StatusKind; message: string }
  /** Move as if the user pressed the matching button or key (commands and keybindings). */
  | { type: 'navigate'; to: NavigationTarget };

export type StatusKind = 'waiting' | 'closed' | 'error';

/** Webview -> extension. */
export type WebviewToHost =
  /** The webview (re)loaded; `index` is the record it showed before it was hidden or restored. */
  | { type: 'ready'; index: number | null }
  /** The user asked for record `index` (0-based, not yet clamped). */
  | { type: 'show'; index: number }
  /** What the webview drew, read back from its DOM after drawing. */
  | { type: 'rendered'; report: RenderReport }
  /** The page's Content-Security-Policy blocked something. */
  | { type: 'cspViolation'; directive: string; blockedURI: string };

/** A highlighted span as drawn: offsets are code points into the text, end exclusive. */
export interface RenderedSpan {
  start: number;
  end: number;
  entity: string;
  tag: string;
  /** The characters the highlight covers, read from the DOM. */
  text: string;
}

/**
 * What the webview drew, read back from its DOM (not what it was sent): the integration tests and
 * `finlabel.annotationView.lastRendered` use it to prove the view really shows the record.
 */
export interface RenderReport {
  kind: 'record' | 'empty' | 'status';
  /** Identifies one load of the webview's page; a new value means the page was (re)loaded. */
  pageId: string;
  /** Renders done by this page so far, this one included. */
  sequence: number;
  index: number;
  total: number;
  id: string | null;
  line: number | null;
  /** The record's text as it stands in the DOM, or null when the line is not a valid record. */
  text: string | null;
  /** Length of `text` in code points. */
  textLength: number;
  spans: RenderedSpan[];
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
}
