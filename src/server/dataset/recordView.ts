import type { RecordView } from '../../common/lspProtocol';
import type { JsonlDocumentModel } from './documentModel';

/** Lines that hold a record (anything but blank lines), in document order. */
function recordLines(model: JsonlDocumentModel): number[] {
  const lines: number[] = [];
  for (let i = 0; i < model.lineCount; i++) if (!model.isBlank(i)) lines.push(i);
  return lines;
}

/** Record `index` (clamped) with its decoded text and gold spans, for the annotation view. */
export function recordView(model: JsonlDocumentModel, index: number): RecordView | null {
  const lines = recordLines(model);
  if (lines.length === 0) return null;
  const i = Math.min(Math.max(0, Math.trunc(index)), lines.length - 1);
  const line = lines[i];
  const analysis = model.analysis(line);
  const id = model.recordId(line);
  return {
    line,
    index: i,
    total: lines.length,
    id,
    text: analysis.text?.map.decoded ?? null,
    spans: analysis.labels.map((l) => ({
      start: l.start,
      end: l.end,
      entity: l.type?.name ?? l.entity,
      tag: l.type?.tag ?? l.entity,
      color: l.type?.color ?? '#9e9e9e',
      overlaps: l.overlaps,
    })),
    problems: analysis.problems.map((p) => p.message),
  };
}
