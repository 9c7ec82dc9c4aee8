/**
 * Label Studio JSON: a list of tasks, written one task per line,
 *
 *     [
 *     {"data":{"id":"dd-0001","text":"…","meta":{…}},"annotations":[{"result":[{"id":"L1","from_name":"label","to_name":"text","type":"labels","value":{"start":4,"end":9,"text":"500万元","labels":["LOAN_AMOUNT"]}}]}]}
 *     ]
 *
 * for the named-entity template (`<Labels name="label" toName="text">`, `<Text name="text" value="$text"/>`).
 *
 * Offsets: Label Studio's Text tag stores `start`/`end` in code points, like Python (its frontend
 * counts code points since label-studio-frontend#308; its e2e test ner/emoji.cy.ts checks it), so
 * no conversion is needed; `--offsets utf16` reads files from tools that count UTF-16 units.
 *
 * Export: every record key goes into `data` (id, meta, unknown keys: Label Studio keeps them and
 * shows them as $id, $meta); labels become one annotation. Label keys besides entity/value/start/end
 * are reported. Import: `data.text` is the text, the other `data` keys become record keys (the task's
 * own `id` is the record id when `data` has none); the first annotation not cancelled is imported.
 * What has no place in a FinLabel record is reported, each kind once with a count: other
 * annotations, predictions, results that are not `labels` spans, and task/annotation bookkeeping
 * (created_at, completed_by, …; empty values are not reported).
 */
import { normalizedText } from '../../common/normalizedValue';
import { isEmptyValue, reportDroppedLabelFields } from './exportRecords';
import { isObject, readJsonDocument } from './jsonInput';
import { CodePointText } from '../dataset/codePointText';
import { spanFromUnit, toUnit, unitName } from './textOffsets';
import type { FormatModule, OffsetUnit, RawLabel, RawRecord, Reporter } from './types';

const TASK_KEYS = new Set(['id', 'data', 'annotations', 'predictions']);

/** Reports a kind of dropped thing once, with how many tasks had it and the first of them. */
class DropCounter {
  private readonly seen = new Map<string, { count: number; line: number; id: unknown }>();

  add(what: string, line: number, id: unknown): void {
    const entry = this.seen.get(what);
    if (entry) entry.count++;
    else this.seen.set(what, { count: 1, line, id });
  }

  report(reporter: Reporter): void {
    for (const [what, { count, line, id }] of this.seen) {
      reporter.add(
        line,
        id,
        'dropped-field',
        `${what} has no place in a FinLabel record; dropped (${count} task${count === 1 ? '' : 's'}, first on this line)`,
      );
    }
  }
}

function readResult(item: unknown, where: string, text: CodePointText, unit: OffsetUnit): RawLabel[] | { error: string } {
  const value = isObject(item) ? item.value : undefined;
  if (!isObject(value) || !Array.isArray(value.labels)) return { error: `${where} has no value.labels` };
  if (value.labels.length === 0) return { error: `${where} has an empty value.labels` };
  const span = spanFromUnit(text, value.start, value.end, unit);
  if ('error' in span) return { error: `${where} ${JSON.stringify(value.labels)}: ${span.error} (read as ${unitName(unit)})` };
  const stated = typeof value.text === 'string' ? value.text : undefined;
  const labels: RawLabel[] = [];
  for (const entity of value.labels as unknown[]) {
    if (typeof entity !== 'string') return { error: `${where}: label ${JSON.stringify(entity)} is not a string` };
    labels.push({ entity, start: span.start, end: span.end, where, ...(stated !== undefined ? { value: stated } : {}) });
  }
  return labels;
}

