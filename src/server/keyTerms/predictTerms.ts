import type { EntityPredictor } from '../inference/entityPredictor';
import type { TermDocument } from './keyTermsRow';

const TERM_TAGS = ['LOAN_AMOUNT', 'REPAY_PERIOD', 'GUARANTEE_TYPE'];

/** Whether the model is needed: some key term has no gold label in the document. */
export function needsPrediction(doc: TermDocument): boolean {
  return TERM_TAGS.some((tag) => !doc.gold.some((s) => s.tag === tag));
}

/** Fills in the model's spans (at or above its threshold) of the documents that need them. */
export async function predictTerms(documents: TermDocument[], predictor: EntityPredictor): Promise<void> {
  const needing = documents.filter(needsPrediction);
  const predicted = await predictor.predictMany(needing.map((d) => d.text));
  needing.forEach((doc, i) => {
    doc.predicted = predicted[i].spans.map((s) => ({ tag: s.tag, start: s.start, end: s.end, confidence: s.confidence }));
  });
}
