import type { SpanDecoration } from '../../common/lspProtocol';
import type { JsonlDocumentModel } from './documentModel';

const UNKNOWN_TYPE_COLOR = '#9e9e9e';

/** The gold spans of every record, placed at their UTF-16 columns inside the "text" literal. */
export function placeSpans(model: JsonlDocumentModel): SpanDecoration[] {
  const spans: SpanDecoration[] = [];
  for (let line = 0; line < model.lineCount; line++) {
    const { labels, text } = model.analysis(line);
    if (!text) continue;
    const contentStart = text.literal.start + 1;
    for (const label of labels) {
      spans.push({
        range: {
          start: { line, character: contentStart + text.map.rawOffsetOf(label.start) },
          end: { line, character: contentStart + text.map.rawOffsetOf(label.end) },
        },
        entity: label.type?.name ?? label.entity,
        tag: label.type?.tag ?? label.entity,
        color: label.type?.color ?? UNKNOWN_TYPE_COLOR,
        value: text.map.slice(label.start, label.end),
        start: label.start,
        end: label.end,
        overlaps: label.overlaps,
        unknownType: label.type === undefined,
      });
    }
  }
  return spans;
}

/** Spans of one line that contain the column (for hover). */
export function spansAt(spans: readonly SpanDecoration[], line: number, character: number): SpanDecoration[] {
  return spans.filter(
    (s) => s.range.start.line === line && s.range.start.character <= character && character < s.range.end.character,
  );
}
