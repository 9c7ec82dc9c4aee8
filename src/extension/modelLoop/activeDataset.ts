import * as vscode from 'vscode';
import { isDataset } from '../../common/datasetFiles';

/** The dataset the user is on: the focused annotation view's, else the active text editor's .jsonl. */
export function activeDataset(): vscode.Uri | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputCustom && tab.viewType === 'finlabel.annotationView') return tab.uri;
  const document = vscode.window.activeTextEditor?.document;
  return document && isDataset(document.uri.path, document.languageId) ? document.uri : undefined;
}
