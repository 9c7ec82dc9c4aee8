import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { scoreRecordsRequest, type ModelLoopFailure, type ScoreRecordsParams, type ScoreRecordsResult } from '../../common/lspProtocol';

/** Records predicted by the first, silent call: a small dataset is done before any notification shows. */
const QUICK_BUDGET = 64;
/** Records predicted per call under the progress notification (about a second each with the default model). */
const SLICE_BUDGET = 256;

export type ScoringOutcome = Extract<ScoreRecordsResult, { ok: true }> & { cancelled: boolean };

/**
 * Has the language server predict every record of a dataset the model-in-the-loop features need (the
 * unlabelled ones, or all), a slice per request: silently when it is quick, else under a progress
 * notification with Cancel. Cancelling keeps what was predicted so far (the outcome says how much).
 */
export async function predictDatasetRecords(
  client: LanguageClient,
  uri: string,
  records: ScoreRecordsParams['records'],
  what: string,
  preAnnotate = false,
): Promise<ScoringOutcome | ModelLoopFailure> {
  const first = await client.sendRequest(scoreRecordsRequest, { uri, records, budget: QUICK_BUDGET, preAnnotate });
  if (!first.ok || first.scored >= first.records) return first.ok ? { ...first, cancelled: false } : first;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `FinLabel: predicting ${what} with ${first.model}`, cancellable: true },
    async (progress, token) => {
      let last = first;
      let shown = 0;
      const report = (): void => {
        const done = last.records === 0 ? 100 : (100 * last.scored) / last.records;
        progress.report({ message: `${last.scored.toLocaleString('en-US')} of ${last.records.toLocaleString('en-US')} records`, increment: done - shown });
        shown = done;
      };
      report();
      while (last.scored < last.records && !token.isCancellationRequested) {
        let next: ScoreRecordsResult;
        try {
          next = await client.sendRequest(scoreRecordsRequest, { uri, records, budget: SLICE_BUDGET, preAnnotate }, token);
        } catch (error) {
          if (token.isCancellationRequested) break;
          throw error;
        }
        if (!next.ok) return next;
        last = next;
        report();
        // Nothing left that can be predicted (the model changed, or the records changed meanwhile).
        if (next.predicted === 0) break;
      }
      return { ...last, cancelled: token.isCancellationRequested };
    },
  );
}

/** Says why the model's features cannot run; for a missing model, offers to select one (without waiting for the answer). */
export function reportModelLoopFailure(failure: ModelLoopFailure): void {
  if (failure.reason !== 'no-model') {
    void vscode.window.showWarningMessage(`FinLabel: ${failure.message}`);
    return;
  }
  const select = 'Select Entity Model';
  void vscode.window.showWarningMessage(`FinLabel: ${failure.message}`, select).then((choice) => {
    if (choice === select) void vscode.commands.executeCommand('finlabel.selectActiveModel', { task: 'entities' });
  });
}
