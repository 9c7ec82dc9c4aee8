import { readFile } from 'node:fs/promises';
import { docxText } from './docxText';
import type { DocumentFormat, ExtractionResult } from './documentText';
import { pdfText } from './pdfText';

/** The format of a file a contract folder may hold besides .txt/.md, by its extension; undefined for any other file. */
export function documentFormatOf(file: string): DocumentFormat | undefined {
  const m = /\.(docx|pdf)$/i.exec(file);
  return m ? (m[1].toLowerCase() as DocumentFormat) : undefined;
}

/** The text of a Word or PDF file with where each paragraph came from, or why it has none that can be imported. */
export async function extractDocument(file: string, bytes?: Buffer): Promise<ExtractionResult> {
  const format = documentFormatOf(file);
  if (!format) return { ok: false, problem: 'unreadable', reason: 'only .docx and .pdf files are imported' };
  let data = bytes;
  if (!data) {
    try {
      data = await readFile(file);
    } catch (err) {
      return { ok: false, problem: 'unreadable', reason: `it cannot be read (${(err as Error).message})` };
    }
  }
  if (data.length === 0) return { ok: false, problem: 'corrupt', reason: 'the file is empty (0 bytes)' };
  return format === 'docx' ? docxText(data) : pdfText(data);
}
