import { codePointLength } from '../../dataset/jsonStringMap';

/** The formats a contract folder may hold besides plain text: Word (.docx) and PDF with a text layer. */
export type DocumentFormat = 'docx' | 'pdf';

/** One paragraph of a document as read from the file. `page` is known for PDF only (Word has no fixed pages). */
export interface SourceParagraph {
  page?: number;
  text: string;
}

/**
 * Where one part (paragraph) of a document is in the record's text: code points [start, end),
 * its page (PDF) and its paragraph (counted from 1 within the page for PDF, within the document for Word).
 */
export interface DocumentPart {
  page?: number;
  paragraph: number;
  start: number;
  end: number;
}

/** A document's text, paragraphs separated by '\n', and where each paragraph came from. */
export interface DocumentText {
  format: DocumentFormat;
  text: string;
  parts: DocumentPart[];
  pages?: number;
  /** Something about the file the import should say though it was read (a PDF encrypted with permissions only). */
  note?: string;
}

/** Why a document gives no record: `needs-ocr` (a PDF without a text layer), `encrypted`, `corrupt` or `unreadable`. */
export type ExtractionProblem = 'needs-ocr' | 'encrypted' | 'corrupt' | 'unreadable' | 'empty';

export type ExtractionResult = { ok: true; document: DocumentText } | { ok: false; problem: ExtractionProblem; reason: string };

/** The record text of paragraphs (empty ones dropped), one per line, with each part's offsets in code points. */
export function assembleParagraphs(format: DocumentFormat, paragraphs: readonly SourceParagraph[], pages?: number): DocumentText {
  const parts: DocumentPart[] = [];
  const texts: string[] = [];
  let offset = 0;
  let paragraph = 0;
  let page: number | undefined;
  for (const p of paragraphs) {
    if (p.text.trim() === '') continue;
    if (p.page !== page) {
      page = p.page;
      if (page !== undefined) paragraph = 0;
    }
    paragraph++;
    if (texts.length > 0) offset += 1;
    const length = codePointLength(p.text);
    parts.push({ ...(p.page !== undefined ? { page: p.page } : {}), paragraph, start: offset, end: offset + length });
    texts.push(p.text);
    offset += length;
  }
  return { format, text: texts.join('\n'), parts, ...(pages !== undefined ? { pages } : {}) };
}

/** The part holding code point `offset` (the last one starting at or before it). */
export function partAt(parts: readonly DocumentPart[], offset: number): DocumentPart | undefined {
  let found: DocumentPart | undefined;
  for (const part of parts) {
    if (part.start > offset) break;
    found = part;
  }
  return found;
}

/** "page 2, paragraph 3" or "paragraph 3". */
export function describePart(part: DocumentPart | undefined): string {
  if (!part) return 'an unknown place';
  return part.page !== undefined ? `page ${part.page}, paragraph ${part.paragraph}` : `paragraph ${part.paragraph}`;
}
