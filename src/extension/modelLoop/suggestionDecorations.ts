import * as vscode from 'vscode';
import type { DocumentSuggestionsParams } from '../../common/lspProtocol';
import { DecorationLayer, toRange } from '../decorationLayer';

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
  private readonly layer = new DecorationLayer<DocumentSuggestionsParams, DrawnSuggestion>({
    items: (params) =>
      params.suggestions.map((s) => {
        const range = toRange(s.range);
        return { key: s.color, range, drawn: { key: s.key, entity: s.entity, tag: s.tag, value: s.value, start: s.start, end: s.end, range } };
      }),
    createType: createDecorationType,
    whenStale: 'clear',
  });
  readonly onDidDraw = this.layer.onDidDraw;

  update(params: DocumentSuggestionsParams): void {
    this.layer.update(params);
  }

  suggestionsDrawn(uri: vscode.Uri): readonly DrawnSuggestion[] {
    return this.layer.drawnIn(uri.toString());
  }

  dispose(): void {
    this.layer.dispose();
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
