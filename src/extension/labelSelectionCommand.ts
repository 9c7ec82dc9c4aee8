import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { labelTypesRequest } from '../common/lspProtocol';
import { applyLabelEdit } from './labelEditApplier';
import { isDataset } from '../common/datasetFiles';
import type { LabelType } from '../common/labelSchema';
import { isContractDocument, LABEL_CONTRACT_SELECTION_COMMAND } from './contracts/contractFiles';

/**
 * "FinLabel: Label Selection": asks the server for the edit that labels the selected characters of
 * a record (the same request as the annotation view's) and applies it as one undoable edit.
 * `entity` (name or tag) skips the quick pick.
 */
export async function labelSelection(client: LanguageClient, entity?: string): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (editor && isContractDocument(editor.document)) return (await vscode.commands.executeCommand<boolean>(LABEL_CONTRACT_SELECTION_COMMAND, entity)) ?? false;
  if (!editor || !isDataset(editor.document.uri.path, editor.document.languageId)) {
    void vscode.window.showInformationMessage(
      'Open a dataset .jsonl file (select characters in a record\'s "text") or a contract .txt/.md file to label a selection.',
    );
    return false;
  }
  const selection = editor.selection;
  if (selection.isEmpty) {
    void vscode.window.showInformationMessage('Select the characters to label first.');
    return false;
  }
  if (selection.start.line !== selection.end.line) {
    void vscode.window.showInformationMessage('FinLabel: a label must lie within one record (one line).');
    return false;
  }
  const chosen = entity ?? (await pickLabelType(client));
  if (!chosen) return false;
  const document = editor.document;
  const op = { kind: 'addSelection', startColumn: selection.start.character, endColumn: selection.end.character, entity: chosen } as const;
  const outcome = await applyLabelEdit(client, document, document.version, selection.start.line, op);
  if (!outcome.ok) {
    void vscode.window.showWarningMessage(`FinLabel: ${outcome.message}`);
    return false;
  }
  vscode.window.setStatusBarMessage(`FinLabel: ${outcome.message}`, 4000);
  return true;
}

export async function pickLabelType(client: LanguageClient): Promise<string | undefined> {
  const types: LabelType[] = await client.sendRequest(labelTypesRequest);
  const item = await vscode.window.showQuickPick(
    types.map((t) => ({ label: t.name, description: t.key ? `${t.tag} · Alt+${t.key}` : t.tag, detail: t.description, type: t })),
    { title: 'Label the selection as', placeHolder: 'Entity type', matchOnDescription: true },
  );
  return item?.type.name;
}
