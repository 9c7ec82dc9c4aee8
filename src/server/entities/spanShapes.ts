/**
 * What every span of a type looked like in a model's training labels, kept in its labels.json:
 * the fewest code points (`shortestSpan`) and whether each one held a numeral (`numeralInEverySpan`).
 * A decoded span shorter than every span of its type the model learnt from is a fragment (the 十 of
 * 十二个月, the 最 of 最高额抵押), and an amount or term without a single digit or numeral (a lone
 * 人民币) is the edge of one: decoding leaves both out. Learnt from the data, so a team's own types
 * (an interest rate, a phone number) get the same rules only when their labels follow them.
 */
import type { LabelSchema } from '../../common/labelSchema';
import { codePointLength, codePointSlice } from '../dataset/jsonStringMap';
import type { EntityLabel } from './entityEncoding';

export interface SpanShape {
  /** The fewest code points a span of the type had in training. */
  shortest: number;
  /** Every training span of the type held an Arabic digit or a Chinese numeral. */
  numeral: boolean;
}

/** Tag -> the shape of that type's training spans (types without labels are absent). */
export type SpanShapes = ReadonlyMap<string, SpanShape>;

/** Arabic and full-width digits, Chinese numerals (小写 and 大写) and their units. */
const NUMERAL = /[0-9０-９〇零一二两三四五六七八九十百千万亿壹贰贰叁肆伍陆柒捌玖拾佰仟萬億半]/u;

export function hasNumeral(text: string): boolean {
  return NUMERAL.test(text);
}

/** The shapes of the spans as the model trains on them: the record's text at each label's offsets. */
export function spanShapesOf(records: readonly { text: string; labels: readonly EntityLabel[] }[], schema: LabelSchema): Map<string, SpanShape> {
  const out = new Map<string, SpanShape>();
  for (const r of records) {
    for (const l of r.labels) {
      const type = schema.resolve(l.entity);
      const value = codePointSlice(r.text, l.start, l.end);
      const length = codePointLength(value);
      if (!type || length <= 0) continue;
      const numeral = hasNumeral(value);
      const known = out.get(type.tag);
      out.set(type.tag, known ? { shortest: Math.min(known.shortest, length), numeral: known.numeral && numeral } : { shortest: length, numeral });
    }
  }
  return out;
}

/** Whether a decoded span of `tag` with text `value` looks like the type's training spans. */
export function fitsShape(shapes: SpanShapes | undefined, tag: string, value: string): boolean {
  const shape = shapes?.get(tag);
  if (!shape) return true;
  return codePointLength(value) >= shape.shortest && (!shape.numeral || hasNumeral(value));
}
