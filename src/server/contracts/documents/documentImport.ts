import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { DocumentImportFile, DocumentImportReport, LabelChange, LabelPlace } from '../../../common/documentImportProtocol';
import type { TextEdit } from '../../../common/lspProtocol';
import { anchorState, reanchorByValue, type AnchoredLabel } from '../anchorLabels';
import { appendLine, firstRecordLine, type DatasetTarget } from '../contractEdits';
import { findContractRecord, type ContractRecord } from '../contractRecords';
import { lineEdit, newRecordLine, rewriteRecordLine } from '../../dataset/recordRewrite';
import { describePart, partAt, type DocumentPart, type DocumentText } from './documentText';
import { extractDocument } from './extractDocument';
import { documentMetaFields, partsOfMeta } from './documentMeta';

/** A .docx/.pdf file of a contract folder: its path on disk and relative to the workspace folder (the record's id and meta.source). */
export interface FolderDocument {
  path: string;
  source: string;
}

export interface DocumentImportPlan {
  /** Edits to the dataset, in one batch: records of changed files rewritten in place, new records appended. */
  edits: TextEdit[];
  report: DocumentImportReport;
}

/** One file's part of the plan. */
type FilePlan = { file: DocumentImportFile } & ({ kind: 'none' } | { kind: 'append'; line: string } | { kind: 'rewrite'; at: number; after: string });

/**
 * What importing `files` into `dataset` does: a new record for a file that has none; for a file whose
 * record exists, the new text, its labels found again on it (kept where their text still is, moved
 * where it moved, flagged where it vanished: such a label keeps its old value, so validation reports
 * it) and the new meta. Files that cannot be read are reported and change nothing.
 */
export async function planDocumentImport(files: readonly FolderDocument[], dataset: DatasetTarget, folder: string): Promise<DocumentImportPlan> {
  const plans: FilePlan[] = [];
  for (const file of files) plans.push(await planFile(file, dataset));
  const appended = plans.filter((p): p is FilePlan & { kind: 'append' } => p.kind === 'append');
  const lastLine = dataset.model.lineCount - 1;
  let next = dataset.model.line(lastLine) === '' ? lastLine : lastLine + 1;
  for (const p of appended) p.file.line = ++next;
  const edits = datasetEdits(dataset, plans);
  return { edits, report: { folder, dataset: dataset.name, files: plans.map((p) => p.file), summary: summarize(plans.map((p) => p.file)) } };
}

async function planFile(doc: FolderDocument, dataset: DatasetTarget): Promise<FilePlan> {
  const none = (file: Omit<DocumentImportFile, 'kept' | 'moved' | 'vanished'>): FilePlan => ({
    kind: 'none',
    file: { kept: 0, moved: [], vanished: [], ...file },
  });
  let bytes: Buffer;
  try {
    bytes = await readFile(doc.path);
  } catch (err) {
    return none({
      file: doc.source,
      outcome: 'not-imported',
      problem: 'unreadable',
      message: `${doc.source}: not imported: it cannot be read (${(err as Error).message})`,
    });
  }
  const extracted = await extractDocument(doc.path, bytes);
  const lookup = findContractRecord(dataset.model, doc.source);
  if (!extracted.ok) {
    const kept = lookup.kind === 'found' ? `; its record (line ${lookup.record.line + 1} of ${dataset.name}) is left as it was` : '';
    return none({ file: doc.source, outcome: 'not-imported', problem: extracted.problem, message: `${doc.source}: not imported: ${extracted.reason}${kept}` });
  }
  const document = extracted.document;
  const meta = documentMetaFields(doc.source, document, createHash('sha256').update(bytes).digest('hex'));
  const shape = `${document.parts.length} paragraph${document.parts.length === 1 ? '' : 's'}${document.pages !== undefined ? ` on ${document.pages} page${document.pages === 1 ? '' : 's'}` : ''}${document.note ? `; ${document.note}` : ''}`;
  if (lookup.kind === 'invalid') {
    return none({
      file: doc.source,
      outcome: 'not-imported',
      problem: 'record-invalid',
      message: `${doc.source}: not imported: ${dataset.name}: ${lookup.message}; fix that line first`,
    });
  }
  if (lookup.kind === 'none') {
    const line = newRecordLine({ id: doc.source, text: document.text, labels: [], meta }, firstRecordLine(dataset.model));
    return {
      kind: 'append',
      line,
      file: {
        file: doc.source,
        outcome: 'added',
        message: `${doc.source}: imported as a new record of ${dataset.name} (${shape})`,
        kept: 0,
        moved: [],
        vanished: [],
      },
    };
  }
  const record = lookup.record;
  const changes = reconcileLabels(record, document);
  const after = rewriteRecordLine(record.lineText, record.parsed, {
    ...(record.text !== document.text ? { text: document.text } : {}),
    labels: changes.offsets,
    meta,
  });
  const line = record.line + 1;
  const file: DocumentImportFile = {
    file: doc.source,
    outcome: 'unchanged',
    line,
    message: '',
    kept: changes.kept,
    moved: changes.moved,
    vanished: changes.vanished,
  };
  const notes = [
    ...(lookup.duplicates.length > 0
      ? [`lines ${lookup.duplicates.map((d) => d + 1).join(', ')} are records of the same file too and were left as they are`]
      : []),
    ...record.unplaced.map((u) => `${u} (left as it is)`),
  ];
  const tail = notes.length > 0 ? `; ${notes.join('; ')}` : '';
  if (after === record.lineText)
    return { kind: 'none', file: { ...file, message: `${doc.source}: unchanged since its last import (line ${line} of ${dataset.name})${tail}` } };
  file.outcome = 'updated';
  const labels = `${changes.kept} label${changes.kept === 1 ? '' : 's'} kept, ${changes.moved.length} moved, ${changes.vanished.length} vanished`;
  const flagged =
    changes.vanished.length > 0 ? ' (a vanished label stays in the record with its old text, so validation flags it until it is fixed or removed)' : '';
  file.message = `${doc.source}: ${record.text === document.text ? "its record's meta updated" : 're-imported the changed file'} (line ${line} of ${dataset.name}, ${shape}): ${labels}${flagged}${tail}`;
  return { kind: 'rewrite', at: record.line, after, file };
}

