import mammoth from 'mammoth';
import { assembleParagraphs, type ExtractionResult } from './documentText';

/** The first bytes of an OLE compound file: what Word writes for an encrypted (password-protected) .docx, or an old .doc. */
const COMPOUND_FILE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** A .docx is a zip archive: "PK\x03\x04". */
const ZIP = [0x50, 0x4b, 0x03, 0x04];

/**
 * The paragraphs of a Word document, read by mammoth (its raw text ends every paragraph with a blank
 * line; a line break inside a paragraph stays a '\n' in it). Tables give one paragraph per cell paragraph.
 */
export async function docxText(bytes: Buffer): Promise<ExtractionResult> {
  if (startsWith(bytes, COMPOUND_FILE)) {
    return {
      ok: false,
      problem: 'encrypted',
      reason: 'it is encrypted (password-protected), or an old Word .doc file renamed .docx: save it unprotected as .docx',
    };
  }
  if (!startsWith(bytes, ZIP))
    return { ok: false, problem: 'corrupt', reason: 'it is not a Word .docx file (not a zip archive): the file is damaged or has the wrong extension' };
  let raw: string;
  try {
    raw = (await mammoth.extractRawText({ buffer: bytes })).value;
  } catch (err) {
    return { ok: false, problem: 'corrupt', reason: `it cannot be read as a Word document (${oneLine((err as Error).message)})` };
  }
  const paragraphs = raw
    .replace(/\r\n?/g, '\n')
    .split(/\n\n/)
    .map((text) => ({ text: text.replace(/^\n+|\n+$/g, '') }));
  const document = assembleParagraphs('docx', paragraphs);
  if (document.parts.length === 0) return { ok: false, problem: 'empty', reason: 'it holds no text' };
  return { ok: true, document };
}

function startsWith(bytes: Buffer, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}
