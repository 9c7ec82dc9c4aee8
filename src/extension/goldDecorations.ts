import * as vscode from 'vscode';
import type { DocumentSpansParams, LineRange, SpanDecoration } from '../common/lspProtocol';
import { DecorationLayer, toRange } from './decorationLayer';

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
  private readonly layer = new DecorationLayer<DocumentSpansParams, DrawnSpan>({
    items: (params) =>
      params.spans.map((span) => {
        const range = toRange(span.range);
        return { key: styleKey(span), range, drawn: { entity: span.entity, tag: span.tag, color: span.color, value: span.value, range, style: styleOf(span) } };
      }),
    createType: createDecorationType,
    // Spans of an older version stay until the server's fresh ones come: VS Code moves them with the text.
    whenStale: 'keep',
  });
  /** Fires with the document URI after its decorations were (re)drawn. */
  readonly onDidDraw = this.layer.onDidDraw;

  update(params: DocumentSpansParams): void {
    this.layer.update(params);
  }

  /** The lines the latest spans of a document cover: 'all', or undefined when none came yet. */
  coveredLines(uri: string): readonly LineRange[] | 'all' | undefined {
    const params = this.layer.latest(uri);
    if (!params) return undefined;
    return params.lines ?? 'all';
  }

  spansDrawn(uri: vscode.Uri): readonly DrawnSpan[] {
    return this.layer.drawnIn(uri.toString());
  }

  dispose(): void {
    this.layer.dispose();
  }
}

function styleKey(span: SpanDecoration): string {
  return `${styleOf(span)}|${span.color}`;
}

function styleOf(span: SpanDecoration): SpanStyle {
  if (span.unknownType) return 'unknown';
  return span.overlaps ? 'overlap' : 'plain';
}

/** The decoration type of a style key (styleKey: `style|colour`). */
function createDecorationType(key: string): vscode.TextEditorDecorationType {
  const bar = key.indexOf('|');
  const style = key.slice(0, bar) as SpanStyle;
  const color = key.slice(bar + 1);
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
  if (style === 'unknown')
    return vscode.window.createTextEditorDecorationType({ ...base, backgroundColor: undefined, borderStyle: 'dotted', borderWidth: '0 0 2px 0' });
  return vscode.window.createTextEditorDecorationType(base);
}
