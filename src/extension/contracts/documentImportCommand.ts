import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { importContractDocumentsRequest, type DocumentImportReport, type ImportContractDocumentsParams } from '../../common/documentImportProtocol';
import type { TextEdit } from '../../common/lspProtocol';
import { chooseContractDataset, resolveContractFolder } from './datasetChoice';

/** Asking again after the dataset was opened or changed under the import. */
const MAX_ATTEMPTS = 4;

/**
 * "FinLabel: Import Word and PDF Contracts…": the server reads the folder's .docx and .pdf files and
 * computes the edits to the folder's dataset (asked for once, like for labelling); they are applied
 * as one edit to the dataset document and saved, so the dataset's undo takes the import back. What
 * happened to each file goes to the FinLabel output; the notification says the totals and the problems.
 */
export async function importContractDocuments(
  client: LanguageClient,
  output: vscode.LogOutputChannel,
  target?: vscode.Uri | string,
): Promise<DocumentImportReport | undefined> {
  const folder = await resolveContractFolder(target);
  if (!folder) return undefined;
  const params: ImportContractDocumentsParams = { folderUri: folder.toString() };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `FinLabel: importing the Word and PDF files of ${vscode.workspace.asRelativePath(folder)}…` },
      () => client.sendRequest(importContractDocumentsRequest, params),
    );
    if (!result.ok) {
      if (result.needsDataset) {
        if (!(await chooseContractDataset(client, folder))) return undefined;
        attempt--;
        continue;
      }
      if (result.retry && result.dataset && attempt < MAX_ATTEMPTS) {
        const dataset = await vscode.workspace.openTextDocument(vscode.Uri.parse(result.dataset.uri));
        params.datasetUri = dataset.uri.toString();
        params.datasetVersion = dataset.version;
        continue;
      }
      void vscode.window.showErrorMessage(`FinLabel: ${result.message}`);
      return undefined;
    }
    const dataset = await vscode.workspace.openTextDocument(vscode.Uri.parse(result.dataset.uri));
    if (dataset.version !== params.datasetVersion) {
      params.datasetUri = dataset.uri.toString();
      params.datasetVersion = dataset.version;
      continue;
    }
    if (result.edits.length > 0 && !(await applyToDataset(client, dataset, result.edits))) {
      void vscode.window.showErrorMessage(`FinLabel: could not edit ${result.dataset.path}; nothing was imported.`);
      return undefined;
    }
    tell(output, result.report);
    return result.report;
  }
  void vscode.window.showWarningMessage('FinLabel: the dataset kept changing during the import; try again.');
  return undefined;
}

async function applyToDataset(client: LanguageClient, dataset: vscode.TextDocument, edits: TextEdit[]): Promise<boolean> {
  const wasDirty = dataset.isDirty;
  const edit = new vscode.WorkspaceEdit();
  edit.set(dataset.uri, (await client.protocol2CodeConverter.asTextEdits(edits)) ?? []);
  if (!(await vscode.workspace.applyEdit(edit))) return false;
  if (!wasDirty) await dataset.save();
  return true;
}

function tell(output: vscode.LogOutputChannel, report: DocumentImportReport): void {
  output.info(`Import of the Word and PDF files of ${report.folder} into ${report.dataset}:`);
  for (const file of report.files) {
    (file.outcome === 'not-imported' || file.vanished.length > 0 ? output.warn : output.info).call(output, file.message);
    for (const m of file.moved)
      output.info(`  moved: ${m.entity} "${m.value}" from ${m.from.place} [${m.from.start}, ${m.from.end}) to ${m.to?.place} [${m.to?.start}, ${m.to?.end})`);
    for (const v of file.vanished) output.warn(`  vanished: ${v.entity} "${v.value}" (was at ${v.from.place} [${v.from.start}, ${v.from.end}))`);
  }
  output.info(report.summary);
  const problems = report.files.filter((f) => f.outcome === 'not-imported' || f.vanished.length > 0 || f.moved.length > 0);
  const message = `FinLabel: ${report.dataset}: ${report.summary}.${problems.length > 0 ? ` ${problems.map((f) => f.message).join(' ')}` : ''}`;
  const show = 'Show Report';
  const shown = problems.length > 0 ? vscode.window.showWarningMessage(message, show) : vscode.window.showInformationMessage(message, show);
  void shown.then((answer) => {
    if (answer === show) output.show();
  });
}
