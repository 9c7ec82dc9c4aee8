/**
 * Compares two annotators' labels of one record. Labels of the two that overlap form a group; a
 * group where both made exactly the same labels (span and type) is an agreement, any other group a
 * difference. Settling a group keeps one side (its labels lose their annotator: they are the agreed
 * labels from then on) and deletes the other side's. Pure: no DOM.
 */

export interface AnnotatedSpan {
  labelIndex: number;
  start: number;
  end: number;
  entity: string;
  annotator?: string;
}

export interface LabelGroup<S extends AnnotatedSpan = AnnotatedSpan> {
  /** Each side's labels in the group, by start. */
  a: S[];
  b: S[];
  agreed: boolean;
  /** Code points the group covers. */
  start: number;
  end: number;
}

export interface Comparison<S extends AnnotatedSpan = AnnotatedSpan> {
  a: string;
  b: string;
  /** Differences first, then agreements; each by position. */
  differences: LabelGroup<S>[];
  agreements: LabelGroup<S>[];
}

const byPosition = (x: { start: number; end: number }, y: { start: number; end: number }): number => x.start - y.start || x.end - y.end;

/** Groups the labels of annotators `a` and `b` (labels of others, or of nobody, take no part). */
export function compareAnnotators<S extends AnnotatedSpan>(spans: readonly S[], a: string, b: string): Comparison<S> {
  const sides = spans.filter((s) => s.annotator === a || s.annotator === b);
  // Union-find over labels of different sides that overlap.
  const parent = sides.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let i = 0; i < sides.length; i++) {
    for (let j = i + 1; j < sides.length; j++) {
      const x = sides[i];
      const y = sides[j];
      if (x.annotator !== y.annotator && x.start < y.end && y.start < x.end) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, S[]>();
  sides.forEach((s, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), s]));
  const differences: LabelGroup<S>[] = [];
  const agreements: LabelGroup<S>[] = [];
  for (const members of groups.values()) {
    const group: LabelGroup<S> = {
      a: members.filter((s) => s.annotator === a).sort(byPosition),
      b: members.filter((s) => s.annotator === b).sort(byPosition),
      agreed: false,
      start: Math.min(...members.map((s) => s.start)),
      end: Math.max(...members.map((s) => s.end)),
    };
    const key = (s: S): string => `${s.start}:${s.end}:${s.entity}`;
    group.agreed = group.a.length === group.b.length && group.a.map(key).join() === group.b.map(key).join();
    (group.agreed ? agreements : differences).push(group);
  }
  return { a, b, differences: differences.sort(byPosition), agreements: agreements.sort(byPosition) };
}

/** The labels to keep (they become agreed) and to delete when `side` wins the group. */
export function settle(group: LabelGroup, side: 'a' | 'b'): { keep: number[]; remove: number[] } {
  const winners = side === 'a' ? group.a : group.b;
  const losers = side === 'a' ? group.b : group.a;
  return { keep: winners.map((s) => s.labelIndex), remove: losers.map((s) => s.labelIndex) };
}

/** Settles every agreement at once: A's copy of each is kept, B's deleted. */
export function settleAgreements(agreements: readonly LabelGroup[]): { keep: number[]; remove: number[] } {
  return {
    keep: agreements.flatMap((g) => g.a.map((s) => s.labelIndex)),
    remove: agreements.flatMap((g) => g.b.map((s) => s.labelIndex)),
  };
}
