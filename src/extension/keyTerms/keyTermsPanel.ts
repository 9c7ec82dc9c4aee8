/**
 * "FinLabel: Show Key Terms": a webview panel (src/webview/keyTerms) with the key terms of the active
 * dataset or contract file, from the language server (finlabel/keyTerms). Clicking a term selects
 * its span in the document. While the view is open, its reviewer checks are diagnostics of the
 * document (computed on demand: checking every record of a large dataset on each edit would cost typing).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ReviewerCheck, TermSource } from '../../common/keyTerms';
import { keyTermsRequest } from '../../common/lspProtocol';
import type { HostToWebview, WebviewToHost } from '../../webview/keyTerms/messages';
import { webviewPageHtml } from '../annotationView/webviewHtml';

export const KeyTermsCommands = {
  show: 'finlabel.showKeyTerms',
} as const;

const CSS = `
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
.toolbar { display: flex; gap: 1em; align-items: center; margin: 0.5em 0; }
.title { font-weight: bold; }
.note { opacity: 0.8; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--vscode-panel-border); padding: 4px 6px; text-align: left; vertical-align: top; }
th { position: sticky; top: 0; background: var(--vscode-editor-background); }
button.place { background: none; border: none; padding: 0; color: var(--vscode-textLink-foreground); cursor: pointer; font: inherit; text-align: left; }
button.place:hover, button.place:focus { text-decoration: underline; }
button.place.predicted { font-style: italic; }
.origin { opacity: 0.7; font-size: 0.9em; }
.check { color: var(--vscode-editorWarning-foreground); }
`;

/** The Key Terms view: one at a time; showing it again for the same document refreshes it, for another replaces it. */
export class KeyTermsPanel implements vscode.Disposable {
  static readonly viewType = 'finlabel.keyTerms';
  private static last: KeyTermsPanel | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    private readonly client: () => LanguageClient,
    private readonly diagnostics: vscode.DiagnosticCollection,
  ) {
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((m: WebviewToHost) => void this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  static open(extensionUri: vscode.Uri, uri: vscode.Uri, client: () => LanguageClient, diagnostics: vscode.DiagnosticCollection): KeyTermsPanel {
    const current = KeyTermsPanel.last;
    if (current && current.uri.toString() === uri.toString()) {
      current.panel.reveal(vscode.ViewColumn.Beside);
      void current.refresh();
      return current;
    }
    const webviewRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(KeyTermsPanel.viewType, `Key Terms: ${path.basename(uri.fsPath)}`, vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [webviewRoot],
      retainContextWhenHidden: true,
    });
    panel.webview.html = webviewPageHtml(panel.webview, webviewRoot, { script: 'keyTerms.js', css: CSS, title: 'FinLabel Key Terms' });
    KeyTermsPanel.last?.dispose();
    const view = new KeyTermsPanel(panel, uri, client, diagnostics);
    KeyTermsPanel.last = view;
    return view;
  }

  private post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private async refresh(): Promise<void> {
    const view = await this.client().sendRequest(keyTermsRequest, { uri: this.uri.toString() });
    if (!view) {
      void vscode.window.showWarningMessage(
        `FinLabel: ${path.basename(this.uri.fsPath)} is not an open dataset or contract file; open it to see its key terms`,
      );
      return;
    }
    this.diagnostics.set(
      this.uri,
      checkDiagnostics(
        this.uri,
        view.rows.flatMap((r) => r.checks),
      ),
    );
    this.post({ type: 'terms', view, title: vscode.workspace.asRelativePath(this.uri) });
  }

  private async receive(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
      case 'refresh':
        await this.refresh();
        break;
      case 'reveal':
        await this.reveal(message.source);
        break;
      case 'cspViolation':
        console.warn(`FinLabel key terms: the Content-Security-Policy blocked ${message.blockedURI} (${message.directive})`);
        break;
    }
  }

  /** Opens the document beside the view with the span selected. */
  private async reveal(source: TermSource): Promise<void> {
    if (source.file !== this.uri.toString() || !source.range) return;
    const document = await vscode.workspace.openTextDocument(this.uri);
    const { start, end } = source.range;
    const range = document.validateRange(new vscode.Range(start.line, start.character, end.line, end.character));
    const editor = await vscode.window.showTextDocument(document, {
      viewColumn: vscode.ViewColumn.One,
      selection: new vscode.Selection(range.start, range.end),
      preserveFocus: false,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (KeyTermsPanel.last === this) KeyTermsPanel.last = undefined;
    this.diagnostics.delete(this.uri);
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.panel.dispose();
  }
}

const toRange = (r: NonNullable<TermSource['range']>): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

/**
 * Two forms of one amount that disagree, or a date range that contradicts the stated term, are errors
 * in the document: warnings. A guarantee named without its guarantee contract is often just how the
 * text is written (most loan contracts name the guarantee only), so it is information to follow up.
 */
const CHECK_SEVERITY: Record<ReviewerCheck['code'], vscode.DiagnosticSeverity> = {
  'amount-forms-disagree': vscode.DiagnosticSeverity.Warning,
  'term-length-disagrees': vscode.DiagnosticSeverity.Warning,
  'guarantee-without-contract': vscode.DiagnosticSeverity.Information,
};

/** The reviewer checks as diagnostics: on their first place, the other named as related information. */
function checkDiagnostics(uri: vscode.Uri, checks: readonly ReviewerCheck[]): vscode.Diagnostic[] {
  return checks.flatMap((c) => {
    const [first, ...rest] = c.places;
    if (!first?.range) return [];
    const d = new vscode.Diagnostic(toRange(first.range), c.message, CHECK_SEVERITY[c.code]);
    d.source = 'finlabel key terms';
    d.code = c.code;
    d.relatedInformation = rest.flatMap((p) =>
      p.range ? [new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(p.range)), `the other place: "${p.text}"`)] : [],
    );
    return [d];
  });
}

export function registerKeyTermsCommands(extensionUri: vscode.Uri, client: () => LanguageClient): vscode.Disposable[] {
  const diagnostics = vscode.languages.createDiagnosticCollection('finlabel-key-terms');
  return [
    diagnostics,
    vscode.commands.registerCommand(KeyTermsCommands.show, (target?: vscode.Uri) => {
      const uri = target ?? vscode.window.activeTextEditor?.document.uri;
      if (!uri) {
        void vscode.window.showInformationMessage('FinLabel: open a dataset (.jsonl) or a contract file (.txt, .md) to see its key terms');
        return undefined;
      }
      KeyTermsPanel.open(extensionUri, uri, client, diagnostics);
      return undefined;
    }),
  ];
}
