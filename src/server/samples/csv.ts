/** RFC 4180 CSV writing: fields with a comma, double quote or line break are quoted, quotes doubled. */

export type CsvCell = string | number | null;

export function csvField(cell: CsvCell): string {
  if (cell === null) return '';
  const s = String(cell);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Header then rows, "\n" line endings, a trailing newline, no BOM. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',') + '\n').join('');
}
