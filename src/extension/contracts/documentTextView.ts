import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { documentTextRequest, type DocumentTextLabel } from '../../common/documentImportProtocol';
import { asUri } from './datasetChoice';

/** The scheme of the read-only text views of imported Word and PDF files. */
export const DOCUMENT_TEXT_SCHEME = 'finlabel-document';

interface ShownDocument {
  text: string;
  labels: DocumentTextLabel[];
  dataset: string;
  line: number;
}

/**
 * "FinLabel: Show Document Text": the text of an imported .docx/.pdf (its record's text, so the
 * dataset's offsets are the view's) in a read-only editor, its labels drawn, each with its entity,
 * page and paragraph in the hover; given a label's index, that label is selected.
 */
export class DocumentTextView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly shown = new Map<string, ShownDocument>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly labelled = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.wordHighlightStrongBackground'),
    borderRadius: '2px',
  });
  private readonly flagged = vscode.window.createTextEditorDecorationType({
    textDecoration: 'underline wavy',
    color: new vscode.ThemeColor('editorWarning.foreground'),
  });
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly client: LanguageClient) {
    this.disposables = [
      vscode.workspace.registerTextDocumentContentProvider(DOCUMENT_TEXT_SCHEME, this),
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.decorate(e))),
      this.changed,
      this.labelled,
      this.flagged,
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.shown.get(uri.toString())?.text ?? '';
  }

  /** Opens the text view of `target` (else the active editor's file, else a file dialog); selects label `labelIndex` when given. */
  async show(target?: vscode.Uri | string, labelIndex?: number): Promise<vscode.TextEditor | undefined> {
    const file = target !== undefined ? asUri(target) : await this.pickFile();
    if (!file) return undefined;
    const result = await this.client.sendRequest(documentTextRequest, { uri: file.toString() });
    if (!result.ok) {
      void vscode.window.showWarningMessage(`FinLabel: ${result.message}`);
      return undefined;
    }
    const uri = vscode.Uri.from({ scheme: DOCUMENT_TEXT_SCHEME, path: `${file.path}.txt` });
    this.shown.set(uri.toString(), { text: result.text, labels: result.labels, dataset: result.dataset.path, line: result.line });
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    // A view already open takes the new text asynchronously after the change event.
    for (let waited = 0; document.getText() !== result.text && waited < 3000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    this.decorate(editor);
    const label = labelIndex === undefined ? undefined : result.labels.find((l) => l.index === labelIndex);
    if (labelIndex !== undefined && !label)
      void vscode.window.showWarningMessage(`FinLabel: the record of ${result.file.path} has no label ${labelIndex + 1} that can be placed on its text.`);
    if (label) {
      const range = this.client.protocol2CodeConverter.asRange(label.range);
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
    return editor;
  }

  private decorate(editor: vscode.TextEditor): void {
    const shown = this.shown.get(editor.document.uri.toString());
    if (editor.document.uri.scheme !== DOCUMENT_TEXT_SCHEME || !shown) return;
    const options = (labels: DocumentTextLabel[]): vscode.DecorationOptions[] =>
      labels.map((l) => ({
        range: this.client.protocol2CodeConverter.asRange(l.range),
        hoverMessage: `**${l.entity}** "${l.value}" · ${l.place}${l.intact ? '' : ' · its text is no longer here (changed or vanished at the last import)'} · ${shown.dataset}, line ${shown.line}`,
      }));
    editor.setDecorations(this.labelled, options(shown.labels.filter((l) => l.intact)));
    editor.setDecorations(this.flagged, options(shown.labels.filter((l) => !l.intact)));
  }

  private async pickFile(): Promise<vscode.Uri | undefined> {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active?.scheme === DOCUMENT_TEXT_SCHEME) return active.with({ scheme: 'file', path: active.path.replace(/\.txt$/, '') });
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Word and PDF contracts': ['docx', 'pdf'] }, openLabel: 'Show Text' });
    return picked?.[0];
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
