import { isMissing, parseLabel } from './creditColumns';
import { encodeCreditRows, type CreditPromptRow } from './creditDataset';
import { decodeCsvBytes, type CsvEncoding } from './csvBytes';
import { csvRowProblem, parseCsv, type CsvRowProblem } from './csvTable';
import type { CreditModel } from './creditModelFolder';

/** A data row as the model sees it, with the lines it spans in the file (1-based, inclusive). */
export interface CreditRow extends CreditPromptRow {
  endLine: number;
}

export interface CreditFileRows {
  encoding: CsvEncoding;
  header: string[];
  /** Rows that can be scored, in file order. */
  rows: CreditRow[];
  /** Rows left out (wrong number of cells) and cells that were not read (not a number, not a 0/1 label), by line. */
  problems: CsvRowProblem[];
}

/**
 * A credit CSV's rows as prompts, with the model's saved settings (its imputation values are used as
 * saved, never refitted on these rows). Throws CsvEncodingError, CsvSyntaxError or CreditConfigError
 * (the model's feature columns are not in the file) for a file that cannot be read as a whole.
 */
export function creditFileRows(bytes: Uint8Array, file: string, model: CreditModel): CreditFileRows {
  const { text } = decodeCsvBytes(bytes, file);
  const table = parseCsv(text, file);
  const encoded = encodeCreditRows(bytes, file, model.tokenizer, model.settings);
  const labelName = model.settings.columns.label.name;
  const labelIndex = table.header.indexOf(labelName);
  const problems = [...encoded.problems];
  const endLines = new Map<number, number>();
  for (const row of table.rows) {
    let end = row.line;
    for (const cell of row.cells) end += cell.split(/\r\n|\n|\r/).length - 1;
    endLines.set(row.line, end);
    if (labelIndex >= 0) {
      const cell = row.cells[labelIndex];
      if (!isMissing(cell) && parseLabel(cell) === undefined) {
        problems.push(
          csvRowProblem(file, row.line, `label column "${labelName}" holds "${cell}", not 0 or 1; the row is scored, its label is not read`, labelName),
        );
      }
    }
  }
  const rows = encoded.rows.map((r) => ({ ...r, endLine: endLines.get(r.line) ?? r.line }));
  problems.sort((a, b) => a.line - b.line);
  return { encoding: encoded.encoding, header: table.header, rows, problems };
}

/** Character range [start, end) of the cell at `index` of a one-line CSV row, or undefined when the line has fewer cells. */
export function cellRange(lineText: string, index: number): { start: number; end: number } | undefined {
  let i = 0;
  for (let k = 0; ; k++) {
    const start = i;
    if (lineText[i] === '"') {
      i++;
      while (i < lineText.length && !(lineText[i] === '"' && lineText[i + 1] !== '"')) i += lineText[i] === '"' ? 2 : 1;
      i++;
      while (i < lineText.length && lineText[i] !== ',') i++;
    } else {
      while (i < lineText.length && lineText[i] !== ',') i++;
    }
    if (k === index) return { start, end: Math.min(i, lineText.length) };
    if (i >= lineText.length) return undefined;
    i++;
  }
}
