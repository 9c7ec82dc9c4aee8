/** Messages between the evaluation report webview and the extension host. */
import type { EvaluationReport } from '../../common/evaluationReport';

export type HostToWebview = { type: 'report'; report: EvaluationReport };

export type WebviewToHost =
  | { type: 'ready' }
  /** Open the dataset at a record's span: 0-based line, code points, and the span's columns in the line when known. */
  | { type: 'openSpan'; line: number; start: number; end: number; columns: { start: number; end: number } | null }
  | { type: 'saveHtml' }
  | { type: 'cspViolation'; directive: string; blockedURI: string };
