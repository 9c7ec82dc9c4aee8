import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { contractInfoRequest, setContractDatasetRequest, type ContractInfo } from '../../common/contractProtocol';
import { isContractDocument } from './contractFiles';

export const DEFAULT_DATASET_NAME = 'contracts.labels.jsonl';

type ChosenInfo = Extract<ContractInfo, { ok: true }> & { dataset: NonNullable<Extract<ContractInfo, { ok: true }>['dataset']> };

/**
 * The contract's dataset; the first time a file of a folder is labelled, asks which dataset the
 * folder's labels go to (and remembers it). Undefined when the user cancels or it cannot be used.
 */
export async function ensureContractDataset(client: LanguageClient, contract: vscode.TextDocument): Promise<ChosenInfo | undefined> {
  let info = await client.sendRequest(contractInfoRequest, { uri: contract.uri.toString() });
  if (!info.ok) {
    void vscode.window.showWarningMessage(`FinLabel: ${info.message}`);
    return undefined;
  }
  if (info.dataset) return info as ChosenInfo;
  if (info.datasetProblem) {
    const choose = 'Choose Another Dataset';
    const answer = await vscode.window.showWarningMessage(`FinLabel: ${info.datasetProblem}`, choose);
    if (answer !== choose) return undefined;
  }
  const chosen = await chooseContractDataset(client, vscode.Uri.parse(info.folder.uri));
  if (!chosen) return undefined;
  info = await client.sendRequest(contractInfoRequest, { uri: contract.uri.toString() });
  return info.ok && info.dataset ? (info as ChosenInfo) : undefined;
}

/**
 * "FinLabel: Choose Dataset for Contract Folder…": `target` is the folder or a file in it (else the
 * active contract's folder, else a folder dialog); `dataset` the .jsonl to use (else a quick pick of
 * the workspace's datasets and "New dataset…"). A dataset that does not exist is created empty.
 */
export async function chooseContractDataset(
  client: LanguageClient,
  target?: vscode.Uri | string,
  dataset?: vscode.Uri | string,
): Promise<vscode.Uri | undefined> {
  const folder = await resolveContractFolder(target);
  if (!folder) return undefined;
  const datasetUri = dataset !== undefined ? asUri(dataset) : await pickDataset(folder);
  if (!datasetUri) return undefined;
  const result = await client.sendRequest(setContractDatasetRequest, { folderUri: folder.toString(), datasetUri: datasetUri.toString(), create: true });
  if (!result.ok) {
    void vscode.window.showErrorMessage(`FinLabel: ${result.message}`);
    return undefined;
  }
  const where = result.folder.path === '.' ? 'the workspace folder' : result.folder.path;
  void vscode.window.showInformationMessage(
    `FinLabel: labels of the contract files in ${where} go to ${result.dataset.path}${result.created ? ' (a new, empty dataset)' : ''}. The choice is kept in ${result.mapFile.path}.`,
  );
  return datasetUri;
}

/** `target` when it is a folder, its folder when it is a file, else the active contract's folder, else a folder dialog. */
export async function resolveContractFolder(target: vscode.Uri | string | undefined): Promise<vscode.Uri | undefined> {
  if (target !== undefined) {
    const uri = asUri(target);
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      return stat.type & vscode.FileType.Directory ? uri : vscode.Uri.joinPath(uri, '..');
    } catch {
      void vscode.window.showErrorMessage(`FinLabel: ${uri.fsPath} does not exist.`);
      return undefined;
    }
  }
  const active = vscode.window.activeTextEditor?.document;
  if (active && isContractDocument(active)) return vscode.Uri.joinPath(active.uri, '..');
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Choose Contract Folder',
    title: 'The folder of the contract files (.txt, .md, .docx, .pdf)',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}

interface DatasetItem extends vscode.QuickPickItem {
  uri?: vscode.Uri;
  create?: boolean;
}

async function pickDataset(folder: vscode.Uri): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/*.jsonl', '**/node_modules/**', 1000);
  files.sort((a, b) => a.path.localeCompare(b.path));
  const suggested = vscode.Uri.joinPath(folder, DEFAULT_DATASET_NAME);
  const items: DatasetItem[] = [
    { label: '$(new-file) New dataset…', detail: `Create a .jsonl file, e.g. ${vscode.workspace.asRelativePath(suggested)}`, create: true },
    { label: 'Existing datasets', kind: vscode.QuickPickItemKind.Separator },
    ...files.map((uri) => ({
      label: uri.path.slice(uri.path.lastIndexOf('/') + 1),
      description: vscode.workspace.asRelativePath(vscode.Uri.joinPath(uri, '..')),
      uri,
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Dataset for the contract files in ${vscode.workspace.asRelativePath(folder)}`,
    placeHolder: 'Where their labels are stored: one record per file, asked once per folder',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (!picked.create) return picked.uri;
  return vscode.window.showSaveDialog({
    defaultUri: suggested,
    filters: { 'JSON Lines dataset': ['jsonl'] },
    saveLabel: 'Create Dataset',
    title: 'New dataset for contract labels',
  });
}

export function asUri(u: vscode.Uri | string): vscode.Uri {
  if (typeof u !== 'string') return u;
  return /^[a-z][a-z0-9+.-]*:/i.test(u) && !/^[a-z]:[\\/]/i.test(u) ? vscode.Uri.parse(u) : vscode.Uri.file(u);
}
