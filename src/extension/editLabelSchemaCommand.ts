import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLabelSchemaFileRequest } from '../common/lspProtocol';

/**
 * "FinLabel: Edit Label Schema": opens the workspace folder's schema file, which the server first
 * writes from the schema in use when it does not exist yet (an existing file is never overwritten).
 */
export async function editLabelSchema(client: LanguageClient): Promise<vscode.Uri | undefined> {
  const folder = await schemaFolder();
  if (!folder) {
    void vscode.window.showInformationMessage('FinLabel: open a folder first; its label schema lives in .finlabel/labels.json.');
    return undefined;
  }
  const result = await client.sendRequest(createLabelSchemaFileRequest, { folderUri: client.code2ProtocolConverter.asUri(folder.uri) });
  if (!result.ok) {
    void vscode.window.showErrorMessage(`FinLabel: cannot create the label schema file: ${result.message}`);
    return undefined;
  }
  const uri = client.protocol2CodeConverter.asUri(result.uri);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  if (result.created) vscode.window.setStatusBarMessage(`FinLabel: wrote ${vscode.workspace.asRelativePath(uri)} from the label types in use`, 5000);
  return uri;
}

/** The folder of the active editor, the only folder, or the one the user picks. */
async function schemaFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const own = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  if (own) return own;
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Edit the label schema of which folder?' });
}
