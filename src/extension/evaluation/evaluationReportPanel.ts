/**
 * The evaluation report: a webview panel (src/webview/evaluationReport) showing one report's tables
 * and charts. Its links open the dataset at a miss or false alarm; "Save as HTML" writes the
 * standalone page (same content, styles inline, no script).
 */
import * as vscode from 'vscode';
import { REPORT_CSS, standaloneReportHtml } from '../../common/evaluationReportHtml';
import type { EvaluationReport } from '../../common/evaluationReport';
import type { HostToWebview, WebviewToHost } from '../../webview/evaluationReport/messages';
import { webviewPageHtml } from '../annotationView/webviewHtml';

/** The panel of one report; a new evaluation opens a new panel. */
export class EvaluationReportPanel implements vscode.Disposable {
  static readonly viewType = 'finlabel.evaluationReport';
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    readonly report: EvaluationReport,
    readonly dataUri: vscode.Uri,
  ) {
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((m: WebviewToHost) => void this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  static open(extensionUri: vscode.Uri, report: EvaluationReport, dataUri: vscode.Uri): EvaluationReportPanel {
    const webviewRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    const name = report.model.dir.split(/[\\/]/).pop() ?? report.model.dir;
    const panel = vscode.window.createWebviewPanel(EvaluationReportPanel.viewType, `Evaluation: ${name}`, vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [webviewRoot],
      retainContextWhenHidden: true,
    });
    panel.webview.html = webviewPageHtml(panel.webview, webviewRoot, { script: 'evaluationReport.js', css: REPORT_CSS, title: 'FinLabel Evaluation Report' });
    return new EvaluationReportPanel(panel, report, dataUri);
  }

  /** Save as HTML: asks where, then writes the standalone HTML report. */
  private async saveHtml(): Promise<void> {
    const uri = await vscode.window.showSaveDialog({
      title: 'Save the evaluation report as HTML',
      defaultUri: vscode.Uri.joinPath(vscode.Uri.file(this.report.model.dir), 'evaluation.html'),
      filters: { HTML: ['html'] },
    });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(standaloneReportHtml(this.report), 'utf8'));
    void vscode.window.setStatusBarMessage(`FinLabel: evaluation report saved to ${uri.fsPath}`, 5000);
  }

  private post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private async receive(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.post({ type: 'report', report: this.report });
        break;
      case 'openSpan':
        await this.openSpan(message.line, message.columns);
        break;
      case 'saveHtml':
        try {
          await this.saveHtml();
        } catch (err) {
          void vscode.window.showErrorMessage(`FinLabel: could not save the report: ${(err as Error).message}`);
        }
        break;
      case 'cspViolation':
        console.warn(`FinLabel evaluation report: the Content-Security-Policy blocked ${message.blockedURI} (${message.directive})`);
        break;
    }
  }

  /** Opens the dataset beside the report with the span selected (the columns the server computed in the record's line). */
  private async openSpan(line: number, columns: { start: number; end: number } | null): Promise<void> {
    const document = await vscode.workspace.openTextDocument(this.dataUri);
    if (line >= document.lineCount) {
      void vscode.window.showWarningMessage(`FinLabel: ${this.dataUri.fsPath} has no line ${line + 1} any more; evaluate again`);
      return;
    }
    const text = document.lineAt(line).text;
    const range = columns && columns.end <= text.length ? new vscode.Range(line, columns.start, line, columns.end) : new vscode.Range(line, 0, line, 0);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: range, preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.panel.dispose();
  }
}
