import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { DatasetProblem, EntityLabel } from '../../common/dataset';
import { isDataset } from '../../common/datasetFiles';
import type { LabelSchema } from '../../common/labelSchema';
import { parseDataset } from '../dataset/datasetFile';
import { readInput } from '../cli/readInput';
import { UNUSABLE_LABEL } from '../interchange/exportRecords';
import type { TermDocument, TermSpan } from './keyTermsRow';

/** What extraction reads, and each problem in words naming the file and line (nothing is ever fixed). */
export interface TermInputs {
  documents: TermDocument[];
  problems: string[];
}

const CONTRACT = /\.(txt|md)$/i;

/** The usable labels of a record, by tag (a type the schema does not know has no key terms). */
function goldSpans(labels: unknown, problems: readonly DatasetProblem[], schema: LabelSchema): TermSpan[] {
  if (!Array.isArray(labels)) return [];
  return (labels as EntityLabel[]).flatMap((label, index) => {
    if (problems.some((p) => p.labelIndex === index && UNUSABLE_LABEL.has(p.code))) return [];
    const type = schema.resolve(label.entity);
    return type ? [{ tag: type.tag, start: label.start, end: label.end, confidence: null }] : [];
  });
}

/** The records of a dataset as documents; lines that are not records and labels that cannot be used are reported. */
function datasetDocuments(file: string, content: string, schema: LabelSchema, out: TermInputs): { source: string | null; doc: TermDocument }[] {
  const dataset = parseDataset(content, schema);
  for (const line of dataset.rejectedLines) out.problems.push(`${file}:${line}: not a dataset record; skipped`);
  const byLine = new Map<number, DatasetProblem[]>();
  for (const p of dataset.problems) byLine.set(p.line, [...(byLine.get(p.line) ?? []), p]);
  return dataset.records.map(({ line, record }) => {
    const problems = byLine.get(line) ?? [];
    for (const p of problems) if (UNUSABLE_LABEL.has(p.code)) out.problems.push(`${file}:${line}: ${p.message}; the label is not used`);
    const meta = record.meta as { source?: unknown } | undefined;
    const source = typeof meta?.source === 'string' ? meta.source : typeof record.id === 'string' ? record.id : null;
    const id = record.id === undefined || record.id === null ? null : String(record.id);
    return { source, doc: { file, line, id, text: record.text, gold: goldSpans(record.labels, problems, schema), predicted: [] } };
  });
}

const stripBom = (s: string): string => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

/**
 * The documents of a dataset JSONL, a contract (.txt, .md), or a folder of both (not its subfolders).
 * In a folder, a contract file's labels are those of the record whose meta.source (or id) is the
 * file's path (as contract labelling writes it); that record is then the contract's row, not one of its own.
 */
export async function readTermInputs(target: string, schema: LabelSchema): Promise<TermInputs | { error: string }> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(target)).isDirectory();
  } catch (err) {
    return { error: `cannot read ${target}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  const files = isFolder
    ? (await readdir(target))
        .filter((n) => isDataset(n) || CONTRACT.test(n))
        .sort()
        .map((n) => path.join(target, n))
    : [target];
  if (!isFolder && !isDataset(target) && !CONTRACT.test(target)) return { error: `${target}: expected a dataset (.jsonl), a contract (.txt, .md) or a folder` };
  const out: TermInputs = { documents: [], problems: [] };
  const records: { source: string | null; doc: TermDocument }[] = [];
  const contracts: TermDocument[] = [];
  for (const file of files) {
    const input = await readInput(file);
    if (!input.ok) {
      if (!isFolder) return { error: input.message };
      out.problems.push(`${input.message}; skipped`);
      continue;
    }
    if (isDataset(file)) records.push(...datasetDocuments(file, input.content, schema, out));
    else contracts.push({ file, line: null, id: null, text: stripBom(input.content), gold: [], predicted: [] });
  }
  const used = new Set<TermDocument>();
  for (const contract of contracts) {
    const name = path
      .relative(isFolder ? target : path.dirname(target), contract.file)
      .split(path.sep)
      .join('/');
    const record = records.find((r) => r.source !== null && (r.source === name || r.source.endsWith(`/${name}`)));
    if (!record) continue;
    used.add(record.doc);
    if (record.doc.text !== contract.text) {
      out.problems.push(
        `${record.doc.file}:${record.doc.line}: the record of ${contract.file} holds another text (the file changed since it was labelled); its labels are not used`,
      );
      continue;
    }
    contract.gold = record.doc.gold;
  }
  out.documents.push(...records.filter((r) => !used.has(r.doc)).map((r) => r.doc), ...contracts);
  return out;
}
