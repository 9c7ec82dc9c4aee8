/** A file's content as lines that keep their own line terminators, for copying records byte for byte. */
export interface SourceLines {
  /** The byte order mark the content started with, or ''. */
  bom: string;
  /** lines[i] is line i + 1 (as parseDataset counts): its text and terminator ('' for a last line without one). */
  lines: { text: string; ending: string }[];
  /** The first terminator in the file ('\n' when there is none): what a copied last line without one gets. */
  newline: string;
}

/** Splits like splitLines (\r\n, \n or \r), dropping the empty remainder after a final terminator. */
export function sourceLines(content: string): SourceLines {
  const bom = content.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = content.slice(bom.length);
  const lines: SourceLines['lines'] = [];
  const terminator = /\r\n|\n|\r/g;
  let at = 0;
  for (let m = terminator.exec(body); m; m = terminator.exec(body)) {
    lines.push({ text: body.slice(at, m.index), ending: m[0] });
    at = m.index + m[0].length;
  }
  if (at < body.length) lines.push({ text: body.slice(at), ending: '' });
  return { bom, lines, newline: lines.find((l) => l.ending !== '')?.ending ?? '\n' };
}
