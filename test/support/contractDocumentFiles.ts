/**
 * Word and PDF contracts made by the tests with registry packages (docx, pdfkit, pngjs) and a CJK font
 * of the system (fonts-noto-cjk): no downloaded files.
 */
import { existsSync } from 'node:fs';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import PDFDocument from 'pdfkit';
import { PNG } from 'pngjs';

const CJK_FONTS = [
  { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { file: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
];

/** A font that draws Chinese; the tests need the Debian package fonts-noto-cjk (apt-get install fonts-noto-cjk). */
export function cjkFont(): { file: string; family: string } {
  const font = CJK_FONTS.find((f) => existsSync(f.file));
  if (!font) throw new Error(`no CJK font: install fonts-noto-cjk (looked for ${CJK_FONTS.map((f) => f.file).join(', ')})`);
  return font;
}

/** A .docx with one Word paragraph per string. */
export async function makeDocx(paragraphs: readonly string[]): Promise<Buffer> {
  const doc = new Document({ sections: [{ children: paragraphs.map((text) => new Paragraph({ children: [new TextRun(text)] })) }] });
  return Packer.toBuffer(doc);
}

/** A text PDF: one page per array, each string a paragraph (a blank line between paragraphs). */
/** `userPassword`: needed to open it; `ownerPassword` alone: encrypted with permissions only (opens without a password). */
export function makeTextPdf(pages: readonly (readonly string[])[], options: { userPassword?: string; ownerPassword?: string } = {}): Promise<Buffer> {
  const font = cjkFont();
  const encryption =
    options.userPassword || options.ownerPassword
      ? { ...options, ownerPassword: options.ownerPassword ?? `${options.userPassword}-owner`, pdfVersion: '1.7' as const }
      : {};
  return pdfBuffer({ autoFirstPage: false, ...encryption }, (doc) => {
    for (const paragraphs of pages) {
      doc.addPage({ size: 'A4', margin: 72 });
      doc.font(font.file, font.family).fontSize(12);
      for (const p of paragraphs) {
        doc.text(p, { width: 450 });
        doc.moveDown();
      }
    }
  });
}

/** A "scanned" PDF: each page one image (grey stripes) and no text at all. */
export function makeImagePdf(pages = 2): Promise<Buffer> {
  const png = new PNG({ width: 200, height: 100 });
  for (let y = 0; y < 100; y++) {
    for (let x = 0; x < 200; x++) {
      const i = (y * 200 + x) * 4;
      const v = y % 10 < 3 ? 40 : 230;
      png.data[i] = v;
      png.data[i + 1] = v;
      png.data[i + 2] = v;
      png.data[i + 3] = 255;
    }
  }
  const image = PNG.sync.write(png);
  return pdfBuffer({ autoFirstPage: false }, (doc) => {
    for (let i = 0; i < pages; i++) {
      doc.addPage({ size: 'A4', margin: 72 });
      doc.image(image, 72, 72, { width: 450 });
    }
  });
}

function pdfBuffer(options: PDFKit.PDFDocumentOptions, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ ...options, info: { CreationDate: new Date(0) } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    draw(doc);
    doc.end();
  });
}
