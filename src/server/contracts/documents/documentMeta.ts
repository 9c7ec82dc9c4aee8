import type { DocumentPart, DocumentText } from './documentText';

/**
 * The "meta" of an imported document's record: `source` (the file, workspace-relative), `format`,
 * `sha256` of the file's bytes, `pages` (PDF) and `parts`: one {page?, paragraph, start, end} per
 * paragraph, in code points of the record's text.
 */
export function documentMetaFields(source: string, document: DocumentText, sha256: string): Record<string, unknown> {
  return { source, format: document.format, sha256, ...(document.pages !== undefined ? { pages: document.pages } : {}), parts: document.parts };
}

/** The parts written in a record's meta, or undefined when there are none or they are not in that shape. */
export function partsOfMeta(record: unknown): DocumentPart[] | undefined {
  const meta = (record as { meta?: unknown } | null)?.meta;
  const parts = (meta as { parts?: unknown } | null | undefined)?.parts;
  if (!Array.isArray(parts)) return undefined;
  const valid = parts.every(
    (p: unknown) =>
      typeof p === 'object' &&
      p !== null &&
      Number.isInteger((p as DocumentPart).paragraph) &&
      Number.isInteger((p as DocumentPart).start) &&
      Number.isInteger((p as DocumentPart).end) &&
      ((p as DocumentPart).page === undefined || Number.isInteger((p as DocumentPart).page)),
  );
  return valid ? (parts as DocumentPart[]) : undefined;
}
