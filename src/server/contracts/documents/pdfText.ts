import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { assembleParagraphs, type ExtractionResult, type SourceParagraph } from './documentText';
import { loadPdfjs } from './pdfjsLoader';

/** A line of a page: its text, baseline height on the page and font size. */
interface PageLine {
  text: string;
  y: number;
  size: number;
}

interface TextItemLike {
  str: string;
  transform: number[];
  hasEOL: boolean;
}

/** Lines further apart than this many font sizes start a new paragraph (single spacing is about 1.2 to 1.5). */
const PARAGRAPH_GAP = 1.8;

/**
 * The paragraphs of a PDF's text layer, page by page, read by pdf.js. Lines of a paragraph are joined
 * without a space between Chinese characters (a space between Latin words); a paragraph ends at a
 * blank line or a gap wider than a line. No text on any page means the PDF is scanned: it needs OCR.
 */
export async function pdfText(bytes: Uint8Array): Promise<ExtractionResult> {
  const pdfjs = await loadPdfjs();
  let doc: PDFDocumentProxy;
  try {
    doc = await pdfjs.getDocument({
      data: new Uint8Array(bytes),
      verbosity: pdfjs.VerbosityLevel.ERRORS,
      isEvalSupported: false,
      useSystemFonts: false,
      stopAtErrors: false,
    }).promise;
  } catch (err) {
    return openProblem(err as Error);
  }
  try {
    const paragraphs: SourceParagraph[] = [];
    for (let page = 1; page <= doc.numPages; page++) {
      const content = await (await doc.getPage(page)).getTextContent();
      const items = content.items.filter((i) => 'str' in i) as TextItemLike[];
      for (const text of pageParagraphs(pageLines(items))) paragraphs.push({ page, text });
    }
    const document = assembleParagraphs('pdf', paragraphs, doc.numPages);
    if (document.parts.length === 0) {
      return {
        ok: false,
        problem: 'needs-ocr',
        reason: `it has no text layer (${doc.numPages} page${doc.numPages === 1 ? '' : 's'} of images, e.g. a scan): run OCR on it first (for example ocrmypdf) and import the result`,
      };
    }
    const info = (await doc.getMetadata()).info as { EncryptFilterName?: string | null };
    // Encrypted without a password to open it (permissions only): its text is read like any other's.
    if (info.EncryptFilterName) document.note = 'it is encrypted with permissions only (no password to open it), and its text was read';
    return { ok: true, document };
  } catch (err) {
    return { ok: false, problem: 'corrupt', reason: `its text cannot be read (${(err as Error).message})` };
  } finally {
    await doc.destroy();
  }
}

function openProblem(err: Error): ExtractionResult {
  if (err.name === 'PasswordException')
    return { ok: false, problem: 'encrypted', reason: 'it is password-protected: remove the password (or print it to an unprotected PDF) and import it again' };
  if (err.name === 'InvalidPDFException') return { ok: false, problem: 'corrupt', reason: `it is not a valid PDF (${err.message})` };
  return { ok: false, problem: 'corrupt', reason: `it cannot be opened as a PDF (${err.message})` };
}

function pageLines(items: readonly TextItemLike[]): PageLine[] {
  const lines: PageLine[] = [];
  let current: PageLine | undefined;
  for (const item of items) {
    const y = item.transform[5];
    const size = Math.hypot(item.transform[2], item.transform[3]) || 1;
    if (current && item.str !== '' && Math.abs(current.y - y) > size / 2) {
      lines.push(current);
      current = undefined;
    }
    if (!current) current = { text: '', y, size };
    current.text += item.str;
    if (item.hasEOL) {
      lines.push(current);
      current = undefined;
    }
  }
  if (current) lines.push(current);
  return lines;
}

function pageParagraphs(lines: readonly PageLine[]): string[] {
  const paragraphs: string[] = [];
  let current: string | undefined;
  let previous: PageLine | undefined;
  for (const line of lines) {
    const text = line.text.trim();
    const gap = previous ? Math.abs(previous.y - line.y) : 0;
    if (text === '' || (previous && gap > PARAGRAPH_GAP * Math.max(previous.size, line.size))) {
      if (current !== undefined) paragraphs.push(current);
      current = undefined;
    }
    if (text !== '') current = current === undefined ? text : joinLines(current, text);
    previous = text === '' ? previous : line;
  }
  if (current !== undefined) paragraphs.push(current);
  return paragraphs;
}

/** Two lines of one paragraph: no space where either side is a CJK character or punctuation. */
function joinLines(before: string, after: string): string {
  const last = before.slice(-1);
  const first = after.slice(0, 1);
  return isWide(last) || isWide(first) ? before + after : `${before} ${after}`;
}

function isWide(c: string): boolean {
  return /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[\ud840-\ud87f]/.test(c);
}
