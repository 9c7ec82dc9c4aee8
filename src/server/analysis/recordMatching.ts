import type { NumberedRecord } from '../dataset/datasetFile';
import { recordId } from './recordLabels';

export interface RecordPair {
  a: NumberedRecord;
  b: NumberedRecord;
  by: 'id' | 'text';
}

export interface RecordMatching {
  pairs: RecordPair[];
  onlyInA: NumberedRecord[];
  onlyInB: NumberedRecord[];
  /** Records paired by id whose texts differ: neither is compared. */
  textDiffers: { id: string; a: NumberedRecord; b: NumberedRecord }[];
}

/**
 * Pairs the records of two files that are the same document. First by id (the n-th record with an
 * id in A pairs with the n-th with that id in B); then, among the records still unpaired, by
 * identical text where at least one of the two has no id (two different ids are two documents,
 * however alike their texts).
 */
export function matchRecords(recordsA: readonly NumberedRecord[], recordsB: readonly NumberedRecord[]): RecordMatching {
  const pairs: RecordPair[] = [];
  const textDiffers: RecordMatching['textDiffers'] = [];
  const pairedA = new Set<NumberedRecord>();
  const pairedB = new Set<NumberedRecord>();

  const bById = new Map<string, NumberedRecord[]>();
  for (const b of recordsB) {
    const id = recordId(b.record);
    if (id !== undefined) append(bById, id, b);
  }
  for (const a of recordsA) {
    const id = recordId(a.record);
    const b = id === undefined ? undefined : bById.get(id)?.shift();
    if (id === undefined || !b) continue;
    pairedA.add(a);
    pairedB.add(b);
    if (a.record.text === b.record.text) pairs.push({ a, b, by: 'id' });
    else textDiffers.push({ id, a, b });
  }

  const bByText = new Map<string, NumberedRecord[]>();
  for (const b of recordsB) if (!pairedB.has(b)) append(bByText, b.record.text, b);
  for (const a of recordsA) {
    if (pairedA.has(a)) continue;
    const candidates = bByText.get(a.record.text) ?? [];
    const aHasId = recordId(a.record) !== undefined;
    const at = candidates.findIndex((b) => !aHasId || recordId(b.record) === undefined);
    if (at === -1) continue;
    const [b] = candidates.splice(at, 1);
    pairedA.add(a);
    pairedB.add(b);
    pairs.push({ a, b, by: 'text' });
  }

  return {
    pairs,
    onlyInA: recordsA.filter((r) => !pairedA.has(r)),
    onlyInB: recordsB.filter((r) => !pairedB.has(r)),
    textDiffers,
  };
}

/** Ids held by more than one record of a file, with their lines. */
export function duplicateIds(records: readonly NumberedRecord[]): { id: string; lines: number[] }[] {
  const lines = new Map<string, number[]>();
  for (const r of records) {
    const id = recordId(r.record);
    if (id !== undefined) append(lines, id, r.line);
  }
  return [...lines].filter(([, l]) => l.length > 1).map(([id, l]) => ({ id, lines: l }));
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
