/**
 * Columns a character takes in a monospace font: 2 for East Asian wide and fullwidth characters
 * (CJK, Hangul, fullwidth forms, most emoji), 0 for combining marks, else 1. An approximation of
 * Unicode's East Asian Width, enough to line up tables of Chinese type names in a terminal or editor.
 */
function charWidth(cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch.codePointAt(0)!);
  return width;
}

/** A cell's text with the characters Markdown tables give a meaning to escaped. */
export function escapeCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, ' ');
}

/**
 * A GitHub-flavoured Markdown table whose columns are padded to line up in a monospace font, so the
 * same text reads as a table in a terminal and renders as one in a Markdown preview. Columns listed
 * in `rightAligned` (numbers) are right-aligned.
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly number[] = []): string {
  const cells = [header, ...rows].map((row) => row.map(escapeCell));
  const widths = header.map((_, c) => Math.max(3, ...cells.map((row) => displayWidth(row[c] ?? ''))));
  const pad = (text: string, c: number): string => {
    const fill = ' '.repeat(widths[c] - displayWidth(text));
    return rightAligned.includes(c) ? fill + text : text + fill;
  };
  const line = (row: readonly string[]): string => `| ${row.map((cell, c) => pad(cell, c)).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (rightAligned.includes(c) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map((row) => line(header.map((_, c) => row[c] ?? '')))].join('\n');
}