function readTask(task: unknown, line: number, index: number, unit: OffsetUnit, reporter: Reporter, drops: DropCounter): RawRecord | undefined {
  const name = `task ${index + 1}`;
  if (!isObject(task) || !isObject(task.data) || typeof task.data.text !== 'string') {
    const what = !isObject(task) ? 'is not a JSON object' : !isObject(task.data) ? 'has no "data" object' : 'has no string data.text';
    reporter.add(line, isObject(task) ? task.id : undefined, 'unreadable-record', `${name} ${what}; skipped`);
    return undefined;
  }
  const { text, ...data } = task.data as { text: string } & Record<string, unknown>;
  const extra: Record<string, unknown> = { ...(data.id === undefined && task.id !== undefined ? { id: task.id } : {}), ...data };
  const id = extra.id;
  if (data.id !== undefined && task.id !== undefined && task.id !== data.id) drops.add('the task\'s own "id" (data.id is the record id)', line, id);
  for (const [key, value] of Object.entries(task)) {
    if (!TASK_KEYS.has(key) && !isEmptyValue(value)) drops.add(`task field "${key}"`, line, id);
  }
  if (!isEmptyValue(task.predictions)) drops.add('"predictions" (only annotations are imported)', line, id);

  if (task.annotations !== undefined && !Array.isArray(task.annotations)) {
    reporter.add(line, id, 'invalid-label', `${name}: "annotations" is ${jsonKind(task.annotations)}, not a list of annotations; no labels imported`);
  }
  const annotations = Array.isArray(task.annotations) ? task.annotations : [];
  const live = annotations.filter((a) => !(isObject(a) && a.was_cancelled === true));
  if (live.length < annotations.length) drops.add('a cancelled annotation', line, id);
  if (live.length > 1) {
    reporter.add(line, id, 'dropped-field', `${name} has ${live.length} annotations: the first is imported, the other ${live.length - 1} dropped`);
  }
  const labels: RawLabel[] = [];
  const annotation: unknown = live[0];
  if (annotation !== undefined) {
    if (!isObject(annotation) || !Array.isArray(annotation.result)) {
      reporter.add(line, id, 'invalid-label', `${name}: its annotation has no "result" list; no labels imported`);
    } else {
      for (const [key, value] of Object.entries(annotation)) {
        if (key !== 'result' && !isEmptyValue(value)) drops.add(`annotation field "${key}"`, line, id);
      }
      const offsets = new CodePointText(text);
      annotation.result.forEach((item: unknown, i: number) => {
        const where = `${name} result ${i + 1}`;
        if (isObject(item) && item.type !== 'labels') {
          drops.add(`a result of type ${JSON.stringify(item.type)} (only "labels" spans are imported)`, line, id);
          return;
        }
        const read = readResult(item, where, offsets, unit);
        if ('error' in read) reporter.add(line, id, 'invalid-label', `${read.error}; not imported`);
        else labels.push(...read);
      });
    }
  }
  return { line, text, labels, extra };
}

/** "an object", "a string", "null"…: what a JSON value is, for messages. */
function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (isObject(value)) return 'an object';
  return `a ${typeof value}`;
}

export const labelStudioFormat: FormatModule = {
  id: 'labelstudio',
  defaultOffsets: 'codepoint',
  write(records, reporter, { offsets }) {
    const tasks: string[] = [];
    let labels = 0;
    for (const record of records) {
      const text = new CodePointText(record.text);
      const { id, ...rest } = record.extra;
      const result = record.labels.map((l) => {
        reportDroppedLabelFields(record, l, 'a Label Studio result', reporter);
        return {
          id: `L${l.number}`,
          from_name: 'label',
          to_name: 'text',
          type: 'labels',
          value: { start: toUnit(text, l.start, offsets), end: toUnit(text, l.end, offsets), text: l.value, labels: [l.entity] },
          // Label Studio shows a region's meta.text as its note; import reads only value, so this never comes back as data.
          ...(l.normalized ? { meta: { text: [`normalized: ${normalizedText(l.normalized)}`], normalized: l.normalized } } : {}),
        };
      });
      labels += result.length;
      tasks.push(JSON.stringify({ data: { ...(id !== undefined ? { id } : {}), text: record.text, ...rest }, annotations: [{ result }] }));
    }
    return { output: tasks.length === 0 ? '[]\n' : `[\n${tasks.join(',\n')}\n]\n`, records: tasks.length, labels };
  },
  read(content, reporter, { offsets }) {
    const document = readJsonDocument(content, reporter);
    if (!document) return undefined;
    const { array, items } = document;
    // A single task object is accepted too; anything else at the top is not Label Studio's format.
    if (!array && !(isObject(items[0].value) && 'data' in items[0].value)) {
      reporter.add(
        items[0].line,
        undefined,
        'unreadable-record',
        'expected a JSON list of Label Studio tasks ([{"data": {"text": …}, "annotations": […]}]); nothing converted',
      );
      return undefined;
    }
    const drops = new DropCounter();
    const records = items.flatMap(({ line, index, value }) => readTask(value, line, index, offsets, reporter, drops) ?? []);
    drops.report(reporter);
    return records;
  },
};
