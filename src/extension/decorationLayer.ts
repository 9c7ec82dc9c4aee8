import * as vscode from 'vscode';

/** One decoration to draw: its style key (colour, and style where a layer has several), where, and what the tests read back. */
export interface LayerItem<D> {
  key: string;
  range: vscode.Range;
  drawn: D;
}

/** What a layer draws from the server's latest notification for a document. */
export interface LayerSource<P, D> {
  items(params: P): LayerItem<D>[];
  createType(key: string): vscode.TextEditorDecorationType;
  /**
   * Once the document moved past the notification's version: 'keep' what is drawn (VS Code moves
   * decorations with the text; gold labels), or 'clear' it until fresh spans come (predictions and
   * suggestions, which would otherwise sit on characters they were not computed for).
   */
  whenStale: 'keep' | 'clear';
}

/**
 * One kind of span drawn in text editors (gold labels, predictions, suggestions) from the server's
 * latest notification per document: one decoration type per style key, created on first use and
 * disposed once no document uses it (which also takes it off every editor); redrawn when editors
 * show the document; and what was last drawn, since VS Code cannot read decorations back.
 */
export class DecorationLayer<P extends { uri: string; version: number }, D> implements vscode.Disposable {
  private readonly types = new Map<string, vscode.TextEditorDecorationType>();
  private readonly latestParams = new Map<string, P>();
  private readonly drawn = new Map<string, D[]>();
  private readonly keysDrawn = new Map<string, Set<string>>();
  private readonly onDidDrawEmitter = new vscode.EventEmitter<string>();
  /** Fires with the document URI after its decorations were (re)drawn. */
  readonly onDidDraw = this.onDidDrawEmitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly source: LayerSource<P, D>) {
    this.subscriptions.push(
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.draw(e))),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.latestParams.delete(doc.uri.toString());
        this.drawn.delete(doc.uri.toString());
        this.keysDrawn.delete(doc.uri.toString());
      }),
    );
    if (source.whenStale === 'clear') {
      this.subscriptions.push(
        vscode.workspace.onDidChangeTextDocument((e) => {
          if (e.contentChanges.length === 0) return;
          for (const editor of vscode.window.visibleTextEditors) if (editor.document === e.document) this.draw(editor);
        }),
      );
    }
  }

  update(params: P): void {
    this.latestParams.set(params.uri, params);
    for (const editor of vscode.window.visibleTextEditors) if (editor.document.uri.toString() === params.uri) this.draw(editor);
  }

  latest(uri: string): P | undefined {
    return this.latestParams.get(uri);
  }

  drawnIn(uri: string): readonly D[] {
    return this.drawn.get(uri) ?? [];
  }

  private draw(editor: vscode.TextEditor): void {
    const uri = editor.document.uri.toString();
    const params = this.latestParams.get(uri);
    if (!params) return;
    const current = params.version === editor.document.version;
    if (!current && this.source.whenStale === 'keep') return;
    const items = current ? this.source.items(params) : [];
    const byKey = new Map<string, vscode.Range[]>();
    for (const key of this.types.keys()) byKey.set(key, []);
    for (const item of items) {
      if (!this.types.has(item.key)) this.types.set(item.key, this.source.createType(item.key));
      const ranges = byKey.get(item.key) ?? [];
      ranges.push(item.range);
      byKey.set(item.key, ranges);
    }
    for (const [key, ranges] of byKey) editor.setDecorations(this.types.get(key)!, ranges);
    this.keysDrawn.set(uri, new Set(items.map((i) => i.key)));
    this.disposeUnusedTypes();
    this.drawn.set(
      uri,
      items.map((i) => i.drawn),
    );
    this.onDidDrawEmitter.fire(uri);
  }

  /**
   * A style no document shows any more (a colour changed or left the label schema): its type goes,
   * and with it its decorations everywhere. A document drawn later makes it again.
   */
  private disposeUnusedTypes(): void {
    const used = new Set<string>();
    for (const keys of this.keysDrawn.values()) for (const key of keys) used.add(key);
    for (const [key, type] of this.types) {
      if (used.has(key)) continue;
      type.dispose();
      this.types.delete(key);
    }
  }

  dispose(): void {
    for (const t of this.types.values()) t.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.onDidDrawEmitter.dispose();
  }
}

/** An LSP range as a VS Code range. */
export function toRange(r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}
