import { TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver/node';
import {
  configurationChangedNotification,
  createEnvironmentRequest,
  labelSelectionRequest,
  labelTypesRequest,
  recordViewRequest,
  regenerateSamplesRequest,
  restartWorkerRequest,
  serverInfoRequest,
  stopWorkerRequest,
  workerStatusRequest,
  type ServerInitializationOptions,
} from '../../common/lspProtocol';
import { LabelSchema } from '../../common/labelSchema';
import { labelInsertion } from '../dataset/labelInsertion';
import { recordView } from '../dataset/recordView';
import { spansAt } from '../dataset/spanPlacement';
import { hoverMarkdown } from '../dataset/spanHover';
import { writeSamples } from '../samples';
import { registerDatasetRequests } from './datasetRequests';
import { JsonlDocuments } from './jsonlDocuments';
import { WorkerService } from './workerService';

const SERVER_VERSION = '0.1.0';

/** Wires FinLabel's language features and protocol extensions onto an LSP connection. */
export function startLanguageServer(connection: Connection): void {
  const schema = new LabelSchema();
  const documents = new JsonlDocuments(connection, schema);
  let worker: WorkerService | undefined;

  connection.onInitialize((params): InitializeResult => {
    const options = params.initializationOptions as ServerInitializationOptions;
    worker = new WorkerService(connection, options);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
      },
      serverInfo: { name: 'finlabel-server', version: SERVER_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (worker?.startOnInitialize) void worker.status(true);
  });

  connection.onShutdown(async () => {
    await worker?.dispose();
  });

  connection.onHover((params) => {
    const entry = documents.get(params.textDocument.uri);
    if (!entry) return null;
    const hits = spansAt(entry.spans, params.position.line, params.position.character);
    if (hits.length === 0) return null;
    const first = hits[0].range;
    return { contents: { kind: 'markdown', value: hoverMarkdown(hits) }, range: first };
  });

  connection.onRequest(labelTypesRequest, () => [...schema.types]);
  connection.onRequest(serverInfoRequest, () => ({ pid: process.pid, version: SERVER_VERSION, uptime: process.uptime() }));

  connection.onRequest(recordViewRequest, (params) => {
    const entry = documents.get(params.uri);
    return entry ? recordView(entry.model, params.index) : null;
  });

  connection.onRequest(labelSelectionRequest, (params) => {
    const entry = documents.get(params.uri);
    if (!entry) return { ok: false, message: 'This document is not an open dataset JSONL.' };
    if (entry.document.version !== params.version) {
      return { ok: false, message: 'The document changed while labelling; try again.' };
    }
    const { start, end } = params.range;
    if (start.line !== end.line) return { ok: false, message: 'A label must lie within one record (one line).' };
    const type = schema.resolve(params.entity);
    if (!type) return { ok: false, message: `Unknown entity type "${params.entity}".` };
    return labelInsertion(entry.model.line(start.line), entry.model.parsedLine(start.line), {
      line: start.line,
      startColumn: start.character,
      endColumn: end.character,
      type,
    });
  });

  connection.onRequest(workerStatusRequest, (params) => requireWorker(worker).status(params.start));
  connection.onRequest(restartWorkerRequest, () => requireWorker(worker).restart());
  connection.onRequest(stopWorkerRequest, () => requireWorker(worker).stop());
  connection.onRequest(createEnvironmentRequest, (params, token) => requireWorker(worker).createEnvironment(params, token));
  connection.onNotification(configurationChangedNotification, (options) => requireWorker(worker).configure(options));

  connection.onRequest(regenerateSamplesRequest, (params) => ({
    files: writeSamples(params.folder, params.seed).map((f) => f.path),
  }));

  registerDatasetRequests(connection, documents, () => schema);

  connection.listen();
}

function requireWorker(worker: WorkerService | undefined): WorkerService {
  if (!worker) throw new Error('the FinLabel server is not initialized yet');
  return worker;
}
