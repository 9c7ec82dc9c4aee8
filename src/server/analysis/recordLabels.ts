import type { DatasetRecord } from '../../common/dataset';
import type { TypeName } from '../../common/datasetReports';
import type { LabelSchema } from '../../common/labelSchema';
import { codePointLength } from '../dataset/jsonStringMap';

/** A label of a record whose offsets can be used, with its type resolved through the schema. */
export interface RecordLabel extends TypeName {
  start: number;
  end: number;
  annotator: string | undefined;
}

export interface RecordLabels {
  labels: RecordLabel[];
  /** Labels whose offsets cannot be used (not integers, reversed, outside the text) or that are not label objects. */
  unplaced: number;
}

/** The type a label's entity names: the schema's display name and tag, or the entity itself when unknown. */
export function typeNameOf(entity: string, schema: LabelSchema): TypeName {
  const type = schema.resolve(entity);
  return type ? { type: type.name, tag: type.tag } : { type: entity, tag: null };
}

/**
 * The labels of a record that point at characters of its text. The same rules as `finlabel
 * validate`'s offset checks: the labels left out here are the ones it reports as offset problems.
 */
export function recordLabels(record: DatasetRecord, schema: LabelSchema, textLength = codePointLength(record.text)): RecordLabels {
  const raw: unknown = record.labels;
  if (!Array.isArray(raw)) return { labels: [], unplaced: 0 };
  const labels: RecordLabel[] = [];
  let unplaced = 0;
  for (const label of raw) {
    if (typeof label !== 'object' || label === null || Array.isArray(label)) {
      unplaced++;
      continue;
    }
    const { entity, start, end, annotator } = label as Record<string, unknown>;
    if (typeof entity !== 'string' || !Number.isInteger(start) || !Number.isInteger(end)) {
      unplaced++;
      continue;
    }
    const s = start as number;
    const e = end as number;
    if (s < 0 || s >= e || e > textLength) {
      unplaced++;
      continue;
    }
    labels.push({ ...typeNameOf(entity, schema), start: s, end: e, annotator: typeof annotator === 'string' ? annotator : undefined });
  }
  return { labels, unplaced };
}

/** A record's id as a string, or undefined when it has none (ids are strings or numbers; 7 and "7" are the same id). */
export function recordId(record: DatasetRecord): string | undefined {
  const id: unknown = record.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/** The number of labels in a record's labels array, whatever they hold. */
export function listedLabelCount(record: DatasetRecord): number {
  const raw: unknown = record.labels;
  return Array.isArray(raw) ? raw.length : 0;
}

/** Orders types: the schema's in schema order first, then unknown ones by name. */
export function compareTypes(schema: LabelSchema): (a: TypeName, b: TypeName) => number {
  const order = new Map(schema.types.map((t, i) => [t.name, i]));
  return (a, b) => {
    const ia = order.get(a.type) ?? Number.MAX_SAFE_INTEGER;
    const ib = order.get(b.type) ?? Number.MAX_SAFE_INTEGER;
    return ia - ib || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0);
  };
}
