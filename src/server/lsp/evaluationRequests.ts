import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { evaluateModelRequest, type EvaluateModelParams, type EvaluateModelResult } from '../../common/lspProtocol';
import { evaluateModel, isEvaluationInputError, workerPredictors } from '../evaluation/evaluateModel';
import type { WorkerService } from './workerService';

/** The data's bytes: an open dataset JSONL's text (unsaved edits count), else the file on disk. */
async function dataBytes(uri: string, documents: TextDocuments<TextDocument>): Promise<{ file: string; bytes: Uint8Array } | { message: string }> {
  const path = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  const open = documents.get(uri);
  if (open && !/\.csv$/i.test(uri)) return { file: path ?? uri, bytes: Buffer.from(open.getText(), 'utf8') };
  if (!path) return { message: `${uri} is not open and not a file on disk` };
  try {
    return { file: path, bytes: await readFile(path) };
  } catch (err) {
    return { message: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
}

/** Answers evaluateModel: the model's predictions through the worker, every figure computed here. */
export async function evaluateModelWithWorker(params: EvaluateModelParams, documents: TextDocuments<TextDocument>, worker: WorkerService): Promise<EvaluateModelResult> {
  const data = await dataBytes(params.dataUri, documents);
  if ('message' in data) return { ok: false, message: data.message };
  const status = await worker.status(true);
  if (status.state !== 'ready') return { ok: false, message: `the Python worker is not available: ${status.state === 'unavailable' ? status.message : status.state}` };
  try {
    const report = await evaluateModel({ modelDir: params.modelDir, file: data.file, bytes: data.bytes, threshold: params.threshold, labelColumn: params.labelColumn }, workerPredictors(worker.jobs));
    return { ok: true, report };
  } catch (err) {
    if (isEvaluationInputError(err)) return { ok: false, message: err.message };
    return { ok: false, message: `the evaluation failed: ${(err as Error).message}` };
  }
}

export function registerEvaluationRequests(connection: Connection, documents: TextDocuments<TextDocument>, worker: () => WorkerService): void {
  connection.onRequest(evaluateModelRequest, (params) => evaluateModelWithWorker(params, documents, worker()));
}
