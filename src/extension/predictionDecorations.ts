import * as vscode from 'vscode';
import type { DocumentPredictionsParams, PredictionModelStatus } from '../common/lspProtocol';

/** A prediction as drawn in an editor (for tests: VS Code cannot read decorations back). */
export interface DrawnPrediction {
  entity: string;
  tag: string;
  color: string;
  value: string;
  confidence: number | null;
  range: vscode.Range;
}

/**
 * Draws the model's predicted entities: a dotted underline in the type's colour and no background,
 * so they read apart from gold labels (tinted background, solid underline) and show through them.
 * Disagreements with gold, when the server sends them, go to a diagnostic collection of their own.
 */
export class PredictionDecorations implements vscode.Disposable {
  private readonly types = new Map<string, vscode.TextEditorDecorationType>();
  private readonly latest = new Map<string, DocumentPredictionsParams>();
  private readonly drawn = new Map<string, DrawnPrediction[]>();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('finlabel-predictions');
  private readonly status = vscode.window.createStatusBarItem('finlabel.entityModel', vscode.StatusBarAlignment.Right, 99);
  private readonly onDidDrawEmitter = new vscode.EventEmitter<string>();
  readonly onDidDraw = this.onDidDrawEmitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private model: PredictionModelStatus = { state: 'none', message: 'no entity model loaded yet' };

  constructor(private readonly output: vscode.LogOutputChannel) {
    this.status.name = 'FinLabel Entity Model';
    this.status.command = 'finlabel.showOutput';
    this.subscriptions.push(
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.draw(e))),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.latest.delete(doc.uri.toString());
        this.drawn.delete(doc.uri.toString());
        this.diagnostics.delete(doc.uri);
      }),
      // Until fresh predictions come, ones for an older version would sit on the wrong characters.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        for (const editor of vscode.window.visibleTextEditors) if (editor.document === e.document) this.draw(editor);
      }),
    );
  }

  get modelStatus(): PredictionModelStatus {
    return this.model;
  }

  setModel(status: PredictionModelStatus): void {
    this.model = status;
    const line = `Entity predictions: ${status.message}`;
    if (status.state === 'error') this.output.warn(line);
    else this.output.info(line);
    if (status.state === 'off' || status.state === 'none') {
      this.status.hide();
      return;
    }
    const icon = status.state === 'error' ? '$(warning)' : status.state === 'loading' ? '$(loading~spin)' : '$(sparkle)';
    this.status.text = `${icon} ${status.state === 'error' ? 'no entity model' : (status.model ?? 'entity model')}`;
    this.status.tooltip = `FinLabel: ${status.message}`;
    this.status.backgroundColor = status.state === 'error' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.status.show();
  }

  update(params: DocumentPredictionsParams): void {
    this.latest.set(params.uri, params);
    const uri = vscode.Uri.parse(params.uri);
    this.diagnostics.set(
      uri,
      params.disagreements.map((d) => {
        const diagnostic = new vscode.Diagnostic(new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character), d.message, vscode.DiagnosticSeverity.Information);
        diagnostic.source = 'finlabel predictions';
        diagnostic.code = d.kind;
        return diagnostic;
      }),
    );
    for (const editor of vscode.window.visibleTextEditors) if (editor.document.uri.toString() === params.uri) this.draw(editor);
  }

  predictionsDrawn(uri: vscode.Uri): readonly DrawnPrediction[] {
    return this.drawn.get(uri.toString()) ?? [];
  }

  private draw(editor: vscode.TextEditor): void {
    const uri = editor.document.uri.toString();
    const params = this.latest.get(uri);
    if (!params) return;
    const current = params.version === editor.document.version;
    const byColor = new Map<string, vscode.Range[]>();
    for (const key of this.types.keys()) byColor.set(key, []);
    const drawn: DrawnPrediction[] = [];
    if (current) {
      for (const span of params.spans) {
        const range = new vscode.Range(span.range.start.line, span.range.start.character, span.range.end.line, span.range.end.character);
        if (!this.types.has(span.color)) this.types.set(span.color, createDecorationType(span.color));
        byColor.set(span.color, [...(byColor.get(span.color) ?? []), range]);
        drawn.push({ entity: span.entity, tag: span.tag, color: span.color, value: span.value, confidence: span.confidence, range });
      }
    }
    for (const [color, ranges] of byColor) {
      const type = this.types.get(color);
      if (type) editor.setDecorations(type, ranges);
    }
    this.drawn.set(uri, drawn);
    this.onDidDrawEmitter.fire(uri);
  }

  dispose(): void {
    for (const t of this.types.values()) t.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.diagnostics.dispose();
    this.status.dispose();
    this.onDidDrawEmitter.dispose();
  }
}

function createDecorationType(color: string): vscode.TextEditorDecorationType {
  return vscode.window.createTextEditorDecorationType({
    textDecoration: `underline dotted ${color} 2px`,
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    overviewRulerColor: `${color}80`,
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
}
