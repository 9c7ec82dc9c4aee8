/**
 * CLUENER2020 JSONL: `{"text": "…", "label": {"TYPE": {"mention": [[start, end_inclusive], …]}}}`.
 *
 * Offsets are code points (the dataset is made and read with Python) and the end is INCLUSIVE:
 * a FinLabel span [4, 9) is written [4, 8]. Spans with the same type and text share one mention
 * key. The mention key must equal the text at its span: import reports each one that does not and
 * keeps it as the label's value (never corrected). Other record keys (id, meta, unknown keys) are
 * kept as extra top-level keys: CLUENER readers look only at "text" and "label". Label keys
 * besides entity/value/start/end are reported. Imported labels come out in start order.
 */
import { reportDroppedLabelFields } from './exportRecords';
import { isObject, readJsonLines } from './jsonInput';
import type { FormatModule, RawLabel, RawRecord, Reporter } from './types';

function readLabels(label: unknown, line: number, id: unknown, reporter: Reporter): RawLabel[] {
  const labels: RawLabel[] = [];
  if (label === undefined || label === null) return labels;
  if (!isObject(label)) {
    reporter.add(line, id, 'invalid-label', '"label" is not an object {type: {mention: [[start, end]]}}; no labels imported');
    return labels;
  }
  for (const [type, mentions] of Object.entries(label)) {
    if (!isObject(mentions)) {
      reporter.add(line, id, 'invalid-label', `label.${type} is not an object {mention: [[start, end]]}; not imported`);
      continue;
    }
    for (const [mention, spans] of Object.entries(mentions)) {
      const where = `label.${type}[${JSON.stringify(mention)}]`;
      if (!Array.isArray(spans)) {
        reporter.add(line, id, 'invalid-label', `${where} is not a list of [start, end] pairs; not imported`);
        continue;
      }
      spans.forEach((span: unknown, i) => {
        if (!Array.isArray(span) || span.length !== 2) {
          reporter.add(line, id, 'invalid-label', `${where}[${i}] ${JSON.stringify(span)} is not a [start, end] pair; not imported`);
          return;
        }
        const [start, last] = span as [number, number];
        // Inclusive end; a non-integer stays as it is for the offset check to report.
        const end = Number.isInteger(last) ? last + 1 : last;
        labels.push({ entity: type, start, end, value: mention, where: `${where}[${i}]`, written: { start, end: last, inclusiveEnd: true } });
      });
    }
  }
  return labels;
}

export const cluenerFormat: FormatModule = {
  id: 'cluener',
  write(records, reporter) {
    const lines: string[] = [];
    let labels = 0;
    for (const record of records) {
      const { id, label: clash, ...rest } = record.extra;
      if (clash !== undefined)
        reporter.add(record.line, record.id, 'dropped-field', 'the record\'s own "label" key would clash with CLUENER\'s labels; dropped');
      const byType: Record<string, Record<string, [number, number][]>> = {};
      for (const l of record.labels) {
        reportDroppedLabelFields(record, l, 'CLUENER', reporter);
        const mentions = (byType[l.entity] ??= {});
        (mentions[l.value] ??= []).push([l.start, l.end - 1]);
        labels++;
      }
      lines.push(JSON.stringify({ ...(id !== undefined ? { id } : {}), text: record.text, label: byType, ...rest }));
    }
    return { output: lines.length === 0 ? '' : `${lines.join('\n')}\n`, records: lines.length, labels };
  },
  read(content, reporter) {
    return readJsonLines(content, reporter).map(({ line, value }): RawRecord => {
      const { text, label, ...extra } = value as { text: string; label?: unknown } & Record<string, unknown>;
      return { line, text, labels: readLabels(label, line, extra.id, reporter), extra };
    });
  },
};
