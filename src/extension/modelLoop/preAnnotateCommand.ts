import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { predictDatasetRecords, reportModelLoopFailure, type ScoringOutcome } from './recordScoring';
import { modelSuggestionMinConfidence } from '../settings';
import { activeDataset } from './activeDataset';

export const PRE_ANNOTATE_COMMAND = 'finlabel.preAnnotate';

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
  const floor = modelSuggestionMinConfidence();
  const partial = outcome.scored < outcome.records ? ` (cancelled: ${outcome.scored} of ${outcome.records} unlabelled records predicted)` : '';
  void vscode.window.showInformationMessage(
    `FinLabel: ${outcome.model} suggests ${suggestions} label${suggestions === 1 ? '' : 's'} in ${outcome.scored} unlabelled record${outcome.scored === 1 ? '' : 's'}${partial}, ` +
      `its predictions at ${Math.round(floor * 100)}% confidence or more (finlabel.suggestions.modelMinConfidence). ` +
      'Accept or reject them with Ctrl+. on a suggestion (dashed outline), or in the annotation view (Enter / Backspace; Shift+Backspace rejects all of a record, Ctrl+Z brings rejections back). Nothing is written until you accept.',
  );
  return outcome;
}
