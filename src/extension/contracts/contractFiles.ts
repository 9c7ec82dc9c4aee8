import type * as vscode from 'vscode';

/** The internal command "FinLabel: Label Selection" hands a contract editor to (it owns the contract state). */
export const LABEL_CONTRACT_SELECTION_COMMAND = 'finlabel.contracts.labelSelection';

/** Contract files are plain text and Markdown files on disk, labelled into a dataset record. */
export function isContractDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && /\.(txt|md)$/i.test(document.uri.path);
}
