import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { contractInfoRequest, EDIT_CONTRACT_LABEL_COMMAND, type EditContractLabelArgs } from '../../common/contractProtocol';
import { pickLabelType } from '../labelSelectionCommand';
import { isContractDocument, LABEL_CONTRACT_SELECTION_COMMAND } from './contractFiles';
import { chooseContractDataset, ensureContractDataset } from './datasetChoice';
import { ContractDatasetEdits } from './datasetEdits';
import { importContractDocuments } from './documentImportCommand';
import { DocumentTextView } from './documentTextView';

/** What the contract feature gives the rest of the extension. */
export interface ContractFeature {
  disposables: vscode.Disposable[];
  lastMessage(): string;
}

/**
 * Labelling plain contract files: the commands, the code actions' command, and writing the record
 * when a contract is saved after its text was edited; importing Word and PDF contracts and their text view.
 */
export function registerContractFeature(client: LanguageClient, output: vscode.LogOutputChannel): ContractFeature {
  const edits = new ContractDatasetEdits(client);
  const textView = new DocumentTextView(client);
  const disposables = [
    textView,
    vscode.commands.registerCommand('finlabel.importContractDocuments', (target?: vscode.Uri | string) => importContractDocuments(client, output, target)),
    vscode.commands.registerCommand('finlabel.showDocumentText', async (target?: vscode.Uri | string, labelIndex?: number) =>
      (await textView.show(target, labelIndex))?.document.uri.toString(),
    ),
    vscode.commands.registerCommand(LABEL_CONTRACT_SELECTION_COMMAND, (entity?: string) => labelContractSelection(client, edits, entity)),
    vscode.commands.registerCommand('finlabel.chooseContractDataset', async (target?: vscode.Uri | string, dataset?: vscode.Uri | string) =>
      (await chooseContractDataset(client, target, dataset))?.toString(),
    ),
    vscode.commands.registerCommand('finlabel.undoLastContractLabel', () => edits.undoLast()),
    vscode.commands.registerCommand(EDIT_CONTRACT_LABEL_COMMAND, async (args: EditContractLabelArgs) => {
      const contract = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
      return edits.apply(contract, args.action, { undoable: true });
    }),
    vscode.workspace.onDidSaveTextDocument(async (document) => {
      if (!isContractDocument(document)) return;
      try {
        const info = await client.sendRequest(contractInfoRequest, { uri: document.uri.toString() });
        if (info.ok && info.dataset && info.needsSync) await edits.apply(document, { kind: 'sync' }, { undoable: false });
      } catch (error) {
        output.error(`could not write the record of ${document.uri.fsPath} after saving it: ${(error as Error).message}`);
      }
    }),
  ];
  return { disposables, lastMessage: () => edits.lastMessage };
}

async function labelContractSelection(client: LanguageClient, edits: ContractDatasetEdits, entity?: string): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !isContractDocument(editor.document) || editor.selection.isEmpty) {
    void vscode.window.showInformationMessage('FinLabel: select the characters to label in a .txt or .md file first.');
    return false;
  }
  const { document, selection } = editor;
  const version = document.version;
  const range = client.code2ProtocolConverter.asRange(selection);
  if (!(await ensureContractDataset(client, document))) return false;
  const chosen = entity ?? (await pickLabelType(client));
  if (!chosen) return false;
  return edits.apply(document, { kind: 'label', range, entity: chosen }, { undoable: true, version });
}
