import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { regenerateSamplesRequest } from '../common/lspProtocol';

/** "FinLabel: Regenerate Sample Data": writes the generated sample files into a folder the user picks. */
export async function regenerateSamples(client: LanguageClient, folderArg?: string, seedArg?: number): Promise<string[] | undefined> {
  let folder = folderArg;
  if (!folder) {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    const picked = await vscode.window.showOpenDialog({
      title: 'Folder for the FinLabel sample data',
      defaultUri: root,
      canSelectFiles: false,
      canSelectFolders: true,
      openLabel: 'Generate here',
    });
    folder = picked?.[0]?.fsPath;
    if (!folder) return undefined;
  }
  let seed = seedArg;
  if (seed === undefined) {
    const input = await vscode.window.showInputBox({
      title: 'Random seed (the same seed gives the same files)',
      value: '42',
      validateInput: (v) => (/^\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? undefined : 'A non-negative integer'),
    });
    if (input === undefined) return undefined;
    seed = Number(input);
  }
  const existing = ['due_diligence.jsonl', 'credit.csv'].filter((f) => fs.existsSync(path.join(folder, f)));
  if (existing.length > 0 && folderArg === undefined) {
    const ok = await vscode.window.showWarningMessage(
      `Overwrite ${existing.join(', ')} in ${folder}? Labels you added to these files will be lost.`,
      { modal: true },
      'Overwrite',
    );
    if (ok !== 'Overwrite') return undefined;
  }
  const result = await client.sendRequest(regenerateSamplesRequest, { folder, seed });
  void vscode.window.showInformationMessage(`FinLabel: wrote ${result.files.length} sample files to ${folder} (seed ${seed}).`);
  return result.files;
}
