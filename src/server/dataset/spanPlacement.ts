import type { LineRange, SpanDecoration } from '../../common/lspProtocol';
import type { JsonlDocumentModel } from './documentModel';

const UNKNOWN_TYPE_COLOR = '#9e9e9e';

/** The gold spans of line `line`, placed at their UTF-16 columns inside the "text" literal. */
export function spansOfLine(model: JsonlDocumentModel, line: number): SpanDecoration[] {
  const { labels, text } = model.analysis(line);
  if (!text) return [];
  const contentStart = text.literal.start + 1;
  return labels.map((label) => ({
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
  }));
}

/** The spans of every line in `ranges` (end exclusive), or of the whole document without ranges. */
export function placeSpans(model: JsonlDocumentModel, ranges?: readonly LineRange[]): SpanDecoration[] {
  const spans: SpanDecoration[] = [];
  for (const { start, end } of ranges ?? [{ start: 0, end: model.lineCount }]) {
    for (let line = start; line < Math.min(end, model.lineCount); line++) spans.push(...spansOfLine(model, line));
  }
  return spans;
}

/** Spans of one line that contain the column (for hover). */
export function spansAt(spans: readonly SpanDecoration[], line: number, character: number): SpanDecoration[] {
  return spans.filter((s) => s.range.start.line === line && s.range.start.character <= character && character < s.range.end.character);
}
