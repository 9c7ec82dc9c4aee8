import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { RejectSuggestionsArgs } from '../../common/lspProtocol';
import { predictDatasetRecords, reportModelLoopFailure, type ScoringOutcome } from './recordScoring';
import type { RejectedSuggestions } from './rejectedSuggestions';

export const PRE_ANNOTATE_COMMAND = 'finlabel.preAnnotate';

/** The dataset the command acts on: the focused annotation view's, else the active text editor's .jsonl. */
function activeDataset(): vscode.Uri | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputCustom && tab.viewType === 'finlabel.annotationView') return tab.uri;
  const document = vscode.window.activeTextEditor?.document;
  return document && (document.languageId === 'jsonl' || document.uri.path.toLowerCase().endsWith('.jsonl')) ? document.uri : undefined;
}

/**
 * FinLabel: Pre-annotate Unlabelled Records. The active entity model predicts every unlabelled record
 * of the dataset (progress with Cancel; the server works in slices and never blocks typing), and the
 * predictions show as suggestions to accept or reject. Nothing is written to the file here.
 */
export async function preAnnotate(client: LanguageClient | undefined, target?: vscode.Uri): Promise<ScoringOutcome | undefined> {
  const uri = target ?? activeDataset();
  if (!client || !uri) {
    void vscode.window.showInformationMessage('FinLabel: open a dataset JSONL (or its annotation view) to pre-annotate it.');
    return undefined;
  }
  // The server reads the dataset from its open document.
  await vscode.workspace.openTextDocument(uri);
  const outcome = await predictDatasetRecords(client, uri.toString(), 'unlabelled', 'the unlabelled records', true);
  if (!outcome.ok) {
    reportModelLoopFailure(outcome);
    return undefined;
  }
  const suggestions = outcome.suggestions ?? 0;
  const partial = outcome.scored < outcome.records ? ` (cancelled: ${outcome.scored} of ${outcome.records} unlabelled records predicted)` : '';
  void vscode.window.showInformationMessage(
    `FinLabel: ${outcome.model} suggests ${suggestions} label${suggestions === 1 ? '' : 's'} in ${outcome.scored} unlabelled record${outcome.scored === 1 ? '' : 's'}${partial}. ` +
      'Accept or reject them with Ctrl+. on a suggestion (dashed outline), or in the annotation view (Enter / Backspace). Nothing is written until you accept.',
  );
  return outcome;
}

/** Rejects suggestions (code actions and the annotation view name this): remembered in the workspace, never written to the file. */
export async function rejectSuggestions(rejected: RejectedSuggestions, args: RejectSuggestionsArgs | undefined): Promise<boolean> {
  const keys = Array.isArray(args?.keys) ? args.keys.filter((k): k is string => typeof k === 'string') : [];
  if (keys.length === 0) return false;
  await rejected.add(keys);
  void vscode.window.setStatusBarMessage(`FinLabel: rejected ${args?.description ?? `${keys.length} suggestion${keys.length === 1 ? '' : 's'}`}`, 4000);
  return true;
}
