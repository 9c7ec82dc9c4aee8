import type { LabelEditResult, RecordLabelOperation } from '../../common/lspProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import type { JsonlDocumentModel } from './documentModel';
import { adjudicateLabelsEdit } from './labelAdjudication';
import { addLabelEdit, addSelectionLabelEdit, removeLabelEdit, retypeLabelEdit } from './labelEdits';
import { addLabelsEdit } from './addLabels';

/** The edit that applies one label operation (from the annotation view or Label Selection) to line `line` of the document. */
export function editRecordLabels(model: JsonlDocumentModel, schema: LabelSchema, line: number, op: RecordLabelOperation): LabelEditResult {
  if (!Number.isInteger(line) || line < 0 || line >= model.lineCount) {
    return { ok: false, message: `Line ${line + 1} is not in the document, which has ${model.lineCount} lines.` };
  }
  const text = model.line(line);
  const parsed = model.parsedLine(line);
  switch (op.kind) {
    case 'add': {
      const type = schema.resolve(op.entity);
      if (!type) return { ok: false, message: `Unknown entity type "${op.entity}".` };
      return addLabelEdit(text, parsed, line, { start: op.start, end: op.end }, type);
    }
    case 'addSelection': {
      const type = schema.resolve(op.entity);
      if (!type) return { ok: false, message: `Unknown entity type "${op.entity}".` };
      return addSelectionLabelEdit(text, parsed, line, op, type);
    }
    case 'retype': {
      const type = schema.resolve(op.entity);
      if (!type) return { ok: false, message: `Unknown entity type "${op.entity}".` };
      return retypeLabelEdit(text, parsed, line, op.labelIndex, type);
    }
    case 'remove':
      return removeLabelEdit(text, parsed, line, op.labelIndex);
    case 'addMany': {
      if (!Array.isArray(op.labels) || op.labels.length === 0) return { ok: false, message: 'There are no labels to add.' };
      const spans = [];
      for (const l of op.labels) {
        const type = schema.resolve(l.entity);
        if (!type) return { ok: false, message: `Unknown entity type "${l.entity}".` };
        spans.push({ start: l.start, end: l.end, type });
      }
      return addLabelsEdit(text, line, spans);
    }
    case 'adjudicate':
      if (!Array.isArray(op.keep) || !Array.isArray(op.remove)) return { ok: false, message: 'Adjudication needs the labels to keep and to remove.' };
      return adjudicateLabelsEdit(text, parsed, line, op.keep, op.remove);
    default:
      return { ok: false, message: `Unknown label operation ${JSON.stringify((op as { kind?: unknown }).kind)}.` };
  }
}
