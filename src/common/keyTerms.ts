/**
 * The key terms of a document (a dataset record or a contract file): its loan amount, term and
 * guarantee modes, normalized, each with where it was read. Made by src/server/keyTerms, printed by
 * `finlabel extract` and shown by the Key Terms view.
 */
import type { Range } from './lspSchemas';
import type { GuaranteeMode, NormalizedValue } from './normalizedValue';

/** Gold: a label of the dataset; predicted: the entity model's span; text: an amount the text states that no span marks. */
export type TermOrigin = 'gold' | 'predicted' | 'text';

export interface TermSource {
  /** The file as the user named it (the CLI) or its URI (the editor). */
  file: string;
  /** 1-based line of the record in a dataset; null for a contract file. */
  line: number | null;
  /** Code points of the record's text (or the contract's), end exclusive. */
  start: number;
  end: number;
  text: string;
  origin: TermOrigin;
  /** The model's calibrated confidence, for a predicted span. */
  confidence: number | null;
  /** Where the span is in the editor's document (the Key Terms view reveals it); only from the language server. */
  range?: Range;
}

export interface KeyTerm {
  value: NormalizedValue;
  source: TermSource;
}

export type ReviewerCheckCode = 'amount-forms-disagree' | 'term-length-disagrees' | 'guarantee-without-contract';

/** Something a reviewer should look at, with the places (one or two) it is about. */
export interface ReviewerCheck {
  code: ReviewerCheckCode;
  message: string;
  places: TermSource[];
}

export interface KeyTermsRow {
  file: string;
  line: number | null;
  id: string | null;
  /** The loan amount the labels (or, without any, the model) mark as such. */
  amount: KeyTerm | null;
  /** Every other amount: further 借款金额 spans and amounts the text states (interest, fees, ...). */
  otherAmounts: KeyTerm[];
  term: KeyTerm | null;
  otherTerms: KeyTerm[];
  /** Every mode any 担保方式 span names, in order, and those spans. */
  guarantee: { modes: GuaranteeMode[]; sources: KeyTerm[] };
  checks: ReviewerCheck[];
}
