/**
 * Commands of the annotation view. Registered by the provider. The five that move between records
 * (previous, next, first, last, go to record) are contributed in package.json: in the command palette
 * while a view is active, Go to Record also on Ctrl+G. The others are not: keybindings, other extensions
 * and tests reach them, the command palette does not.
 * Each acts through the page (a message it handles as the user's own action), so driving the view by
 * command exercises the same code as the mouse and keyboard. Each returns false when no view is open.
 */
import type { RenderReport } from '../../webview/annotationView/messages';

export const AnnotationViewCommands = {
  previousRecord: 'finlabel.annotationView.previousRecord',
  nextRecord: 'finlabel.annotationView.nextRecord',
  firstRecord: 'finlabel.annotationView.firstRecord',
  lastRecord: 'finlabel.annotationView.lastRecord',
  /** Argument: the 1-based record number; asks for it when absent. */
  goToRecord: 'finlabel.annotationView.goToRecord',
  /** Argument: the document's URI (Uri or string), else the active view. Returns AnnotationViewSnapshot | undefined. */
  lastRendered: 'finlabel.annotationView.lastRendered',
  /** Arguments: start, end (code points), uri?. Selects those characters of the record's text. */
  select: 'finlabel.annotationView.select',
  /** Arguments: a key ('1', 'Delete', 'Tab', 'Escape', 'ArrowRight'...) or {key, shift, alt}, uri?. As if typed in the text. */
  pressKey: 'finlabel.annotationView.pressKey',
  /** Arguments: start, end (code points), the type's key ('1'...), uri?. Select, then the key: labels the characters. */
  labelRange: 'finlabel.annotationView.labelRange',
  /** Arguments: the label's index in "labels", uri?. Focuses that label, as clicking it does. */
  focusSpan: 'finlabel.annotationView.focusSpan',
  /** Arguments: 'all' | 'unlabelled' | 'problems' | 'uncertain' | 'disagrees' (asks when absent), uri?. Resolves once the records are predicted (model filters). */
  setFilter: 'finlabel.annotationView.setFilter',
  /** Arguments: on (default true), uri?. Shows the record's two annotators side by side. */
  compare: 'finlabel.annotationView.compare',
  /** Arguments: the difference's 0-based index as listed, 'a' | 'b' | 'edit', uri?. Its Keep A / Keep B / Edit button. */
  settleDifference: 'finlabel.annotationView.settleDifference',
  /** Argument: uri?. Accepts every label both annotators made the same. */
  acceptAgreements: 'finlabel.annotationView.acceptAgreements',
  /** Argument: uri?. Moves to the next most uncertain unlabelled record (predicting the records first); returns the UncertainTarget. */
  nextUncertainRecord: 'finlabel.annotationView.nextUncertainRecord',
  /** Argument: the document's URI. Every view of it asks the server for its record again (its suggestions changed). */
  refresh: 'finlabel.annotationView.refresh',
} as const;

/** How a label edit asked for by the page went. */
export type LabelEditOutcome = { ok: true; message: string; version: number } | { ok: false; message: string };

/** What an annotation view last drew (reported by its webview from its DOM), and what its CSP blocked. */
export interface AnnotationViewSnapshot {
  uri: string;
  report: RenderReport | null;
  /** "directive blockedURI" for each violation the page reported since the view opened. */
  cspViolations: string[];
  /** Every label edit the page asked for since the view opened, in order. */
  edits: LabelEditOutcome[];
  visible: boolean;
  active: boolean;
}
