/**
 * A credit model's training split, reproduced from its training file (card.json's data.file, checked
 * against its sha256) and its split (ratio and seed): what the baselines are fitted on and what the
 * stability check compares a file with. One place for evaluation and the editor's scoring.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CreditConfigError, parseLabel } from './creditColumns';
import { decodeCsvBytes } from './csvBytes';
import { parseCsv, type CsvRow } from './csvTable';
import { stratifiedSplit } from './stratifiedSplit';

export interface LabelledRow {
  row: CsvRow;
  label: 0 | 1;
}

export interface LabelledTable {
  encoding: string;
  header: string[];
  rows: LabelledRow[];
  problems: string[];
}

/** Where a model's card says its training data is, and how it was split. */
export interface TrainingDataRecord {
  file: string | null;
  sha256: string | null;
  split: { testRatio: number; seed: number } | null;
}

export interface TrainingSplit {
  file: string;
  bytes: Uint8Array;
  header: string[];
  rows: LabelledRow[];
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The rows of a CSV with a 0/1 label in `labelColumn`, in file order, as training reads them. */
export function labelledTable(bytes: Uint8Array, file: string, labelColumn: string): LabelledTable {
  const { text, encoding } = decodeCsvBytes(bytes, file);
  const table = parseCsv(text, file);
  const index = table.header.indexOf(labelColumn);
  if (index < 0)
    throw new CreditConfigError(
      `${file}: the label column "${labelColumn}" is not a column of the file (columns: ${table.header.join(', ')}); name it with --label`,
    );
  const problems = table.problems.map((p) => p.message);
  const rows: LabelledRow[] = [];
  for (const row of table.rows) {
    const label = parseLabel(row.cells[index]);
    if (label === undefined)
      problems.push(`${file}:${row.line}: label column "${labelColumn}" holds "${row.cells[index]}", not 0 or 1; the row is not evaluated`);
    else rows.push({ row, label });
  }
  return { encoding, header: table.header, rows, problems };
}

/** Both parts of a labelled table split as training split it. */
export function splitTable(table: LabelledTable, split: { testRatio: number; seed: number }): { train: LabelledRow[]; test: LabelledRow[] } {
  const parts = stratifiedSplit(
    table.rows.map((r) => r.label),
    split.testRatio,
    split.seed,
  );
  return { train: parts.train.map((i) => table.rows[i]), test: parts.test.map((i) => table.rows[i]) };
}

/** Reads the model's training file: as written in card.json, else relative to the model's workspace. */
export function trainingFileReader(modelDir: string): (file: string) => Uint8Array | undefined {
  return (file) => {
    // <workspace>/.finlabel/models/<task>/<name>: relative paths in the card are the workspace's or the shell's.
    const candidates = path.isAbsolute(file) ? [file] : [path.resolve(file), path.resolve(modelDir, '..', '..', '..', '..', file)];
    const found = candidates.find((c) => existsSync(c));
    return found ? readFileSync(found) : undefined;
  };
}

/** The training split of a model's training file, or why it cannot be reproduced. */
export function trainingSplit(
  data: TrainingDataRecord,
  labelColumn: string,
  read: (file: string) => Uint8Array | undefined,
): TrainingSplit | { reason: string } {
  const file = data.file;
  if (!file || !data.split) return { reason: 'card.json does not say where the training data is' };
  const bytes = read(file);
  if (!bytes) return { reason: `the model's training file ${file} cannot be read, so its training split cannot be reproduced` };
  if (data.sha256 && sha256(bytes) !== data.sha256)
    return { reason: `${file} changed since the model was trained (its sha256 differs from card.json's), so the training split cannot be reproduced` };
  const table = labelledTable(bytes, file, labelColumn);
  return { file, bytes, header: table.header, rows: splitTable(table, data.split).train };
}