interface LabelReconciliation {
  offsets: Map<number, { start: number; end: number }>;
  kept: number;
  moved: LabelChange[];
  vanished: LabelChange[];
}

/** The record's labels found again on the document's new text (anchorLabels.ts does the finding). */
function reconcileLabels(record: ContractRecord, document: DocumentText): LabelReconciliation {
  const oldParts = partsOfMeta(record.parsed.value) ?? [];
  const before = Array.from(record.text);
  const after = Array.from(document.text);
  const placed = record.text === document.text ? record.labels : reanchorByValue(record.labels, before, after).labels;
  const result: LabelReconciliation = { offsets: new Map(), kept: 0, moved: [], vanished: [] };
  record.labels.forEach((old, i) => {
    const now = placed[i];
    if (now.start !== old.start || now.end !== old.end) result.offsets.set(old.index, { start: now.start, end: now.end });
    const from = place(old, oldParts);
    if (anchorState(now, after) !== 'intact') result.vanished.push({ entity: old.entity, value: old.value, from });
    else if (now.start !== old.start) result.moved.push({ entity: old.entity, value: old.value, from, to: place(now, document.parts) });
    else result.kept++;
  });
  return result;
}

function place(label: AnchoredLabel, parts: readonly DocumentPart[]): LabelPlace {
  return { start: label.start, end: label.end, place: describePart(partAt(parts, label.start)) };
}

function datasetEdits(dataset: DatasetTarget, plans: readonly FilePlan[]): TextEdit[] {
  const appended = plans.flatMap((p) => (p.kind === 'append' ? [p.line] : []));
  const rewrites = plans.flatMap((p) => (p.kind === 'rewrite' ? [p] : []));
  const model = dataset.model;
  const last = model.lineCount - 1;
  const edits: TextEdit[] = [];
  let appendDone = appended.length === 0;
  for (const r of rewrites) {
    if (r.at === last && !appendDone) {
      // The file's last line, without a line break after it: rewrite it and append in one edit.
      edits.push({
        range: { start: { line: last, character: 0 }, end: { line: last, character: model.line(last).length } },
        newText: [r.after, ...appended].join(dataset.eol),
      });
      appendDone = true;
    } else {
      edits.push(lineEdit(r.at, model.line(r.at), r.after));
    }
  }
  if (!appendDone) edits.push(appendLine(model, appended.join(dataset.eol), dataset.eol));
  return edits;
}

function summarize(files: readonly DocumentImportFile[]): string {
  const count = (o: DocumentImportFile['outcome']): number => files.filter((f) => f.outcome === o).length;
  const moved = files.reduce((n, f) => n + f.moved.length, 0);
  const vanished = files.reduce((n, f) => n + f.vanished.length, 0);
  const parts = [`${count('added')} added`, `${count('updated')} updated`, `${count('unchanged')} unchanged`, `${count('not-imported')} not imported`];
  const labels = moved + vanished > 0 ? `; labels: ${moved} moved, ${vanished} vanished` : '';
  return `${files.length} Word/PDF file${files.length === 1 ? '' : 's'}: ${parts.join(', ')}${labels}`;
}
