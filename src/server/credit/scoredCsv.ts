/** The two columns `finlabel score` appends: P(违约) and the 0/1 prediction at the threshold. */
export const PROBABILITY_COLUMN = '违约概率';
export const PREDICTION_COLUMN = '预测';

/** One record of a CSV text as written: its first line (1-based), its content and its line ending. */
interface RawRecord {
  line: number;
  content: string;
  eol: string;
}

/** The records of a CSV text exactly as written (quoted line breaks stay inside their record). Assumes parseCsv accepted the text. */
function rawRecords(text: string): RawRecord[] {
  const out: RawRecord[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const start = i;
    const startLine = line;
    let quoted = false;
    while (i < text.length) {
      const c = text[i];
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') i++;
          else quoted = false;
        } else if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
      } else if (c === '"') quoted = true;
      else if (c === '\n' || c === '\r') break;
      i++;
    }
    const content = text.slice(start, i);
    const eol = text.startsWith('\r\n', i) ? '\r\n' : i < text.length ? text[i] : '';
    i += eol.length;
    line++;
    out.push({ line: startLine, content, eol });
  }
  return out;
}

/** P(违约) with six decimals, and 1 when it reaches the threshold. */
export function scoreCells(probability: number, threshold: number): [string, string] {
  return [probability.toFixed(6), probability >= threshold ? '1' : '0'];
}

/** The reason columns `finlabel score` appends after the score: 主要原因1, 主要原因2, ... */
export const reasonColumns = (count: number): string[] => Array.from({ length: count }, (_, k) => `主要原因${k + 1}`);

/** A CSV cell: quoted when it holds a comma, a quote or a line break. */
const csvCell = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** Extra columns after the score: their names, and each row's cells by line (fewer cells are padded with empty ones). */
export interface ExtraColumns {
  names: string[];
  cells: ReadonlyMap<number, readonly string[]>;
}

/**
 * The input text with the two score columns (and any `extra` columns) appended to the header and to
 * every data row, each record otherwise byte for byte as it was (quoting, line endings, blank lines).
 * Rows without a probability (left out as bad rows) get empty cells.
 */
export function appendScoreColumns(
  text: string,
  probabilities: ReadonlyMap<number, number>,
  threshold: number,
  extra: ExtraColumns = { names: [], cells: new Map() },
): string {
  const records = rawRecords(text);
  let headerDone = false;
  return records
    .map((r) => {
      if (r.content === '') return r.eol;
      if (!headerDone) {
        headerDone = true;
        return `${[r.content, PROBABILITY_COLUMN, PREDICTION_COLUMN, ...extra.names.map(csvCell)].join(',')}${r.eol}`;
      }
      const p = probabilities.get(r.line);
      const cells = p === undefined ? ['', ''] : scoreCells(p, threshold);
      const more = extra.names.map((_, k) => csvCell(extra.cells.get(r.line)?.[k] ?? ''));
      return `${[r.content, ...cells, ...more].join(',')}${r.eol}`;
    })
    .join('');
}
