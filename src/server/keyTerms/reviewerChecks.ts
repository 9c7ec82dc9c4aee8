import type { KeyTerm, ReviewerCheck, TermSource } from '../../common/keyTerms';
import { durationText, normalizedText, type Duration, type NormalizedDateRange } from '../../common/normalizedValue';
import { amountPairs, type StatedAmount } from './statedAmounts';

/** Where a check points: a place of the document's text, neither gold nor predicted when no span marks it. */
export type PlaceOf = (start: number, end: number, text: string) => TermSource;

const yuan = (a: StatedAmount): string => normalizedText(a.value);

/** 大写 and digits of one amount (人民币捌万元整（小写：¥8,000.00）) that are not the same amount. */
export function amountFormChecks(text: string, amounts: readonly StatedAmount[], place: PlaceOf): ReviewerCheck[] {
  return amountPairs(text, amounts)
    .filter(([a, b]) => a.value.amount !== b.value.amount || a.value.currency !== b.value.currency)
    .map(([a, b]) => {
      const [capital, digits] = a.capital ? [a, b] : [b, a];
      return {
        code: 'amount-forms-disagree',
        message: `大写 "${capital.text}" is ${yuan(capital)} but the digits beside it "${digits.text}" are ${yuan(digits)}`,
        places: [place(capital.start, capital.end, capital.text), place(digits.start, digits.end, digits.text)],
      };
    });
}

/** Whether a range runs as long as a duration: whole months, or days counted with or without the last. */
function lengthAgrees(range: NormalizedDateRange, stated: Duration): boolean {
  if (stated.months !== undefined) return range.months === stated.months;
  return range.days !== undefined && stated.days !== undefined && (range.days === stated.days || range.days === stated.days + 1);
}

const rangeWords = (r: NormalizedDateRange): string => normalizedText(r);

/** A date range whose length is not the duration stated in the same span or in another term span. */
export function termLengthChecks(terms: readonly KeyTerm[]): ReviewerCheck[] {
  const checks: ReviewerCheck[] = [];
  const ranges = terms.filter(
    (t): t is KeyTerm & { value: NormalizedDateRange } => t.value.kind === 'dateRange' && t.value.start !== undefined && t.value.end !== undefined,
  );
  for (const r of ranges) {
    if (r.value.stated && !lengthAgrees(r.value, r.value.stated)) {
      checks.push({
        code: 'term-length-disagrees',
        message: `the term "${r.source.text}" states ${durationText(r.value.stated)} but its dates run ${rangeWords(r.value)}`,
        places: [r.source],
      });
    }
    for (const d of terms) {
      if (d.value.kind !== 'duration' || lengthAgrees(r.value, d.value)) continue;
      checks.push({
        code: 'term-length-disagrees',
        message: `the term "${d.source.text}" is ${durationText(d.value)} but "${r.source.text}" runs ${rangeWords(r.value)}`,
        places: [d.source, r.source],
      });
    }
  }
  return checks;
}

// A contract that creates the guarantee: 保证合同, 最高额抵押合同, 抵(质)押合同, 担保书, 保函, ...
const GUARANTEE_CONTRACT = /(保证|抵押|质押|抵[(（]?质[)）]?押|担保|保证保险)[^，。；,;\n]{0,8}?(合同|协议|书)|保函/;

/** A guarantee mode named with no guarantee contract mentioned anywhere in the document. */
export function guaranteeContractChecks(text: string, guarantees: readonly KeyTerm[]): ReviewerCheck[] {
  if (GUARANTEE_CONTRACT.test(text)) return [];
  const named = guarantees.filter((g) => g.value.kind === 'guarantee' && g.value.modes.some((m) => m !== '信用'));
  // One check per way of naming the modes, at its first place (in the text).
  const first = new Map<string, KeyTerm>();
  for (const g of [...named].sort((a, b) => a.source.start - b.source.start)) if (!first.has(normalizedText(g.value))) first.set(normalizedText(g.value), g);
  return [...first.values()].map((g) => ({
    code: 'guarantee-without-contract',
    message: `"${g.source.text}" names ${normalizedText(g.value)}, but the document mentions no guarantee contract (保证合同, 抵押合同, 质押合同, 担保书, 保函, ...)`,
    places: [g.source],
  }));
}
