import type { DisagreementKind } from '../../common/lspProtocol';

/** A span of a text in code points, with its type's tag and display name. */
export interface TypedSpan {
  tag: string;
  entity: string;
  start: number;
  end: number;
  value: string;
}

export interface Disagreement {
  kind: DisagreementKind;
  /** Where to show it: the gold span (missed, wrong type, wrong boundary) or the prediction (spurious). */
  start: number;
  end: number;
  message: string;
}

const overlaps = (a: TypedSpan, b: TypedSpan): boolean => a.start < b.end && b.start < a.end;
const show = (s: TypedSpan): string => `${s.entity} "${s.value}" [${s.start}, ${s.end})`;

/**
 * How a text's predictions differ from its gold labels: a gold span no prediction overlaps is
 * missed; a prediction no gold span overlaps is spurious; an exact span with another type is a wrong
 * type; overlapping spans with other ends are a wrong boundary (and say when the type differs too).
 */
export function disagreements(gold: readonly TypedSpan[], predicted: readonly TypedSpan[]): Disagreement[] {
  const out: Disagreement[] = [];
  for (const g of gold) {
    const hits = predicted.filter((p) => overlaps(g, p));
    if (hits.some((p) => p.start === g.start && p.end === g.end && p.tag === g.tag)) continue;
    if (hits.length === 0) {
      out.push({ kind: 'missed', start: g.start, end: g.end, message: `Missed by the model: gold ${show(g)}` });
      continue;
    }
    const exact = hits.find((p) => p.start === g.start && p.end === g.end);
    if (exact) {
      out.push({ kind: 'wrong-type', start: g.start, end: g.end, message: `Wrong type: gold ${show(g)}, predicted ${exact.entity}` });
      continue;
    }
    const p = hits[0];
    const typeToo = p.tag === g.tag ? '' : ` (and type ${p.entity})`;
    out.push({
      kind: 'wrong-boundary',
      start: g.start,
      end: g.end,
      message: `Wrong boundary: gold ${show(g)}, predicted "${p.value}" [${p.start}, ${p.end})${typeToo}`,
    });
  }
  for (const p of predicted) {
    if (gold.some((g) => overlaps(g, p))) continue;
    out.push({ kind: 'spurious', start: p.start, end: p.end, message: `Spurious prediction: ${show(p)} is not a gold label` });
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}
