/** Messages between the Key Terms webview and the extension host. */
import type { TermSource } from '../../common/keyTerms';
import type { KeyTermsView } from '../../common/lspProtocol';

export type HostToWebview = { type: 'terms'; view: KeyTermsView; title: string };

export type WebviewToHost =
  | { type: 'ready' }
  /** Reveal a place of the document (its range, as the server gave it). */
  | { type: 'reveal'; source: TermSource }
  | { type: 'refresh' }
  | { type: 'cspViolation'; directive: string; blockedURI: string };
