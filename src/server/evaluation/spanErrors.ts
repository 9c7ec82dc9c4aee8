import type { TypeConfusion } from '../../common/evaluationReport';
import type { TypedSpan } from '../metrics/spanMetrics';

/** A span without a strict match on the other side, and what the other side has there. */
export interface UnmatchedSpan {
  kind: 'miss' | 'falseAlarm';
  span: TypedSpan;
  relation: 'type' | 'boundary' | 'none';
  /** The other side's span: at the same offsets with another type, or overlapping. */
  other: TypedSpan | null;
}

const key = (s: TypedSpan): string => `${s.type}\u0000${s.start}\u0000${s.end}`;
const overlaps = (a: TypedSpan, b: TypedSpan): boolean => a.start < b.end && b.start < a.end;

/**
 * Strict matching of one record's spans (type and both offsets, duplicates counted as often as they
 * occur, as SpanTally does), and what each unmatched span is: a type confusion (the other side has a
 * span at the same offsets with another type, paired one to one), a boundary error (an overlapping
 * span of any type) or nothing there.
 */
export function unmatchedSpans(gold: readonly TypedSpan[], predicted: readonly TypedSpan[]): { matched: TypedSpan[]; unmatched: UnmatchedSpan[] } {
  const left = new Map<string, number>();
  for (const g of gold) left.set(key(g), (left.get(key(g)) ?? 0) + 1);
  const matched: TypedSpan[] = [];
  const extraPredicted: TypedSpan[] = [];
  for (const p of predicted) {
    const n = left.get(key(p)) ?? 0;
    if (n > 0) {
      left.set(key(p), n - 1);
      matched.push(p);
    } else {
      extraPredicted.push(p);
    }
  }
  const missedGold: TypedSpan[] = [];
  for (const g of gold) {
    const n = left.get(key(g)) ?? 0;
    if (n > 0) {
      left.set(key(g), n - 1);
      missedGold.push(g);
    }
  }
  // Pair misses and false alarms at the same offsets (their types differ, else they would match).
  const pairedWith = new Map<TypedSpan, TypedSpan>();
  const freePredicted = new Set(extraPredicted);
  for (const g of missedGold) {
    const p = [...freePredicted].find((q) => q.start === g.start && q.end === g.end);
    if (p) {
      pairedWith.set(g, p);
      pairedWith.set(p, g);
      freePredicted.delete(p);
    }
  }
  const describe = (kind: UnmatchedSpan['kind'], span: TypedSpan, others: readonly TypedSpan[]): UnmatchedSpan => {
    const paired = pairedWith.get(span);
    if (paired) return { kind, span, relation: 'type', other: paired };
    const overlapping = others.find((o) => overlaps(o, span));
    return overlapping ? { kind, span, relation: 'boundary', other: overlapping } : { kind, span, relation: 'none', other: null };
  };
  return {
    matched,
    unmatched: [...missedGold.map((g) => describe('miss', g, predicted)), ...extraPredicted.map((p) => describe('falseAlarm', p, gold))],
  };
}

/** Counts of the type confusion table over every record; see TypeConfusion. */
export class TypeConfusionTally {
  private readonly index = new Map<string, number>();
  private readonly table: TypeConfusion;

  constructor(types: readonly string[]) {
    types.forEach((t, i) => this.index.set(t, i));
    const zeros = (): number[] => types.map(() => 0);
    this.table = { types: [...types], cells: types.map(zeros), missed: zeros(), falseAlarms: zeros(), boundary: zeros() };
  }

  private at(type: string): number {
    const i = this.index.get(type);
    if (i === undefined) throw new RangeError(`"${type}" is not one of the model's types (${this.table.types.join(', ')})`);
    return i;
  }

  add(matched: readonly TypedSpan[], unmatched: readonly UnmatchedSpan[]): void {
    for (const m of matched) this.table.cells[this.at(m.type)][this.at(m.type)]++;
    for (const u of unmatched) {
      const t = this.at(u.span.type);
      if (u.kind === 'miss') {
        if (u.relation === 'type') this.table.cells[t][this.at(u.other!.type)]++;
        else this.table.missed[t]++;
        if (u.relation === 'boundary') this.table.boundary[t]++;
      } else if (u.relation !== 'type') {
        this.table.falseAlarms[t]++;
      }
    }
  }

  result(): TypeConfusion {
    return structuredClone(this.table);
  }
}
