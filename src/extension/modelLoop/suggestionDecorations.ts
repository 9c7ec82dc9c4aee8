import * as vscode from 'vscode';
import type { DocumentSuggestionsParams, SuggestionSource } from '../../common/lspProtocol';
import { DecorationLayer, toRange } from '../decorationLayer';

/** A suggestion as drawn in an editor (for tests: VS Code cannot read decorations back). */
export interface DrawnSuggestion {
  key: string;
  entity: string;
  tag: string;
  value: string;
  start: number;
  end: number;
  confidence: number | null;
  source: SuggestionSource;
  range: vscode.Range;
}

/**
 * Draws the suggestions (pre-annotation's, string matching's) in dataset editors: a dashed border in the type's colour, apart
 * from gold labels (tinted background, solid underline) and predictions (dotted underline).
 */
export class SuggestionDecorations implements vscode.Disposable {
  private readonly layer = new DecorationLayer<DocumentSuggestionsParams, DrawnSuggestion>({
    items: (params) =>
      params.suggestions.map((s) => {
        const range = toRange(s.range);
        return {
          key: s.color,
          range,
          drawn: { key: s.key, entity: s.entity, tag: s.tag, value: s.value, start: s.start, end: s.end, confidence: s.confidence, source: s.source, range },
        };
      }),
    createType: createDecorationType,
    whenStale: 'clear',
  });

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
