/** Messages between the evaluation report webview and the extension host. */
import type { EvaluationReport } from '../../common/evaluationReport';

/** The figures the page shows, read back from its DOM (data-figure elements) after drawing. */
export interface ReportRendered {
  /** data-figure name -> the text shown. */
  figures: Record<string, string>;
  /** Clickable misses and false alarms on the page. */
  errorLinks: number;
  charts: number;
  /** The warnings above the figures that the data is (a version of) the model's training data. */
  notATest: string[];
}

export type HostToWebview =
  | { type: 'report'; report: EvaluationReport }
  /** Clicks the index-th miss/false-alarm link, as the user would (commands and tests). */
  | { type: 'clickError'; index: number };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'rendered'; rendered: ReportRendered }
  /** Open the dataset at a record's span: 0-based line, code points, and the span's columns in the line when known. */
  | { type: 'openSpan'; line: number; start: number; end: number; columns: { start: number; end: number } | null }
  | { type: 'saveHtml' }
  | { type: 'cspViolation'; directive: string; blockedURI: string };
