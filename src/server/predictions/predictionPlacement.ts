import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LabelSchema } from '../../common/labelSchema';
import type { PredictionDecoration, Range } from '../../common/lspProtocol';
import type { JsonStringMap } from '../dataset/jsonStringMap';
import type { PredictedEntity } from '../entities/entityDecoding';
import type { CodePointText } from '../dataset/codePointText';

/** The workspace schema's colour for a predicted type (by tag, then name), else the model's own. */
export function colorOf(schema: LabelSchema, span: PredictedEntity, modelColor: string | undefined): string {
  return (schema.resolve(span.tag) ?? schema.resolve(span.entity))?.color ?? modelColor ?? '#9e9e9e';
}

/** Predictions of a record's text, placed at their UTF-16 columns inside its "text" literal on line `line`. */
export function placeInRecord(
  line: number,
  literalStart: number,
  map: JsonStringMap,
  spans: readonly PredictedEntity[],
  color: (s: PredictedEntity) => string,
): PredictionDecoration[] {
  const contentStart = literalStart + 1;
  return spans.map((s) => ({
    range: { start: { line, character: contentStart + map.rawOffsetOf(s.start) }, end: { line, character: contentStart + map.rawOffsetOf(s.end) } },
    entity: s.entity,
    tag: s.tag,
    color: color(s),
    value: s.value,
    start: s.start,
    end: s.end,
    confidence: s.confidence,
  }));
}

/** The document range of code points [start, end) of a contract's text. */
export function contractRange(document: TextDocument, text: CodePointText, start: number, end: number): Range {
  return { start: document.positionAt(text.utf16Offset(start)), end: document.positionAt(text.utf16Offset(end)) };
}

/** Predictions of a contract file's whole text, placed in the document. */
export function placeInContract(
  document: TextDocument,
  text: CodePointText,
  spans: readonly PredictedEntity[],
  color: (s: PredictedEntity) => string,
): PredictionDecoration[] {
  return spans.map((s) => ({
    range: contractRange(document, text, s.start, s.end),
    entity: s.entity,
    tag: s.tag,
    color: color(s),
    value: s.value,
    start: s.start,
    end: s.end,
    confidence: s.confidence,
  }));
}

/** True when the position lies in the decoration's range (single-line ranges as records have; contracts' may span lines). */
export function containsPosition(range: Range, line: number, character: number): boolean {
  const afterStart = line > range.start.line || (line === range.start.line && character >= range.start.character);
  const beforeEnd = line < range.end.line || (line === range.end.line && character < range.end.character);
  return afterStart && beforeEnd;
}

/** True when the decoration's range and [from, to] (positions) meet; an empty selection touching either end counts. */
export function touchesRange(range: Range, from: { line: number; character: number }, to: { line: number; character: number }): boolean {
  const cmp = (a: { line: number; character: number }, b: { line: number; character: number }): number => a.line - b.line || a.character - b.character;
  if (cmp(from, to) === 0) return cmp(range.start, from) <= 0 && cmp(from, range.end) <= 0;
  return cmp(from, range.end) < 0 && cmp(range.start, to) < 0;
}
