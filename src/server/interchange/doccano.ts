/**
 * doccano sequence-labelling JSONL: `{"id", "text", "label": [[start, end, "TAG"], ...], ...}`.
 *
 * Offsets: doccano's annotator measures spans with JavaScript string indexes, so they count UTF-16
 * code units (an emoji or 𠀋 is 2), not code points; see doccano/doccano#2290. They are converted
 * both ways (`--offsets codepoint` for files written by tools that count code points). doccano's
 * "count grapheme clusters as one character" project option counts something else again and is
 * not supported.
 *
 * Export writes `label` triples; every other record key (id, meta, unknown keys) stays a top-level
 * key, which doccano keeps as the example's metadata. Label keys besides entity/value/start/end
 * (annotator, ...) have no place in a triple and are reported. Import reads `label` or, from newer
 * doccano exports, `entities` (triples or `{"start_offset","end_offset","label"}` objects, whose
 * other keys such as `id` are kept on the label); every other key is kept on the record.
 */
import { reportDroppedLabelFields } from './exportRecords';
import { isObject, readJsonLines } from './jsonInput';
import { CodePointText } from '../dataset/codePointText';
import { spanFromUnit, toUnit, unitName } from './textOffsets';
import type { FormatModule, OffsetUnit, RawLabel, RawRecord, Reporter } from './types';

function readSpan(item: unknown, index: number, text: CodePointText, unit: OffsetUnit): RawLabel | { error: string } {
  const where = `span ${index + 1}`;
  let start: unknown;
  let end: unknown;
  let entity: unknown;
  let extra: Record<string, unknown> | undefined;
  if (Array.isArray(item) && item.length === 3) {
    [start, end, entity] = item as unknown[];
  } else if (isObject(item) && 'start_offset' in item) {
    const { start_offset, end_offset, label, ...rest } = item;
    [start, end, entity, extra] = [start_offset, end_offset, label, rest];
  } else {
    return { error: `${where} ${JSON.stringify(item)} is neither [start, end, "TAG"] nor {"start_offset","end_offset","label"}; not imported` };
  }
  if (typeof entity !== 'string') return { error: `${where}: its label ${JSON.stringify(entity)} is not a string; not imported` };
  const span = spanFromUnit(text, start, end, unit);
  if ('error' in span) return { error: `${where} ${JSON.stringify(entity)}: ${span.error}; not imported` };
  return { entity, start: span.start, end: span.end, where, ...(extra && Object.keys(extra).length > 0 ? { extra } : {}) };
}

export const doccanoFormat: FormatModule = {
  id: 'doccano',
  defaultOffsets: 'utf16',
  write(records, reporter, { offsets }) {
    const lines: string[] = [];
    let labels = 0;
    for (const record of records) {
      const text = new CodePointText(record.text);
      const { id, label: clash, ...rest } = record.extra;
      if (clash !== undefined)
        reporter.add(record.line, record.id, 'dropped-field', 'the record\'s own "label" key would clash with doccano\'s spans; dropped');
      const spans = record.labels.map((l) => {
        reportDroppedLabelFields(record, l, 'a doccano span', reporter);
        return [toUnit(text, l.start, offsets), toUnit(text, l.end, offsets), l.entity];
      });
      labels += spans.length;
      lines.push(JSON.stringify({ ...(id !== undefined ? { id } : {}), text: record.text, label: spans, ...rest }));
    }
    return { output: lines.length === 0 ? '' : `${lines.join('\n')}\n`, records: lines.length, labels };
  },
  read(content, reporter: Reporter, { offsets }) {
    return readJsonLines(content, reporter).map(({ line, value }): RawRecord => {
      const { text, ...rest } = value as { text: string } & Record<string, unknown>;
      const key = Array.isArray(rest.entities) ? 'entities' : 'label';
      const offsetsOf = new CodePointText(text);
      const labels: RawLabel[] = [];
      if (rest[key] !== undefined && !Array.isArray(rest[key])) {
        reporter.add(line, rest.id, 'invalid-label', `"${key}" is not an array of spans; kept as a record key, no labels imported`);
        return { line, text, labels, extra: rest };
      }
      const { [key]: spans, ...extra } = rest;
      ((spans ?? []) as unknown[]).forEach((item, i) => {
        const label = readSpan(item, i, offsetsOf, offsets);
        if ('error' in label) reporter.add(line, rest.id, 'invalid-label', `${label.error} (offsets read as ${unitName(offsets)})`);
        else labels.push(label);
      });
      return { line, text, labels, extra };
    });
  },
};
