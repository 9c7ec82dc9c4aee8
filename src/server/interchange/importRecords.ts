import type { DatasetRecord, EntityLabel } from '../../common/dataset';
import type { EntityNamer } from './entityNaming';
import { CodePointText } from '../dataset/codePointText';
import { spanProblem, writtenSpanText } from './textOffsets';
import type { RawRecord, Reporter } from './types';

/**
 * Turns what a format reader found into dataset records. Labels with unusable offsets are reported
 * and left out; a label whose stated text differs from the text at its offsets is kept with the
 * stated value and reported, so the editor's diagnostics (and quick fix) show it: never fixed here.
 * Labels come out in start order, as FinLabel inserts them.
 */
export function importRecords(raw: readonly RawRecord[], namer: EntityNamer, reporter: Reporter): DatasetRecord[] {
  return raw.map((r) => {
    const id = r.extra.id;
    const text = new CodePointText(r.text);
    const labels: EntityLabel[] = [];
    for (const label of r.labels) {
      const { start, end } = label;
      const written = label.written ?? { start, end };
      const problem = spanProblem(written, text.length, 'characters');
      if (problem) {
        reporter.add(r.line, id, 'invalid-label', `${label.where} ${JSON.stringify(label.entity)}: ${problem}; not imported`);
        continue;
      }
      const slice = text.slice(start, end);
      if (label.value !== undefined && label.value !== slice) {
        reporter.add(
          r.line,
          id,
          'value-mismatch',
          `${label.where} ${JSON.stringify(label.entity)} ${writtenSpanText(written)}: its text ${JSON.stringify(label.value)} differs from the text at these offsets, ${JSON.stringify(slice)}; imported as written`,
        );
      }
      labels.push({ entity: namer.name(label.entity, r.line, id), value: label.value ?? slice, start, end, ...(label.extra ?? {}) });
    }
    labels.sort((a, b) => a.start - b.start || a.end - b.end);
    const { id: _id, text: clashText, labels: clashLabels, ...rest } = r.extra;
    if (clashText !== undefined || clashLabels !== undefined) {
      reporter.add(r.line, id, 'dropped-field', `the input's own "text"/"labels" field would replace the record's; dropped`);
    }
    return { ...(id !== undefined ? { id: id as string | number } : {}), text: r.text, labels, ...rest };
  });
}
