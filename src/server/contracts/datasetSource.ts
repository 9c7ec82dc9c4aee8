import { readFileSync, statSync } from 'node:fs';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LabelSchema } from '../../common/labelSchema';
import { JsonlDocumentModel } from '../dataset/documentModel';
import { decodeUtf8File, NotUtf8Error } from '../encoding/utf8File';
import type { JsonlDocuments } from '../lsp/jsonlDocuments';
import { filePathOf } from '../workspace/workspacePaths';

/** A dataset's lines, from its editor when it is open there (unsaved edits included), else from disk. */
export interface DatasetView {
  model: JsonlDocumentModel;
  /** The line break to write: the file's own. */
  eol: string;
  /** The open document, when the lines come from the editor. */
  document?: TextDocument;
}

export type DatasetRead = { ok: true; view: DatasetView } | { ok: false; missing: boolean; message: string };

/** An open dataset document and its parsed model (what JsonlDocuments keeps). */
export interface OpenDataset {
  document: TextDocument;
  model: JsonlDocumentModel;
}

/** Reads datasets for contract files; disk reads are cached until the file's size or time changes. */
export class DatasetSources {
  private readonly disk = new Map<string, { mtimeMs: number; size: number; view: DatasetView }>();

  constructor(
    private readonly schema: () => LabelSchema,
    private readonly openDataset: (path: string) => OpenDataset | undefined,
  ) {}

  read(path: string): DatasetRead {
    const open = this.openDataset(path);
    if (open) return { ok: true, view: { model: open.model, eol: eolOf(open.document.getText()), document: open.document } };
    let stat;
    try {
      stat = statSync(path);
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      return { ok: false, missing, message: missing ? `${path} does not exist` : `cannot read ${path}: ${(err as Error).message}` };
    }
    if (!stat.isFile()) return { ok: false, missing: false, message: `${path} is not a file` };
    const cached = this.disk.get(path);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return { ok: true, view: cached.view };
    let text: string;
    try {
      text = decodeUtf8File(readFileSync(path), path);
    } catch (err) {
      return { ok: false, missing: false, message: err instanceof NotUtf8Error ? err.message : `cannot read ${path}: ${(err as Error).message}` };
    }
    const model = new JsonlDocumentModel(this.schema());
    model.update(text.startsWith('\uFEFF') ? text.slice(1) : text);
    const view = { model, eol: eolOf(text) };
    this.disk.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, view });
    return { ok: true, view };
  }

  forget(path: string): void {
    this.disk.delete(path);
  }
}

function eolOf(text: string): string {
  const m = /\r\n|\n|\r/.exec(text);
  return m ? m[0] : '\n';
}

/** Finds the open dataset document at a path among the server's JSONL documents. */
export function openDatasetLookup(jsonl: JsonlDocuments): (path: string) => OpenDataset | undefined {
  return (datasetPath) => {
    for (const doc of jsonl.documents.all()) {
      if (filePathOf(doc.uri) === datasetPath) return jsonl.get(doc.uri);
    }
    return undefined;
  };
}
