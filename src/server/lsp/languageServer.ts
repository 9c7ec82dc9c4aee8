import { CodeActionKind, TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver/node';
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
import { contractCodeActions } from '../contracts/contractCodeActions';
import { ContractDocuments } from '../contracts/contractDocuments';
import { registerContractRequests } from '../contracts/contractRequests';
import { DatasetSources, openDatasetLookup } from '../contracts/datasetSource';
import { JsonlDocuments } from './jsonlDocuments';
import { TrackedTextDocuments } from './trackedTextDocuments';
import { WorkerService } from './workerService';

const SERVER_VERSION = '0.1.0';

/** Wires FinLabel's language features and protocol extensions onto an LSP connection. */
export function startLanguageServer(connection: Connection): void {
  const schema = new LabelSchema();
  const tracked = new TrackedTextDocuments(connection);
  const documents = new JsonlDocuments(connection, schema, tracked.documents);
  const datasets = new DatasetSources(() => schema, openDatasetLookup(documents));
  const contracts = new ContractDocuments(connection, tracked, datasets, () => schema);
  registerContractRequests(connection, contracts, datasets, () => schema);
  let worker: WorkerService | undefined;
  let watchContractFiles = false;

  connection.onInitialize((params): InitializeResult => {
    const options = params.initializationOptions as ServerInitializationOptions;
    worker = new WorkerService(connection, options);
    contracts.setWorkspaceFolders(params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []));
    watchContractFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      },
      serverInfo: { name: 'finlabel-server', version: SERVER_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (worker?.startOnInitialize) void worker.status(true);
    if (watchContractFiles) contracts.watchFiles();
  });
  connection.onDidChangeWatchedFiles((params) => contracts.onFileEvents(params.changes));

  connection.onShutdown(async () => {
    await worker?.dispose();
  });

  connection.onHover((params) => {
    const uri = params.textDocument.uri;
    const spans = documents.get(uri)?.spans ?? contracts.spans(uri);
    const hits = spansAt(spans, params.position.line, params.position.character);
    if (hits.length === 0) return null;
    const first = hits[0].range;
    return { contents: { kind: 'markdown', value: hoverMarkdown(hits) }, range: first };
  });

  connection.onCodeAction((params) => {
    const contract = contracts.get(params.textDocument.uri);
    return contract ? contractCodeActions(contracts.placed(contract), params, schema) : [];
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

  connection.listen();
}

function requireWorker(worker: WorkerService | undefined): WorkerService {
  if (!worker) throw new Error('the FinLabel server is not initialized yet');
  return worker;
}
