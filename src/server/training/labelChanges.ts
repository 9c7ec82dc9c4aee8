/**
 * What background retraining counts: the labels of a dataset as keys (the record's text, the span and
 * the type), so that moving a record or reformatting a line changes nothing, and relabelling a span
 * or changing its type does.
 */
import { createHash } from 'node:crypto';
import type { JsonlDocumentModel } from '../dataset/documentModel';
import type { PlacedLabel } from '../dataset/recordAnalysis';

/** The key of one record's text (RecordPredictions.keyOf: the same key the predictions use). */
export type TextKeyOf = (model: JsonlDocumentModel, line: number) => string | null;

/**
 * 12 base64 characters (72 bits) of the label's sha1: short enough for the client to keep a dataset's
 * keys in workspace state (RetrainingBaseline), long enough that two labels of one dataset never share one.
 */
function labelKey(label: string): string {
  return createHash('sha1').update(label).digest('base64').slice(0, 12);
}

/**
 * Keys of every label of the dataset's records. Per line they are kept on the line's label array,
 * which the document model replaces only when the line is analysed again: after an edit only the
 * lines it touched are read.
 */
export class DatasetLabelKeys {
  private readonly byLabels = new WeakMap<readonly PlacedLabel[], readonly string[]>();

  constructor(private readonly textKeyOf: TextKeyOf) {}

  keysOf(model: JsonlDocumentModel): Set<string> {
    const keys = new Set<string>();
    for (let line = 0; line < model.lineCount; line++) {
      if (model.isBlank(line) || model.lineFacts(line).labelEntries <= 0) continue;
      const labels = model.placedLabels(line);
      let lineKeys = this.byLabels.get(labels);
      if (!lineKeys) {
        const text = this.textKeyOf(model, line);
        lineKeys = text === null ? [] : labels.map((l) => labelKey(`${text}|${l.start}|${l.end}|${l.type?.tag ?? l.entity}`));
        this.byLabels.set(labels, lineKeys);
      }
      for (const key of lineKeys) keys.add(key);
    }
    return keys;
  }
}

/**
 * Label changes from `baseline` to `current`: the larger of the labels added and the labels removed,
 * so that adding 25 labels, removing 25 or changing the type of 25 each count 25.
 */
export function countLabelChanges(baseline: ReadonlySet<string>, current: ReadonlySet<string>): number {
  let added = 0;
  for (const key of current) if (!baseline.has(key)) added++;
  const removed = baseline.size - (current.size - added);
  return Math.max(added, removed);
}

/**
 * The dataset's text with only its labelled records: every other line left empty, so that line numbers
 * in training problems are the file's. A retrain learns from what the annotator labelled; an
 * unlabelled record is not a record without entities.
 */
export function labelledRecordsContent(model: JsonlDocumentModel): { content: string; records: number } {
  const lines: string[] = [];
  let records = 0;
  for (let line = 0; line < model.lineCount; line++) {
    const labelled = !model.isBlank(line) && model.lineFacts(line).kind === 'record' && model.lineFacts(line).labelEntries > 0;
    lines.push(labelled ? model.line(line) : '');
    if (labelled) records++;
  }
  return { content: lines.join('\n'), records };
}

/** One record in this many is a dev record of background retraining (by its text's hash). */
export const STABLE_DEV_SHARE = 10;

/**
 * Splits `content` (labelledRecordsContent's text) into train and dev by each record's text: a record
 * is in dev when the hash of its text says so, whatever else the dataset holds. Retrains follow one
 * another on growing data and each is trained further from the last; with a split drawn anew each
 * time, the next retrain's dev records would be records the active model had trained on, and the
 * comparison that decides the swap would favour whichever model memorised more. Other lines are left
 * empty in both, so line numbers stay the file's. Without a record the hash puts in dev, the record
 * with the smallest hash is dev.
 */
export function stableDevSplit(content: string): { train: string; dev: string; devRecords: number } {
  const lines = content.split('\n');
  const hashes = lines.map((line) => {
    if (line.trim() === '') return null;
    let text: unknown;
    try {
      text = (JSON.parse(line) as { text?: unknown }).text;
    } catch {
      return null;
    }
    return typeof text === 'string' ? createHash('sha1').update(text).digest().readUInt32BE(0) : null;
  });
  let isDev = hashes.map((h) => h !== null && h % STABLE_DEV_SHARE === 0);
  if (!isDev.some(Boolean)) {
    const smallest = hashes.reduce<number>((best, h, i) => (h !== null && (best < 0 || h < (hashes[best] as number)) ? i : best), -1);
    isDev = hashes.map((_, i) => i === smallest);
  }
  return {
    train: lines.map((l, i) => (isDev[i] ? '' : l)).join('\n'),
    dev: lines.map((l, i) => (isDev[i] ? l : '')).join('\n'),
    devRecords: isDev.filter(Boolean).length,
  };
}
