import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { CancellationToken, Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { evaluateModelRequest, type EvaluateModelParams, type EvaluateModelResult } from '../../common/lspProtocol';
import { evaluateModel, isEvaluationInputError, standardPredictors, type ModelPredictors } from '../evaluation/evaluateModel';
import type { WorkspaceFolders } from '../workspace/workspaceFolders';
import { handleRequest } from './checkedHandlers';
import type { WorkerService } from './workerService';

/** The data's bytes: an open dataset JSONL's text (unsaved edits count), else the file on disk (inside the workspace folders). */
async function dataBytes(
  uri: string,
  documents: TextDocuments<TextDocument>,
  folders: WorkspaceFolders,
): Promise<{ file: string; bytes: Uint8Array } | { message: string }> {
  const path = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  const open = documents.get(uri);
  if (open && !/\.csv$/i.test(uri)) return { file: path ?? uri, bytes: Buffer.from(open.getText(), 'utf8') };
  if (!path) return { message: `${uri} is not open and not a file on disk` };
  const inside = folders.check(path, 'the data file');
  if (!inside.ok) return { message: inside.message };
  try {
    return { file: path, bytes: await readFile(path) };
  } catch (err) {
    return { message: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
}

class EvaluationCancelled extends Error {}
class WorkerUnavailable extends Error {}

/**
 * The predictors, each request waiting for the worker to be ready (started on the first one, so the
 * model and the data are checked first) and stopping once the client cancels.
 */
function guarded(predictors: ModelPredictors, worker: WorkerService, token: CancellationToken | undefined): ModelPredictors {
  let ready: Promise<void> | undefined;
  const before = async (): Promise<void> => {
    if (token?.isCancellationRequested) throw new EvaluationCancelled();
    ready ??= worker.status(true).then((status) => {
      if (status.state !== 'ready')
        throw new WorkerUnavailable(`the Python worker is not available: ${status.state === 'unavailable' ? status.message : status.state}`);
    });
    await ready;
  };
  return {
    entities: (dir) => {
      const predict = predictors.entities(dir);
      return async (batch, wordBoundaries) => {
        if (token?.isCancellationRequested) throw new EvaluationCancelled();
        return predict(batch, wordBoundaries);
      };
    },
    credit: (dir) => {
      const score = predictors.credit(dir);
      return async (batch) => {
        await before();
        return score(batch);
      };
    },
    gbdt: predictors.gbdt
      ? async (params) => {
          await before();
          return predictors.gbdt!(params);
        }
      : undefined,
  };
}

/** Answers evaluateModel: the model's predictions through the worker, every figure computed here. */
export async function evaluateModelWithWorker(
  params: EvaluateModelParams,
  documents: TextDocuments<TextDocument>,
  worker: WorkerService,
  folders: WorkspaceFolders,
  token?: CancellationToken,
): Promise<EvaluateModelResult> {
  const data = await dataBytes(params.dataUri, documents, folders);
  if ('message' in data) return { ok: false, message: data.message };
  try {
    const input = { modelDir: params.modelDir, file: data.file, bytes: data.bytes, threshold: params.threshold, labelColumn: params.labelColumn };
    return { ok: true, report: await evaluateModel(input, guarded(standardPredictors(worker.jobs), worker, token)) };
  } catch (err) {
    if (err instanceof EvaluationCancelled) return { ok: false, message: 'the evaluation was cancelled' };
    if (err instanceof WorkerUnavailable || isEvaluationInputError(err)) return { ok: false, message: (err as Error).message };
    return { ok: false, message: `the evaluation failed: ${(err as Error).message}` };
  }
}

/** The model folder may be anywhere (models are kept outside workspaces too); the data file is the workspace's. */
export function registerEvaluationRequests(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  worker: () => WorkerService,
  folders: WorkspaceFolders,
): void {
  handleRequest(connection, evaluateModelRequest, (params, token) => evaluateModelWithWorker(params, documents, worker(), folders, token));
}
