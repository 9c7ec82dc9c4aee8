import type { KeyTermsRow, TermSource } from '../../common/keyTerms';
import type { KeyTermsView, Range } from '../../common/lspProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import type { ContractDocuments } from '../contracts/contractDocuments';
import { rangeOf } from '../contracts/contractPublishing';
import { keyTermsRow, type TermSpan } from '../keyTerms/keyTermsRow';
import type { PredictionService } from '../predictions/predictionService';
import type { JsonlDocuments } from './jsonlDocuments';

/** A table longer than this helps nobody in a view and slows it; `finlabel extract` gives every row. */
export const MAX_KEY_TERM_ROWS = 2_000;

/** Every place of a row, for filling in where each is in the editor. */
const placesOf = (row: KeyTermsRow): TermSource[] => [
  ...[row.amount, ...row.otherAmounts, row.term, ...row.otherTerms, ...row.guarantee.sources].flatMap((t) => (t ? [t.source] : [])),
  ...row.checks.flatMap((c) => c.places),
];

function withRanges(row: KeyTermsRow, rangeOfSpan: (start: number, end: number) => Range): KeyTermsRow {
  for (const place of placesOf(row)) place.range = rangeOfSpan(place.start, place.end);
  return row;
}

/**
 * The key terms of an open dataset (one row per record) or contract file: gold labels as they stand
 * in the editor, and the active model's spans where it has run (the records on screen and around).
 */
export function documentKeyTerms(
  uri: string,
  documents: JsonlDocuments,
  contracts: ContractDocuments,
  predictions: PredictionService,
  schema: LabelSchema,
): KeyTermsView | null {
  const predicted = predictions.current(uri);
  const spansOf = (line: number): TermSpan[] =>
    predicted?.depth?.outOfDepth
      ? []
      : (predicted?.texts.find((t) => t.line === line)?.spans ?? []).map((s) => ({ tag: s.tag, start: s.start, end: s.end, confidence: s.confidence }));
  const model = predicted?.model ?? null;
  const entry = documents.get(uri);
  if (entry) {
    const rows: KeyTermsRow[] = [];
    let records = 0;
    for (let line = 0; line < entry.model.lineCount; line++) {
      const analysis = entry.model.analysis(line);
      if (!analysis.text) continue;
      if (++records > MAX_KEY_TERM_ROWS) continue;
      const { literal, map } = analysis.text;
      const gold = analysis.labels.flatMap((l) => (l.type ? [{ tag: l.type.tag, start: l.start, end: l.end, confidence: null }] : []));
      const row = keyTermsRow({ file: uri, line: line + 1, id: entry.model.recordId(line), text: map.decoded, gold, predicted: spansOf(line) });
      rows.push(
        withRanges(row, (start, end) => ({
          start: { line, character: literal.start + 1 + map.rawOffsetOf(start) },
          end: { line, character: literal.start + 1 + map.rawOffsetOf(end) },
        })),
      );
    }
    return { uri, model, rows, records };
  }
  const contract = contracts.get(uri);
  if (!contract) return null;
  const placed = contracts.placed(contract);
  const gold = placed.labels.flatMap((l) => {
    const type = schema.resolve(l.entity);
    return type && l.start < l.end ? [{ tag: type.tag, start: l.start, end: l.end, confidence: null }] : [];
  });
  const row = keyTermsRow({ file: uri, line: null, id: null, text: placed.text.text, gold, predicted: spansOf(-1) });
  return { uri, model, rows: [withRanges(row, (start, end) => rangeOf(placed, start, end))], records: 1 };
}
