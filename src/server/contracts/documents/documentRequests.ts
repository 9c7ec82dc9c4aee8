import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  documentTextRequest,
  importContractDocumentsRequest,
  type DocumentTextResult,
  type ImportContractDocumentsParams,
  type ImportContractDocumentsResult,
} from '../../../common/documentImportProtocol';
import { handleRequest } from '../../lsp/checkedHandlers';
import { containingRoot, filePathOf, fileUriOf, relativeInside } from '../../workspace/workspacePaths';
import { CodePointText } from '../../dataset/codePointText';
import { findContractRecord } from '../contractRecords';
import type { DatasetSources } from '../datasetSource';
import { folderBinding } from '../folderDatasets';
import { anchorState } from '../anchorLabels';
import { planDocumentImport } from './documentImport';
import { describePart, partAt } from './documentText';
import { partsOfMeta } from './documentMeta';
import { documentFormatOf } from './extractDocument';
import { listFolderDocuments } from './folderDocuments';

/** The requests for Word and PDF contracts: importing a folder's files, and an imported file's text with its labels. */
export function registerDocumentRequests(connection: Connection, roots: () => readonly string[], datasets: DatasetSources): void {
  handleRequest(connection, importContractDocumentsRequest, (params) => importDocuments(roots(), datasets, params));
  handleRequest(connection, documentTextRequest, (params) => documentText(roots(), datasets, params.uri));
}

type Located =
  { ok: true; root: string; rel: string; folder: string; dataset: { path: string; rel: string } } | { ok: false; message: string; needsDataset?: boolean };

/** The workspace folder of a file or folder, its folder's path relative to it, and the folder's dataset. */
function locate(roots: readonly string[], target: string, isFolder: boolean): Located {
  const root = containingRoot(roots, target);
  if (!root) return { ok: false, message: `${target} is not inside a workspace folder.` };
  const rel = relativeInside(root, target) as string;
  const folder = relativeInside(root, isFolder ? target : path.dirname(target)) as string;
  const { binding } = folderBinding(root, folder);
  if (binding.kind === 'problem') return { ok: false, message: binding.message };
  if (binding.kind === 'none') return { ok: false, needsDataset: true, message: `No dataset is chosen for the folder "${folder}".` };
  return { ok: true, root, rel, folder, dataset: { path: binding.path, rel: binding.rel } };
}

async function importDocuments(
  roots: readonly string[],
  datasets: DatasetSources,
  params: ImportContractDocumentsParams,
): Promise<ImportContractDocumentsResult> {
  const folderPath = filePathOf(params.folderUri);
  if (!folderPath) return { ok: false, message: 'Contract folders must be folders on disk.' };
  const located = locate(roots, folderPath, true);
  if (!located.ok) return located;
  const dataset = { uri: fileUriOf(located.dataset.path), path: located.dataset.rel };
  const read = datasets.read(located.dataset.path);
  if (!read.ok) return { ok: false, message: read.message };
  const version = read.view.document?.version;
  if (params.datasetUri === undefined || filePathOf(params.datasetUri) !== located.dataset.path || version !== params.datasetVersion) {
    return { ok: false, retry: true, dataset, message: `${located.dataset.rel} is not in step with the editor yet; try again.` };
  }
  let files;
  try {
    files = listFolderDocuments(located.root, folderPath);
  } catch (err) {
    return { ok: false, message: `cannot list ${folderPath}: ${(err as Error).message}` };
  }
  const plan = await planDocumentImport(files, { model: read.view.model, eol: read.view.eol, name: located.dataset.rel }, located.folder);
  if (read.view.document?.version !== params.datasetVersion) {
    return { ok: false, retry: true, dataset, message: `${located.dataset.rel} changed while importing; try again.` };
  }
  return { ok: true, dataset, edits: plan.edits, report: plan.report };
}

function documentText(roots: readonly string[], datasets: DatasetSources, uri: string): DocumentTextResult {
  const file = filePathOf(uri);
  if (!file || !documentFormatOf(file)) return { ok: false, message: 'Choose a .docx or .pdf file of a contract folder.' };
  const located = locate(roots, file, false);
  if (!located.ok) return { ok: false, message: located.needsDataset ? `${located.message} Import the folder's Word and PDF files first.` : located.message };
  const read = datasets.read(located.dataset.path);
  if (!read.ok) return { ok: false, message: read.message };
  const lookup = findContractRecord(read.view.model, located.rel);
  if (lookup.kind === 'none')
    return { ok: false, message: `${located.rel} has no record in ${located.dataset.rel} yet: run FinLabel: Import Word and PDF Contracts on its folder.` };
  if (lookup.kind === 'invalid') return { ok: false, message: `${located.dataset.rel}: ${lookup.message}` };
  const record = lookup.record;
  const text = new CodePointText(record.text);
  const parts = partsOfMeta(record.parsed.value) ?? [];
  // Lines and characters as the editor counts them (\n, \r\n and \r end a line).
  const view = TextDocument.create('finlabel-document:text', 'plaintext', 0, record.text);
  const position = (offset: number): { line: number; character: number } => view.positionAt(offset);
  const labels = record.labels.map((l) => ({
    index: l.index,
    entity: l.entity,
    value: l.value,
    range: { start: position(text.utf16Offset(l.start)), end: position(text.utf16Offset(l.end)) },
    place: describePart(partAt(parts, l.start)),
    intact: anchorState(l, text.chars) === 'intact',
  }));
  return {
    ok: true,
    file: { uri: fileUriOf(file), path: located.rel },
    dataset: { uri: fileUriOf(located.dataset.path), path: located.dataset.rel },
    line: record.line + 1,
    text: record.text,
    labels,
  };
}
