/**
 * RFC 4180 CSV parsing: comma separated, fields optionally in double quotes (a quote inside doubled),
 * quoted fields may hold commas and line breaks, rows end with \n, \r\n or a lone \r (each a line break, in
 * quotes too, as editors count lines). Whitespace around fields is kept as data except that the cells
 * are trimmed by the callers that want numbers.
 */

export interface CsvRow {
  /** 1-based line where the row starts in the file. */
  line: number;
  cells: string[];
}

/** A reported row, or cell when `column` is set: `detail` says what is wrong, `message` also where (file:line). */
export interface CsvRowProblem {
  line: number;
  /** The header name of the cell's column. */
  column?: string;
  detail: string;
  message: string;
}

export function csvRowProblem(file: string, line: number, detail: string, column?: string): CsvRowProblem {
  return { line, ...(column !== undefined ? { column } : {}), detail, message: `${file}:${line}: ${detail}` };
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
  /** Rows left out (wrong number of cells). */
  problems: CsvRowProblem[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    /** What is wrong, without the file and line. */
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'CsvSyntaxError';
  }
}

/** All records of the text (header included) with their start lines; throws CsvSyntaxError on broken quoting. */
function records(text: string, file: string): CsvRow[] {
  const out: CsvRow[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const rowLine = line;
    const cells: string[] = [];
    for (;;) {
      let cell = '';
      if (text[i] === '"') {
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= n) throw new CsvSyntaxError(file, quoteLine, 'a quoted field is not closed (a " is missing)');
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          // A line break in a quoted field starts a line, as editors count them: \n, \r\n or a lone \r.
          if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
          cell += c;
          i++;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new CsvSyntaxError(file, line, `column ${cells.length + 1}: text after the closing quote of a quoted field`);
        }
      } else {
        const start = i;
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') i++;
        cell = text.slice(start, i);
        if (cell.includes('"'))
          throw new CsvSyntaxError(file, line, `column ${cells.length + 1}: a " inside an unquoted field (quote the field and double the ")`);
      }
      cells.push(cell);
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else if (text[i] === '\n' || text[i] === '\r') i++;
    line++;
    if (!(cells.length === 1 && cells[0] === '')) out.push({ line: rowLine, cells });
  }
  return out;
}

/** Parses a CSV with a header row. Rows with another number of cells than the header are reported and left out. */
export function parseCsv(text: string, file: string): CsvTable {
  const all = records(text, file);
  if (all.length === 0) throw new CsvSyntaxError(file, 1, 'the file is empty: a header row is needed');
  const header = all[0].cells.map((h) => h.trim());
  const seen = new Map<string, number>();
  header.forEach((h, k) => {
    if (h === '') throw new CsvSyntaxError(file, all[0].line, `column ${k + 1} of the header has no name`);
    if (seen.has(h)) throw new CsvSyntaxError(file, all[0].line, `columns ${seen.get(h)! + 1} and ${k + 1} are both named "${h}"`);
    seen.set(h, k);
  });
  const rows: CsvRow[] = [];
  const problems: CsvTable['problems'] = [];
  for (const row of all.slice(1)) {
    if (row.cells.length === header.length) rows.push(row);
    else problems.push(csvRowProblem(file, row.line, `${row.cells.length} cells where the header has ${header.length} columns; the row is left out`));
  }
  return { header, rows, problems };
}
