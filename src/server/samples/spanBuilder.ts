/**
 * Builds a record's text piece by piece and records entity spans as it goes, in Unicode code points
 * (Python str offsets), never UTF-16 units: "𠀋" advances the offset by 1, not 2.
 */
import type { EntityLabel } from '../../common/dataset';

/** Display names of the entity types the samples are labelled with (the label schema's defaults). */
export type EntityName = '借款金额' | '担保方式' | '还款期限';

export const ENTITY_NAMES: readonly EntityName[] = ['借款金额', '担保方式', '还款期限'];

export interface LabelledText {
  text: string;
  labels: EntityLabel[];
}

export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export class SpanBuilder {
  private readonly parts: string[] = [];
  private readonly labels: EntityLabel[] = [];
  private offset = 0;

  /** Appends unlabelled text. */
  plain(s: string): this {
    this.parts.push(s);
    this.offset += codePointLength(s);
    return this;
  }

  /** Appends text labelled as `entity`. Spans are appended in order, so they never overlap. */
  entity(entity: EntityName, value: string): this {
    if (value === '') throw new Error(`empty ${entity} span`);
    const start = this.offset;
    this.plain(value);
    this.labels.push({ entity, value, start, end: this.offset });
    return this;
  }

  /** Appends another builder's text and spans, shifted to this position. */
  append(other: LabelledText): this {
    const base = this.offset;
    this.plain(other.text);
    for (const l of other.labels) this.labels.push({ entity: l.entity, value: l.value, start: l.start + base, end: l.end + base });
    return this;
  }

  get length(): number {
    return this.offset;
  }

  build(): LabelledText {
    return { text: this.parts.join(''), labels: this.labels.slice() };
  }
}

/** Joins labelled pieces with a separator ("\n" between paragraphs, "" between sentences). */
export function joinLabelled(pieces: readonly LabelledText[], separator: string): LabelledText {
  const b = new SpanBuilder();
  pieces.forEach((p, i) => {
    if (i > 0) b.plain(separator);
    b.append(p);
  });
  return b.build();
}
