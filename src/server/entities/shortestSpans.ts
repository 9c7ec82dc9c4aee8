/**
 * The shortest span of each type in a model's training labels (code points), kept in its labels.json.
 * A decoded span shorter than every span of its type the model learnt from is a fragment (the 十 of
 * 十二个月, the 最 of 最高额抵押), not an entity: decoding leaves it out.
 */
import type { LabelSchema } from '../../common/labelSchema';
import { codePointLength } from '../dataset/jsonStringMap';

/** Tag -> the fewest code points a span of that type had in training. */
export type ShortestSpans = ReadonlyMap<string, number>;

export function shortestSpanLengths(records: readonly { labels: readonly { entity: string; start: number; end: number; value?: string }[] }[], schema: LabelSchema): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of records) {
    for (const l of r.labels) {
      const type = schema.resolve(l.entity);
      const length = typeof l.value === 'string' ? codePointLength(l.value) : l.end - l.start;
      if (!type || length <= 0) continue;
      const known = out.get(type.tag);
      if (known === undefined || length < known) out.set(type.tag, length);
    }
  }
  return out;
}

/** Whether a span of `tag` and `length` code points is at least as long as the type's shortest training span. */
export function longEnough(shortest: ShortestSpans | undefined, tag: string, length: number): boolean {
  return length >= (shortest?.get(tag) ?? 1);
}
