import type { DatasetProblem, EntityLabel, ProblemCode } from '../../common/dataset';
import type { DatasetContent } from '../dataset/datasetFile';
import { normalizeSpan } from '../normalization/normalizeSpan';
import type { EntityNamer } from './entityNaming';
import type { CleanLabel, ExportRecord, Reporter } from './types';

/** Problems that make a label unusable in any format: it is reported and not exported. */
export const UNUSABLE_LABEL: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'label-not-object',
  'label-missing-field',
  'offset-not-integer',
  'offset-out-of-range',
  'offset-reversed',
  'value-mismatch',
]);

const LABEL_FIELDS = new Set(['entity', 'value', 'start', 'end']);

/**
 * The records of a dataset as every format writer gets them: lines that are not records and labels
 * `finlabel validate` finds wrong are reported here (never fixed); what remains is consistent
 * (value = text[start:end], offsets in range) with entity types named as asked.
 */
export function exportRecords(content: DatasetContent, namer: EntityNamer, reporter: Reporter): ExportRecord[] {
  const problemsByLine = new Map<number, DatasetProblem[]>();
  for (const p of content.problems) {
    const list = problemsByLine.get(p.line) ?? [];
    list.push(p);
    problemsByLine.set(p.line, list);
  }
  for (const line of content.rejectedLines) {
    const messages = (problemsByLine.get(line) ?? []).map((p) => p.message).join('; ');
    reporter.add(line, undefined, 'unreadable-record', `not a dataset record (${messages}); skipped`);
  }

  return content.records.map(({ line, record }) => {
    const problems = problemsByLine.get(line) ?? [];
    const { text, labels, ...extra } = record;
    const id = record.id;
    const clean: CleanLabel[] = [];
    if (labels !== undefined && !Array.isArray(labels)) {
      reporter.add(line, id, 'invalid-label', `"labels" is not an array; the record is exported without labels`);
    }
    (Array.isArray(labels) ? labels : []).forEach((label: EntityLabel, index) => {
      const unusable = problems.filter((p) => p.labelIndex === index && UNUSABLE_LABEL.has(p.code));
      if (unusable.length > 0) {
        reporter.add(line, id, 'invalid-label', `${unusable.map((p) => p.message).join('; ')}; not exported`);
        return;
      }
      const labelExtra: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(label)) if (!LABEL_FIELDS.has(k)) labelExtra[k] = v;
      const tag = namer.tag(label.entity);
      const normalized = tag === undefined ? undefined : normalizeSpan(tag, label.value);
      clean.push({
        entity: namer.name(label.entity, line, id),
        value: label.value,
        start: label.start,
        end: label.end,
        number: index + 1,
        extra: labelExtra,
        ...(normalized ? { normalized } : {}),
      });
    });
    return { line, ...(id !== undefined ? { id } : {}), text, labels: clean, extra };
  });
}

/** "label 2 借款金额 "500万元" [4, 9)", for messages. */
export function describeLabel(label: Pick<CleanLabel, 'number' | 'entity' | 'value' | 'start' | 'end'>): string {
  return `label ${label.number} ${label.entity} ${JSON.stringify(label.value)} [${label.start}, ${label.end})`;
}

/** Reports label keys (other than entity/value/start/end) a format has no place for. */
export function reportDroppedLabelFields(record: ExportRecord, label: CleanLabel, format: string, reporter: Reporter): void {
  const keys = Object.keys(label.extra);
  if (keys.length === 0) return;
  reporter.add(
    record.line,
    record.id,
    'dropped-field',
    `${describeLabel(label)}: ${keys.map((k) => JSON.stringify(k)).join(', ')} ${keys.length === 1 ? 'has' : 'have'} no place in ${format}; dropped`,
  );
}

/** True for values whose loss loses nothing (null, {}, []). */
export function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v as object).length === 0;
}
