/**
 * Importing the Word (.docx) and PDF files of a contract folder into the folder's dataset: one record
 * per file, its text with paragraph breaks and, in `meta.parts`, the page and paragraph of each part.
 * The server reads the files and computes the edits to the dataset; the extension applies them.
 * The params are zod schemas in lspSchemas.ts.
 */
import { RequestType } from 'vscode-jsonrpc';
import type { Range, TextEdit } from './lspProtocol';
import type { DocumentTextParams, ImportContractDocumentsParams } from './lspSchemas';
import type { WorkspaceLocation } from './contractProtocol';

export type { DocumentTextParams, ImportContractDocumentsParams } from './lspSchemas';

/** What became of one file: a new record, its record rewritten, nothing to change, or no record (see `problem`). */
export type DocumentImportOutcome = 'added' | 'updated' | 'unchanged' | 'not-imported';

/** Why a file gives no record. */
export type DocumentImportProblem = 'needs-ocr' | 'encrypted' | 'corrupt' | 'unreadable' | 'empty' | 'record-invalid';

/** A label's place: code points of the record's text, and the page/paragraph as words ("page 2, paragraph 1"). */
export interface LabelPlace {
  start: number;
  end: number;
  place: string;
}

/** A label that a re-import moved (`to` set) or could not find again (`to` absent: its text vanished). */
export interface LabelChange {
  entity: string;
  value: string;
  from: LabelPlace;
  to?: LabelPlace;
}

export interface DocumentImportFile {
  /** Workspace-relative path of the .docx/.pdf file. */
  file: string;
  outcome: DocumentImportOutcome;
  problem?: DocumentImportProblem;
  /** One sentence naming the file and what happened (or why not). */
  message: string;
  /** 1-based line of its record in the dataset, after the import. */
  line?: number;
  /** Labels that are where they were. */
  kept: number;
  moved: LabelChange[];
  vanished: LabelChange[];
}

export interface DocumentImportReport {
  folder: string;
  dataset: string;
  files: DocumentImportFile[];
  /** One line: how many files were added, updated, unchanged and not imported, and labels moved/vanished. */
  summary: string;
}

export type ImportContractDocumentsResult =
  | { ok: true; dataset: WorkspaceLocation; edits: TextEdit[]; report: DocumentImportReport }
  /**
   * `needsDataset`: no dataset is chosen for the folder yet; `retry` with `dataset`: open that
   * dataset and ask again with its version (the server's copy must be the editor's).
   */
  | { ok: false; message: string; needsDataset?: boolean; retry?: boolean; dataset?: WorkspaceLocation };
export const importContractDocumentsRequest = new RequestType<ImportContractDocumentsParams, ImportContractDocumentsResult, void>(
  'finlabel/importContractDocuments',
);

/** A label of an imported document, placed on its text. */
export interface DocumentTextLabel {
  index: number;
  entity: string;
  value: string;
  /** On the document's text as the text view shows it (UTF-16 lines and columns). */
  range: Range;
  place: string;
  /** The text at the label's offsets is its value. */
  intact: boolean;
}

/** The text of an imported .docx/.pdf (its record's text) and its labels, for the read-only text view. */
export type DocumentTextResult =
  { ok: true; file: WorkspaceLocation; dataset: WorkspaceLocation; line: number; text: string; labels: DocumentTextLabel[] } | { ok: false; message: string };
export const documentTextRequest = new RequestType<DocumentTextParams, DocumentTextResult, void>('finlabel/documentText');
