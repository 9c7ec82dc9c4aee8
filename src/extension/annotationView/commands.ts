/**
 * Commands of the annotation view. Registered by the provider; not (yet) contributed in package.json,
 * so they are reachable from keybindings, other extensions and tests but not the command palette.
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
} as const;

/** What an annotation view last drew (reported by its webview from its DOM), and what its CSP blocked. */
export interface AnnotationViewSnapshot {
  uri: string;
  report: RenderReport | null;
  /** "directive blockedURI" for each violation the page reported since the view opened. */
  cspViolations: string[];
  visible: boolean;
  active: boolean;
}
