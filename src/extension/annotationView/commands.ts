/**
 * Commands of the annotation view. Previous / Next / First / Last / Go to Record are contributed
 * (the palette, while an annotation view is active; Go to Record also on Ctrl+G); Next Uncertain Record is how Go to Next Most
 * Uncertain Record reaches the active view. Each moves through the page (a message it handles as the
 * user's own move), so a command exercises the same code as the buttons and keys. Each returns false
 * (undefined for nextUncertainRecord) when no view is open.
 */
export const AnnotationViewCommands = {
  previousRecord: 'finlabel.annotationView.previousRecord',
  nextRecord: 'finlabel.annotationView.nextRecord',
  firstRecord: 'finlabel.annotationView.firstRecord',
  lastRecord: 'finlabel.annotationView.lastRecord',
  /** Argument: the 1-based record number; asks for it when absent. */
  goToRecord: 'finlabel.annotationView.goToRecord',
  /** Argument: uri?. Moves to the next most uncertain unlabelled record (predicting the records first); returns the UncertainTarget. */
  nextUncertainRecord: 'finlabel.annotationView.nextUncertainRecord',
} as const;
