import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { labelSelectionRequest, labelTypesRequest } from '../common/lspProtocol';
import { isDataset } from '../common/datasetFiles';
import type { LabelType } from '../common/labelSchema';
import { isContractDocument, LABEL_CONTRACT_SELECTION_COMMAND } from './contracts/contractFiles';

/**
 * "FinLabel: Label Selection": asks the server for the edit that labels the selected characters of
 * a record and applies it as one undoable edit. `entity` (name or tag) skips the quick pick.
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
  const chosen = entity ?? (await pickLabelType(client));
  if (!chosen) return false;
  const document = editor.document;
  const version = document.version;
  const result = await client.sendRequest(labelSelectionRequest, {
    uri: document.uri.toString(),
    version,
    range: client.code2ProtocolConverter.asRange(selection),
    entity: chosen,
  });
  if (!result.ok) {
    void vscode.window.showWarningMessage(`FinLabel: ${result.message}`);
    return false;
  }
  if (document.version !== version) {
    void vscode.window.showWarningMessage('FinLabel: the document changed while labelling; select again.');
    return false;
  }
  const { start } = result.edit.range;
  const applied = await editor.edit((builder) => builder.insert(new vscode.Position(start.line, start.character), result.edit.newText));
  if (applied)
    vscode.window.setStatusBarMessage(
      `FinLabel: labelled "${result.label.value}" as ${result.label.entity} [${result.label.start}, ${result.label.end})`,
      4000,
    );
  return applied;
}

export async function pickLabelType(client: LanguageClient): Promise<string | undefined> {
  const types: LabelType[] = await client.sendRequest(labelTypesRequest);
  const item = await vscode.window.showQuickPick(
    types.map((t) => ({ label: t.name, description: t.key ? `${t.tag} · Alt+${t.key}` : t.tag, detail: t.description, type: t })),
    { title: 'Label the selection as', placeHolder: 'Entity type', matchOnDescription: true },
  );
  return item?.type.name;
}
