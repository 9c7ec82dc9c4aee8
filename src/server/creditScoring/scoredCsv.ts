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

/**
 * The input text with the two score columns appended to the header and to every data row, each
 * record otherwise byte for byte as it was (quoting, line endings, blank lines). Rows without a
 * probability (left out as bad rows) get empty score cells.
 */
export function appendScoreColumns(text: string, probabilities: ReadonlyMap<number, number>, threshold: number): string {
  const records = rawRecords(text);
  let headerDone = false;
  return records
    .map((r) => {
      if (r.content === '') return r.eol;
      if (!headerDone) {
        headerDone = true;
        return `${r.content},${PROBABILITY_COLUMN},${PREDICTION_COLUMN}${r.eol}`;
      }
      const p = probabilities.get(r.line);
      const cells = p === undefined ? ['', ''] : scoreCells(p, threshold);
      return `${r.content},${cells.join(',')}${r.eol}`;
    })
    .join('');
}
