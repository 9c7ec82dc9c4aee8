import * as vscode from 'vscode';
import type { DocumentPredictionsParams, PredictionDepth, PredictionModelStatus } from '../common/lspProtocol';
import { DecorationLayer, toRange } from './decorationLayer';

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
  private readonly layer = new DecorationLayer<DocumentPredictionsParams, DrawnPrediction>({
    items: (params) =>
      params.spans.map((span) => {
        const range = toRange(span.range);
        return {
          key: span.color,
          range,
          drawn: { entity: span.entity, tag: span.tag, color: span.color, value: span.value, confidence: span.confidence, range },
        };
      }),
    createType: createDecorationType,
    whenStale: 'clear',
  });
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('finlabel-predictions');
  private readonly status = vscode.window.createStatusBarItem('finlabel.entityModel', vscode.StatusBarAlignment.Right, 99);
  private readonly subscriptions: vscode.Disposable[] = [];
  private model: PredictionModelStatus = { state: 'none', message: 'no entity model loaded yet' };
  private readonly depths = new Map<string, PredictionDepth>();

  constructor(private readonly output: vscode.LogOutputChannel) {
    this.status.name = 'FinLabel Entity Model';
    this.status.command = 'finlabel.showOutput';
    this.subscriptions.push(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.diagnostics.delete(doc.uri);
        this.depths.delete(doc.uri.toString());
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
    const uri = vscode.Uri.parse(params.uri);
    const before = this.depths.get(params.uri);
    if (params.depth) this.depths.set(params.uri, params.depth);
    else this.depths.delete(params.uri);
    if (params.depth?.outOfDepth && !before?.outOfDepth) this.output.warn(`Entity predictions for ${params.uri}: ${params.depth.message}`);
    this.diagnostics.set(
      uri,
      params.disagreements.map((d) => {
        const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, vscode.DiagnosticSeverity.Information);
        diagnostic.source = 'finlabel predictions';
        diagnostic.code = d.kind;
        return diagnostic;
      }),
    );
    this.layer.update(params);
  }

  /** The threshold and out-of-depth assessment of a document's last predictions. */
  depthOf(uri: vscode.Uri): PredictionDepth | undefined {
    return this.depths.get(uri.toString());
  }

  predictionsDrawn(uri: vscode.Uri): readonly DrawnPrediction[] {
    return this.layer.drawnIn(uri.toString());
  }

  dispose(): void {
    this.layer.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.diagnostics.dispose();
    this.status.dispose();
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
