import type { KeyTerm, KeyTermsRow } from '../../common/keyTerms';
import { durationText, normalizedCell, normalizedText } from '../../common/normalizedValue';

export type Cell = string | number | null;

/** The columns of `finlabel extract -o terms.csv|terms.xlsx`, one row per record or contract file. */
export const TERMS_COLUMNS = [
  'file',
  'line',
  'id',
  'loan_amount',
  'currency',
  'amount_text',
  'amount_start',
  'amount_end',
  'amount_origin',
  'amount_confidence',
  'other_amounts',
  'term',
  'term_start_date',
  'term_end_date',
  'term_days',
  'term_months',
  'term_text',
  'term_start',
  'term_end',
  'term_origin',
  'term_confidence',
  'guarantee_modes',
  'guarantee_text',
  'guarantee_origin',
  'guarantee_confidence',
  'checks',
] as const;

const where = (t: KeyTerm): string => `"${t.source.text}" [${t.source.start}, ${t.source.end})`;
const joined = (terms: readonly KeyTerm[], part: (t: KeyTerm) => string): string => terms.map(part).join('; ');

function spanCells(t: KeyTerm | null): Cell[] {
  if (!t) return [null, null, null, null, null];
  return [t.source.text, t.source.start, t.source.end, t.source.origin, t.source.confidence];
}

/** One row of cells under TERMS_COLUMNS; numbers stay numbers (a spreadsheet sums them). */
export function termsTableRow(row: KeyTermsRow): Cell[] {
  const a = row.amount?.value;
  const t = row.term?.value;
  const g = row.guarantee.sources;
  const amountCells: Cell[] = !a ? [null, null] : a.kind === 'amount' ? [a.amount, a.currency] : [normalizedText(a), null];
  const termCells: Cell[] = !t
    ? [null, null, null, null, null]
    : t.kind === 'duration'
      ? [durationText(t), null, null, t.days ?? null, t.months ?? null]
      : t.kind === 'dateRange'
        ? [normalizedCell(t), t.start ?? null, t.end ?? null, t.days ?? null, t.months ?? null]
        : [normalizedText(t), null, null, null, null];
  const origins = [...new Set(g.map((s) => s.source.origin))].join('; ');
  const confidences = g.some((s) => s.source.confidence !== null)
    ? joined(g, (s) => (s.source.confidence === null ? '' : s.source.confidence.toFixed(3)))
    : null;
  return [
    row.file,
    row.line,
    row.id,
    ...amountCells,
    ...spanCells(row.amount),
    joined(row.otherAmounts, (o) => `${where(o)} = ${normalizedText(o.value)}`) || null,
    ...termCells,
    ...spanCells(row.term),
    row.guarantee.modes.join('+') || (g.length > 0 ? joined(g, (s) => normalizedText(s.value)) : null),
    joined(g, where) || null,
    origins || null,
    confidences,
    row.checks.map((c) => c.message).join('; ') || null,
  ];
}
