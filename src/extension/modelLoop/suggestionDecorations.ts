import * as vscode from 'vscode';
import type { DocumentSuggestionsParams } from '../../common/lspProtocol';

/** A suggestion as drawn in an editor (for tests: VS Code cannot read decorations back). */
export interface DrawnSuggestion {
  key: string;
  entity: string;
  tag: string;
  value: string;
  start: number;
  end: number;
  range: vscode.Range;
}

/**
 * Draws pre-annotation's suggestions in dataset editors: a dashed border in the type's colour, apart
 * from gold labels (tinted background, solid underline) and predictions (dotted underline).
 */
export class SuggestionDecorations implements vscode.Disposable {
  private readonly types = new Map<string, vscode.TextEditorDecorationType>();
  private readonly latest = new Map<string, DocumentSuggestionsParams>();
  private readonly drawn = new Map<string, DrawnSuggestion[]>();
  private readonly onDidDrawEmitter = new vscode.EventEmitter<string>();
  readonly onDidDraw = this.onDidDrawEmitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.draw(e))),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.latest.delete(doc.uri.toString());
        this.drawn.delete(doc.uri.toString());
      }),
      // Until the server's fresh set comes, suggestions of an older version would sit on the wrong characters.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        for (const editor of vscode.window.visibleTextEditors) if (editor.document === e.document) this.draw(editor);
      }),
    );
  }

  update(params: DocumentSuggestionsParams): void {
    this.latest.set(params.uri, params);
    for (const editor of vscode.window.visibleTextEditors) if (editor.document.uri.toString() === params.uri) this.draw(editor);
  }

  suggestionsDrawn(uri: vscode.Uri): readonly DrawnSuggestion[] {
    return this.drawn.get(uri.toString()) ?? [];
  }

  private draw(editor: vscode.TextEditor): void {
    const uri = editor.document.uri.toString();
    const params = this.latest.get(uri);
    if (!params) return;
    const byColor = new Map<string, vscode.Range[]>();
    for (const key of this.types.keys()) byColor.set(key, []);
    const drawn: DrawnSuggestion[] = [];
    if (params.version === editor.document.version) {
      for (const s of params.suggestions) {
        const range = new vscode.Range(s.range.start.line, s.range.start.character, s.range.end.line, s.range.end.character);
        if (!this.types.has(s.color)) this.types.set(s.color, createDecorationType(s.color));
        byColor.set(s.color, [...(byColor.get(s.color) ?? []), range]);
        drawn.push({ key: s.key, entity: s.entity, tag: s.tag, value: s.value, start: s.start, end: s.end, range });
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
    this.onDidDrawEmitter.dispose();
  }
}

function createDecorationType(color: string): vscode.TextEditorDecorationType {
  return vscode.window.createTextEditorDecorationType({
    border: `1px dashed ${color}`,
    borderRadius: '2px',
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    overviewRulerColor: `${color}60`,
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  });
}
