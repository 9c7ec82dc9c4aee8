import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { nextUncertainCreditRowRequest, nextUncertainRecordRequest, type UncertainCreditRow, type UncertainRecord } from '../../common/lspProtocol';
import { AnnotationViewCommands } from '../annotationView/commands';
import { predictDatasetRecords, reportModelLoopFailure } from './recordScoring';

export const NEXT_UNCERTAIN_COMMAND = 'finlabel.goToNextUncertainRecord';

/** Where the command went: a dataset record or a credit row (0-based lines), for tests and scripts; undefined when nowhere. */
export type UncertainTarget = { kind: 'record'; record: UncertainRecord } | { kind: 'creditRow'; row: UncertainCreditRow };

const ordinal = (n: number): string => `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;

/**
 * The unlabelled dataset record after `fromLine` in uncertainty order, predicting the records first
 * (with progress) when the model has not seen them all; wraps to the most uncertain after the last.
 */
export async function nextUncertainRecord(client: LanguageClient, uri: string, fromLine: number | undefined): Promise<UncertainRecord | undefined> {
  const scoring = await predictDatasetRecords(client, uri, 'unlabelled', 'the unlabelled records');
  if (!scoring.ok) {
    reportModelLoopFailure(scoring);
    return undefined;
  }
  let result = await client.sendRequest(nextUncertainRecordRequest, { uri, fromLine });
  if (result.ok && !result.record && fromLine !== undefined) result = await client.sendRequest(nextUncertainRecordRequest, { uri });
  if (!result.ok) {
    reportModelLoopFailure(result);
    return undefined;
  }
  if (!result.record) {
    void vscode.window.showInformationMessage(
      result.unlabelled === 0
        ? 'FinLabel: every record is labelled.'
        : `FinLabel: none of the ${result.unlabelled} unlabelled records has text the model could read.`,
    );
    return undefined;
  }
  const partial = result.scored < result.unlabelled ? ` (${result.scored} of ${result.unlabelled} predicted: prediction was cancelled)` : '';
  void vscode.window.setStatusBarMessage(
    `FinLabel: record ${result.record.index + 1}${result.record.id ? ` (${result.record.id})` : ''} is the ${ordinal(result.record.rank)} most uncertain of ${result.scored} unlabelled records: lowest token margin ${result.record.minMargin.toFixed(3)}${partial}`,
    8000,
  );
  return result.record;
}

async function inTextEditor(client: LanguageClient, editor: vscode.TextEditor): Promise<UncertainTarget | undefined> {
  const uri = editor.document.uri.toString();
  const fromLine = editor.selection.active.line;
  if (editor.document.uri.path.toLowerCase().endsWith('.csv')) {
    const row = await nextUncertainCreditRow(client, uri, fromLine);
    if (row) select(editor, row.line, row.endLine);
    return row ? { kind: 'creditRow', row } : undefined;
  }
  const record = await nextUncertainRecord(client, uri, fromLine);
  if (record) select(editor, record.line, record.line);
  return record ? { kind: 'record', record } : undefined;
}

function select(editor: vscode.TextEditor, line: number, endLine: number): void {
  const range = new vscode.Range(line, 0, endLine, editor.document.lineAt(endLine).text.length);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

async function nextUncertainCreditRow(client: LanguageClient, uri: string, fromLine: number): Promise<UncertainCreditRow | undefined> {
  let result = await client.sendRequest(nextUncertainCreditRowRequest, { uri, fromLine });
  if (result.ok && !result.row) result = await client.sendRequest(nextUncertainCreditRowRequest, { uri });
  if (!result.ok) {
    if (result.reason === 'no-model' || result.reason === 'model-error') {
      const select = 'Select Credit Model';
      void vscode.window.showWarningMessage(`FinLabel: the rows cannot be ranked: ${result.message}`, select).then((choice) => {
        if (choice === select) void vscode.commands.executeCommand('finlabel.selectActiveModel', { task: 'credit' });
      });
    } else {
      void vscode.window.showWarningMessage(`FinLabel: the rows cannot be ranked: ${result.message}`);
    }
    return undefined;
  }
  if (!result.row) {
    void vscode.window.showInformationMessage(
      result.unlabelled === 0
        ? 'FinLabel: no data row has an empty label cell.'
        : `FinLabel: the credit model is still scoring (${result.scored} of ${result.unlabelled} unlabelled rows scored); try again in a moment.`,
    );
    return undefined;
  }
  void vscode.window.setStatusBarMessage(
    `FinLabel: line ${result.row.line + 1} is the ${ordinal(result.row.rank)} closest to the threshold ${result.threshold} of ${result.scored} unlabelled rows: P(违约) = ${result.row.probability.toFixed(4)}`,
    8000,
  );
  return result.row;
}

/**
 * FinLabel: Go to Next Most Uncertain Record. In a focused annotation view: moves it to that record;
 * in a dataset's text editor: reveals and selects the record's line; in a credit CSV: the row with an
 * empty label cell whose P(违约) is closest to finlabel.credit.threshold.
 */
export async function goToNextUncertainRecord(client: LanguageClient | undefined): Promise<UncertainTarget | undefined> {
  if (!client) return undefined;
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputCustom && tab.viewType === 'finlabel.annotationView') {
    return vscode.commands.executeCommand<UncertainTarget | undefined>(AnnotationViewCommands.nextUncertainRecord, tab.uri);
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('FinLabel: open a dataset JSONL (or its annotation view) or a credit CSV first.');
    return undefined;
  }
  return inTextEditor(client, editor);
}
