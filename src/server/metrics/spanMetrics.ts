/**
 * Strict span matching (same type, same start, same end) and precision / recall / F1 per type,
 * micro and macro. One implementation for annotator agreement (A is the reference) and for model
 * evaluation (gold is the reference, predictions are B).
 */

export interface TypedSpan {
  type: string;
  start: number;
  end: number;
}

export interface SpanScores {
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

/** Counts of one type over all documents. */
export interface SpanCounts {
  type: string;
  /** Spans of the reference (gold, or annotator A). */
  reference: number;
  /** Spans of the other side (predictions, or annotator B). */
  candidate: number;
  matched: number;
}

export interface TypeSpanScores extends SpanCounts, SpanScores {}

export interface SpanEvaluation {
  types: TypeSpanScores[];
  micro: SpanScores;
  /** Mean F1 over the types that occur on either side. */
  macro: { f1: number | null; types: number };
}

/** Precision and recall with the reference as truth, and F1; null where a denominator is 0. */
export function spanScores(matched: number, reference: number, candidate: number): SpanScores {
  return {
    precision: candidate === 0 ? null : matched / candidate,
    recall: reference === 0 ? null : matched / reference,
    f1: reference + candidate === 0 ? null : (2 * matched) / (reference + candidate),
  };
}

/** Accumulates strict span matches document by document; duplicates count as often as they occur. */
export class SpanTally {
  private readonly counts = new Map<string, SpanCounts>();

  /** Registers a type with zero counts, so it is listed even when no span has it. */
  type(type: string): SpanCounts {
    let c = this.counts.get(type);
    if (!c) {
      c = { type, reference: 0, candidate: 0, matched: 0 };
      this.counts.set(type, c);
    }
    return c;
  }

  /** One document's spans of both sides. */
  add(reference: readonly TypedSpan[], candidate: readonly TypedSpan[]): void {
    const unmatched = new Map<string, number>();
    for (const s of reference) {
      this.type(s.type).reference++;
      const key = `${s.type}\u0000${s.start}\u0000${s.end}`;
      unmatched.set(key, (unmatched.get(key) ?? 0) + 1);
    }
    for (const s of candidate) {
      const c = this.type(s.type);
      c.candidate++;
      const key = `${s.type}\u0000${s.start}\u0000${s.end}`;
      const left = unmatched.get(key) ?? 0;
      if (left > 0) {
        c.matched++;
        unmatched.set(key, left - 1);
      }
    }
  }

  /** Per type in registration order. */
  all(): SpanCounts[] {
    return [...this.counts.values()];
  }

  evaluate(order?: (a: SpanCounts, b: SpanCounts) => number): SpanEvaluation {
    const list = order ? this.all().sort(order) : this.all();
    return summarize(list);
  }
}

/** Scores per type, micro (pooled counts) and macro (mean of the defined per-type F1s). */
export function summarize(counts: readonly SpanCounts[]): SpanEvaluation {
  const types = counts.map((c) => ({ ...c, ...spanScores(c.matched, c.reference, c.candidate) }));
  const sum = (f: (c: SpanCounts) => number): number => counts.reduce((s, c) => s + f(c), 0);
  const scored = types.filter((t) => t.f1 !== null);
  return {
    types,
    micro: spanScores(
      sum((c) => c.matched),
      sum((c) => c.reference),
      sum((c) => c.candidate),
    ),
    macro: { f1: scored.length === 0 ? null : scored.reduce((s, t) => s + t.f1!, 0) / scored.length, types: scored.length },
  };
}
