import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { editRecordLabelsRequest, type RecordLabelOperation } from '../common/lspProtocol';

/** How a label edit went: its description, and the document's version after it. */
export type LabelEditOutcome = { ok: true; message: string; version: number } | { ok: false; message: string };

/**
 * Asks the language server for the minimal edit that makes a label change on one line and applies it
 * to the TextDocument with a WorkspaceEdit (the annotation view and Label Selection): one undoable step, the document turns dirty, and every
 * editor on it (text editors, other annotation views) sees the change. Refused when the document is
 * no longer the version the caller drew the record from.
 */
export async function applyLabelEdit(
  client: LanguageClient | undefined,
  document: vscode.TextDocument,
  version: number,
  line: number,
  op: RecordLabelOperation,
): Promise<LabelEditOutcome> {
  if (!client || client.state !== State.Running) return { ok: false, message: 'The FinLabel language server is not running; try again in a moment.' };
  if (document.isClosed) return { ok: false, message: 'The document was closed.' };
  if (document.version !== version) return { ok: false, message: 'The record changed before the label could be edited; try again.' };
  let result;
  try {
    result = await client.sendRequest(editRecordLabelsRequest, { uri: document.uri.toString(), version, line, op });
  } catch (error) {
    return { ok: false, message: `The FinLabel language server could not edit the label: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!result.ok) return { ok: false, message: result.message };
  if (document.version !== version) return { ok: false, message: 'The record changed before the label could be edited; try again.' };
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, client.protocol2CodeConverter.asRange(result.edit.range), result.edit.newText);
  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied) return { ok: false, message: 'VS Code did not apply the edit (is the file read-only?).' };
  return { ok: true, message: result.description, version: document.version };
}
