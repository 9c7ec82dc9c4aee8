import type { KeyTermsRow } from '../../common/keyTerms';
import { TERMS_COLUMNS, termsTableRow, type Cell } from './termsTable';

// A cell a spreadsheet would run as a formula (=, +, -, @ first) is written with a leading ' (OWASP CSV injection).
function csvCell(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'number') return String(c);
  const safe = /^[=+\-@\t\r]/.test(c) ? `'${c}` : c;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The rows as CSV (UTF-8 with a byte order mark, so Excel on Chinese Windows reads it as UTF-8). */
export function termsCsv(rows: readonly KeyTermsRow[]): string {
  const lines = [TERMS_COLUMNS.join(','), ...rows.map((r) => termsTableRow(r).map(csvCell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The rows as an XLSX workbook (one sheet "Key terms", the header frozen), through exceljs. */
export async function termsXlsx(rows: readonly KeyTermsRow[]): Promise<Buffer> {
  // Loaded when asked for: exceljs takes seconds to load, and every other command would pay for it.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Key terms', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow([...TERMS_COLUMNS]).font = { bold: true };
  for (const r of rows) sheet.addRow(termsTableRow(r));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
