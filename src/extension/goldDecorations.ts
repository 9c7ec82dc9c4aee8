import * as vscode from 'vscode';
import type { DocumentSpansParams, LineRange, SpanDecoration } from '../common/lspProtocol';

type SpanStyle = 'plain' | 'overlap' | 'unknown';

/** What was drawn in an editor, for the status of tests and the annotation view. */
export interface DrawnSpan {
  entity: string;
  tag: string;
  color: string;
  value: string;
  range: vscode.Range;
  style: SpanStyle;
}

/**
 * Draws gold spans in text editors: a tinted background and an underline in the type's colour.
 * Overlapping spans get a dashed outline and unknown types a dotted grey one, so nothing is hidden.
 */
export class GoldDecorations implements vscode.Disposable {
  private readonly types = new Map<string, vscode.TextEditorDecorationType>();
  private readonly latest = new Map<string, DocumentSpansParams>();
  private readonly drawn = new Map<string, DrawnSpan[]>();
  private readonly onDidDrawEmitter = new vscode.EventEmitter<string>();
  /** Fires with the document URI after its decorations were (re)drawn. */
  readonly onDidDraw = this.onDidDrawEmitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.draw(e))),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.latest.delete(doc.uri.toString());
        this.drawn.delete(doc.uri.toString());
      }),
    );
  }

  update(params: DocumentSpansParams): void {
    this.latest.set(params.uri, params);
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() === params.uri) this.draw(editor);
    }
  }

  /** The lines the latest spans of a document cover: 'all', or undefined when none came yet. */
  coveredLines(uri: string): readonly LineRange[] | 'all' | undefined {
    const params = this.latest.get(uri);
    if (!params) return undefined;
    return params.lines ?? 'all';
  }

  spansDrawn(uri: vscode.Uri): readonly DrawnSpan[] {
    return this.drawn.get(uri.toString()) ?? [];
  }

  private draw(editor: vscode.TextEditor): void {
    const uri = editor.document.uri.toString();
    const params = this.latest.get(uri);
    // Spans for an older version would land on the wrong characters; the server sends fresh ones.
    if (!params || params.version !== editor.document.version) return;
    const byType = new Map<string, vscode.Range[]>();
    for (const key of this.types.keys()) byType.set(key, []);
    const drawn: DrawnSpan[] = [];
    for (const span of params.spans) {
      const style = styleOf(span);
      const key = styleKey(span);
      const range = new vscode.Range(span.range.start.line, span.range.start.character, span.range.end.line, span.range.end.character);
      if (!this.types.has(key)) this.types.set(key, createDecorationType(span.color, style));
      const list = byType.get(key) ?? [];
      list.push(range);
      byType.set(key, list);
      drawn.push({ entity: span.entity, tag: span.tag, color: span.color, value: span.value, range, style });
    }
    for (const [key, ranges] of byType) {
      const type = this.types.get(key);
      if (type) editor.setDecorations(type, ranges);
    }
    this.disposeUnusedTypes();
    this.drawn.set(uri, drawn);
    this.onDidDrawEmitter.fire(uri);
  }

  /**
   * Decoration types no document's spans use any more (a colour changed or left the label schema):
   * disposing one also removes it from every editor, so no stale colour stays on screen.
   */
  private disposeUnusedTypes(): void {
    const used = new Set<string>();
    for (const params of this.latest.values()) for (const span of params.spans) used.add(styleKey(span));
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

function styleKey(span: SpanDecoration): string {
  return `${styleOf(span)}|${span.color}`;
}

function styleOf(span: SpanDecoration): SpanStyle {
  if (span.unknownType) return 'unknown';
  return span.overlaps ? 'overlap' : 'plain';
}

function createDecorationType(color: string, style: SpanStyle): vscode.TextEditorDecorationType {
  const base: vscode.DecorationRenderOptions = {
    backgroundColor: `${color}40`,
    borderColor: color,
    borderStyle: 'solid',
    borderWidth: '0 0 2px 0',
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    overviewRulerColor: color,
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  };
  if (style === 'overlap') return vscode.window.createTextEditorDecorationType({ ...base, borderStyle: 'dashed', borderWidth: '1px', fontWeight: 'bold' });
  if (style === 'unknown') return vscode.window.createTextEditorDecorationType({ ...base, backgroundColor: undefined, borderStyle: 'dotted', borderWidth: '0 0 2px 0' });
  return vscode.window.createTextEditorDecorationType(base);
}
