/**
 * The messages between the annotation view's extension side (src/extension/annotationView) and its
 * webview (this folder), written once and imported by both bundles. Types only: no vscode, no node,
 * no DOM, so it compiles in either program.
 */
import type { RecordFilter, RecordLabelOperation, RecordView, SuggestionSource } from '../../common/lspProtocol';

/** Where to move in the document's records. Indexes are 0-based. */
export type NavigationTarget = 'previous' | 'next' | 'first' | 'last' | { index: number };

/** A key the page handles in its text (digits label, Delete removes, Tab cycles...). */
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
  /** How an edit the page asked for went. */
  | { type: 'editResult'; ok: boolean; message: string };

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
  /** The page's Content-Security-Policy blocked something. */
  | { type: 'cspViolation'; directive: string; blockedURI: string }
  /** The user rejected pre-annotation suggestions (kept by the extension, never written to the file); `all`: Reject all of the record. */
  | { type: 'rejectSuggestions'; keys: string[]; sources: SuggestionSource[]; all: boolean; description: string };
