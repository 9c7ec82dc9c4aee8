import type { KeyTerm, KeyTermsRow, TermOrigin, TermSource } from '../../common/keyTerms';
import { normalizedText } from '../../common/normalizedValue';
import { codePointSlice } from '../dataset/jsonStringMap';
import { normalizeSpan } from '../normalization/normalizeSpan';
import { amountFormChecks, guaranteeContractChecks, termLengthChecks } from './reviewerChecks';
import { amountPairs, statedAmounts, type StatedAmount } from './statedAmounts';

/** A gold label or a predicted span of a document, its type already resolved to a tag. */
export interface TermSpan {
  tag: string;
  start: number;
  end: number;
  confidence: number | null;
}

/** A record of a dataset, or a contract file, with its labels and the model's spans. */
export interface TermDocument {
  file: string;
  /** 1-based line in a dataset; null for a contract file. */
  line: number | null;
  id: string | null;
  text: string;
  gold: readonly TermSpan[];
  predicted: readonly TermSpan[];
}

/** The spans of a type that say something else than the row's own (the same amount restated is not another). */
function others(terms: readonly KeyTerm[], main: KeyTerm | null): KeyTerm[] {
  return terms.filter((t) => t !== main && (main === null || normalizedText(t.value) !== normalizedText(main.value)));
}

/**
 * The key terms of a document. Each type is read from the gold labels when the document has any of
 * that type, else from the model's spans (most confident first); amounts the text states that no
 * 借款金额 span marks are listed as the row's other amounts.
 */
export function keyTermsRow(doc: TermDocument): KeyTermsRow {
  const place = (start: number, end: number, text: string, origin: TermOrigin = 'text', confidence: number | null = null): TermSource => ({
    file: doc.file,
    line: doc.line,
    start,
    end,
    text,
    origin,
    confidence,
  });
  const termsOf = (tag: string): KeyTerm[] => {
    const gold = doc.gold.filter((s) => s.tag === tag).sort((a, b) => a.start - b.start);
    // Gold in text order; predicted most confident first (the row's term is the first).
    const spans =
      gold.length > 0 ? gold : doc.predicted.filter((s) => s.tag === tag).sort((a, b) => (b.confidence ?? 0) - (a.confidence ?? 0) || a.start - b.start);
    const origin: TermOrigin = gold.length > 0 ? 'gold' : 'predicted';
    return spans.map((s) => {
      const text = codePointSlice(doc.text, s.start, s.end);
      return { value: normalizeSpan(tag, text)!, source: place(s.start, s.end, text, origin, s.confidence) };
    });
  };
  const amounts = termsOf('LOAN_AMOUNT');
  const terms = termsOf('REPAY_PERIOD');
  const guarantees = termsOf('GUARANTEE_TYPE');
  const stated = statedAmounts(doc.text);
  const marks = (a: { start: number; end: number }): boolean => amounts.some((s) => s.source.start < a.end && a.start < s.source.end);
  // The other form of a marked amount (人民币捌万元整（80000元）) is that amount again, not another one.
  const partners = new Set(amountPairs(doc.text, stated).flatMap(([a, b]) => (marks(a) ? [b] : marks(b) ? [a] : [])));
  const main = amounts.find((a) => a.value.kind === 'amount') ?? amounts[0] ?? null;
  const restates = (a: StatedAmount): boolean =>
    main?.value.kind === 'amount' && a.value.amount === main.value.amount && a.value.currency === main.value.currency;
  const unmarked = stated.filter((a) => !marks(a) && !partners.has(a) && !restates(a));
  const term = terms[0] ?? null;
  return {
    file: doc.file,
    line: doc.line,
    id: doc.id,
    amount: main,
    otherAmounts: [...others(amounts, main), ...unmarked.map((a) => ({ value: a.value, source: place(a.start, a.end, a.text) }))],
    term,
    otherTerms: others(terms, term),
    guarantee: { modes: [...new Set(guarantees.flatMap((g) => (g.value.kind === 'guarantee' ? g.value.modes : [])))], sources: guarantees },
    checks: [...amountFormChecks(doc.text, stated, place), ...termLengthChecks(terms), ...guaranteeContractChecks(doc.text, guarantees)],
  };
}
