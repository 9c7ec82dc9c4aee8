import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { creditFileStatusNotification, type CreditFileStatus } from '../common/lspProtocol';

const ENCODING_NAMES: Record<NonNullable<CreditFileStatus['encoding']>, string> = { 'utf-8': 'UTF-8', 'utf-8-bom': 'UTF-8 with BOM', gbk: 'GBK' };

/**
 * The status bar item of credit CSV files: shown while one is the active editor, with its detected
 * encoding and how far scoring got, or the one reason there are no scores (no model, worker missing).
 */
export class CreditStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('finlabel.creditScores', vscode.StatusBarAlignment.Right, 100);
  private readonly statuses = new Map<string, CreditFileStatus>();
  private visible = false;

  constructor() {
    this.item.name = 'FinLabel Credit Scores';
  }

  update(status: CreditFileStatus): void {
    this.statuses.set(status.uri, status);
    this.render();
  }

  /** The latest status of a file, for tests. */
  /** What clicking the credit status item does now (undefined: nothing). */
  get command(): vscode.Command | undefined {
    return typeof this.item.command === 'string' ? { title: '', command: this.item.command } : this.item.command;
  }

  /** The item's text and tooltip as shown now (empty while it is hidden), for tests. */
  get shown(): { text: string; tooltip: string } {
    return this.visible
      ? { text: this.item.text, tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? '') }
      : { text: '', tooltip: '' };
  }

  statusOf(uri: string): CreditFileStatus | undefined {
    return this.statuses.get(uri);
  }

  render(): void {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const status = uri === undefined ? undefined : this.statuses.get(uri);
    if (!status) {
      this.item.hide();
      this.visible = false;
      return;
    }
    const encoding = status.encoding ? ENCODING_NAMES[status.encoding] : 'unsaved';
    const what =
      status.state === 'scored'
        ? `${status.scored} scored`
        : status.state === 'scoring'
          ? `scoring ${status.scored}/${status.rows}`
          : status.state === 'no-model'
            ? 'no credit model'
            : 'no scores';
    // A shift from the training data is the one thing that makes every score here doubtful: it comes first.
    this.item.text = status.shift ? `$(warning) ${encoding} · ${what} · population shift` : `$(graph) ${encoding} · ${what}`;
    this.item.tooltip = `FinLabel credit scores (${encoding}): ${status.message}${status.shift ? `\n\n${status.shift}` : ''}`;
    this.item.backgroundColor = status.shift ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    // The picker, not the Settings editor: in code-server the machine-overridable setting is not under User, and "No Settings Found" was all it showed.
    this.item.command =
      status.state === 'no-model' || status.state === 'model-error'
        ? { title: 'Select Credit Model', command: 'finlabel.selectActiveModel', arguments: [{ task: 'credit' }] }
        : undefined;
    this.item.show();
    this.visible = true;
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** Listens to the server's credit file statuses and pushes the credit settings when they change. */
export function registerCreditScores(client: LanguageClient, pushSettings: () => void): { statusBar: CreditStatusBar; disposables: vscode.Disposable[] } {
  const statusBar = new CreditStatusBar();
  return {
    statusBar,
    disposables: [
      statusBar,
      client.onNotification(creditFileStatusNotification, (status) => statusBar.update(status)),
      vscode.window.onDidChangeActiveTextEditor(() => statusBar.render()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('finlabel.creditModel') || e.affectsConfiguration('finlabel.credit')) pushSettings();
      }),
    ],
  };
}
