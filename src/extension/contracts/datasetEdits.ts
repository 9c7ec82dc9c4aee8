import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { contractEditRequest, contractInfoRequest, type ContractLabelAction } from '../../common/contractProtocol';

/** An edit applied to a dataset, with what it replaced, for "Undo Last Contract Label". */
interface AppliedEdit {
  uri: vscode.Uri;
  /** Where the new text is now. */
  range: vscode.Range;
  newText: string;
  oldText: string;
  summary: string;
}

const MAX_UNDO = 100;

/**
 * Applies the server's edits to a contract's record in its dataset document: one edit each, opened
 * in the background when needed and saved at once (unless it had unsaved changes of its own), so
 * the dataset's own undo works and nothing is lost if the window closes. Edits run one at a time.
 */
export class ContractDatasetEdits {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly undoStack: AppliedEdit[] = [];
  private message = '';

  constructor(private readonly client: LanguageClient) {}

  /** The last thing said in the status bar about a contract label. */
  get lastMessage(): string {
    return this.message;
  }

  /** `version`: the contract version `action` was made on (a selection); the edit is refused if the contract changed since. */
  apply(contract: vscode.TextDocument, action: ContractLabelAction, options: { undoable: boolean; version?: number }): Promise<boolean> {
    return this.serialize(() => this.applyNow(contract, action, options));
  }

  undoLast(): Promise<boolean> {
    return this.serialize(() => this.undoNow());
  }

  private serialize<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyNow(contract: vscode.TextDocument, action: ContractLabelAction, options: { undoable: boolean; version?: number }): Promise<boolean> {
    const version = options.version ?? contract.version;
    for (let attempt = 1; ; attempt++) {
      if (contract.version !== version) return warn('the file changed while labelling; select the text again.');
      const info = await this.client.sendRequest(contractInfoRequest, { uri: contract.uri.toString() });
      if (!info.ok) return warn(info.message);
      if (!info.dataset) return warn(info.datasetProblem ?? `no dataset is chosen for the folder ${info.folder.path}.`);
      const dataset = await vscode.workspace.openTextDocument(vscode.Uri.parse(info.dataset.uri));
      const datasetVersion = dataset.version;
      const result = await this.client.sendRequest(contractEditRequest, {
        uri: contract.uri.toString(),
        version,
        datasetUri: dataset.uri.toString(),
        datasetVersion,
        action,
      });
      if (!result.ok) {
        if (result.retry && attempt < 3) continue;
        return warn(result.message);
      }
      if (!result.edit) return true;
      if (dataset.version !== datasetVersion || contract.version !== version) {
        if (attempt < 3) continue;
        return warn(`${info.dataset.path} changed while labelling; try again.`);
      }
      const range = this.client.protocol2CodeConverter.asRange(result.edit.range);
      const applied = await this.replace(dataset, range, result.edit.newText, result.summary);
      if (applied && options.undoable) {
        this.undoStack.push({ ...applied, summary: result.summary });
        if (this.undoStack.length > MAX_UNDO) this.undoStack.shift();
      }
      return applied !== undefined;
    }
  }

  private async undoNow(): Promise<boolean> {
    const last = this.undoStack.pop();
    if (!last) {
      void vscode.window.showInformationMessage('FinLabel: there is no contract label edit to undo.');
      return false;
    }
    const dataset = await vscode.workspace.openTextDocument(last.uri);
    if (dataset.getText(last.range) !== last.newText) {
      this.undoStack.length = 0;
      return warn(
        `${vscode.workspace.asRelativePath(last.uri)} changed after "${last.summary}", so it cannot be undone from here; undo it in the dataset file, or use the label's code actions.`,
      );
    }
    return (await this.replace(dataset, last.range, last.oldText, `undid: ${last.summary}`)) !== undefined;
  }

  /** One edit to the dataset document, saved unless it already had unsaved changes; says what was done in the status bar. */
  private async replace(
    dataset: vscode.TextDocument,
    range: vscode.Range,
    newText: string,
    summary: string,
  ): Promise<Omit<AppliedEdit, 'summary'> | undefined> {
    const wasDirty = dataset.isDirty;
    const oldText = dataset.getText(range);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(dataset.uri, range, newText);
    if (!(await vscode.workspace.applyEdit(edit))) {
      warn(`could not edit ${vscode.workspace.asRelativePath(dataset.uri)}.`);
      return undefined;
    }
    let note = '';
    if (wasDirty) note = ' (not saved: the dataset has other unsaved changes)';
    else if (!(await dataset.save())) note = ' (the dataset could not be saved: save it by hand)';
    this.message = `${summary}${note}`;
    vscode.window.setStatusBarMessage(`FinLabel: ${this.message}`, 8000);
    return { uri: dataset.uri, range: new vscode.Range(range.start, endOf(range.start, newText)), newText, oldText };
  }
}

function warn(message: string): false {
  void vscode.window.showWarningMessage(`FinLabel: ${message}`);
  return false;
}

/** Where text inserted at `start` ends. */
function endOf(start: vscode.Position, text: string): vscode.Position {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length === 1) return start.translate(0, text.length);
  return new vscode.Position(start.line + lines.length - 1, lines[lines.length - 1].length);
}
