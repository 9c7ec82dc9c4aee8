import * as vscode from 'vscode';

/** The dataset the user is on: the focused annotation view's, else the active text editor's .jsonl. */
export function activeDataset(): vscode.Uri | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputCustom && tab.viewType === 'finlabel.annotationView') return tab.uri;
  const document = vscode.window.activeTextEditor?.document;
  return document && isDataset(document) ? document.uri : undefined;
}

export function isDataset(document: vscode.TextDocument): boolean {
  return document.languageId === 'jsonl' || document.uri.path.toLowerCase().endsWith('.jsonl');
}
