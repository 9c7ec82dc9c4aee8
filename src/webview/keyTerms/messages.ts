/** Messages between the Key Terms webview and the extension host. */
import type { TermSource } from '../../common/keyTerms';
import type { KeyTermsView } from '../../common/lspProtocol';

/** What the page shows, read back from its DOM after drawing (for tests and scripts). */
export interface KeyTermsRendered {
  /** One entry per row: the text of each cell, by column. */
  rows: Record<string, string>[];
  /** Clickable places on the page, in order (what clickPlace counts). */
  places: string[];
}

export type HostToWebview =
  | { type: 'terms'; view: KeyTermsView; title: string }
  /** Clicks the index-th clickable place, as the user would (commands and tests). */
  | { type: 'clickPlace'; index: number };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'rendered'; rendered: KeyTermsRendered }
  /** Reveal a place of the document (its range, as the server gave it). */
  | { type: 'reveal'; source: TermSource }
  | { type: 'refresh' }
  | { type: 'cspViolation'; directive: string; blockedURI: string };
