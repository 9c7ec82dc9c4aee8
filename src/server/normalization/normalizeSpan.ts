import type { NormalizedValue } from '../../common/normalizedValue';
import { normalizeAmount } from './amount';
import { normalizeGuarantee } from './guarantee';
import { normalizePeriod } from './period';

/** The types whose spans have a normalized value, by tag. */
const NORMALIZERS: Record<string, (text: string) => NormalizedValue> = {
  LOAN_AMOUNT: normalizeAmount,
  REPAY_PERIOD: normalizePeriod,
  GUARANTEE_TYPE: normalizeGuarantee,
};

/** The normalized value of a span of the type TAG, or undefined for a type that has none (a team's own types). */
export function normalizeSpan(tag: string, text: string): NormalizedValue | undefined {
  return NORMALIZERS[tag]?.(text);
}
