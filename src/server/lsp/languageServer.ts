import {
  CodeActionKind,
  CodeActionRequest,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  HoverRequest,
  InlayHintRequest,
  ResponseError,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import {
  configurationChangedNotification,
  convertDatasetRequest,
  createEnvironmentRequest,
  createLabelSchemaFileRequest,
  editRecordLabelsRequest,
  labelTypesRequest,
  recordViewRequest,
  keyTermsRequest,
  regenerateSamplesRequest,
  restartWorkerRequest,
  serverInfoRequest,
  stopWorkerRequest,
  workerStatusRequest,
  visibleLinesNotification,
  rejectedSuggestionsNotification,
  suggestionSourceStatsNotification,
  type ServerInitializationOptions,
  type ServerStartOptions,
} from '../../common/lspProtocol';
import { ServerStartOptions as InitializationOptionsSchema } from '../../common/lspSchemas';
import { handleNotification, handleRequest, handleRequest0, parseParams } from './checkedHandlers';
import { LabelSchema } from '../../common/labelSchema';
import { VERSION } from '../../common/version';
import { editRecordLabels } from '../dataset/recordLabelEdit';
import { recordView } from '../dataset/recordView';
import { hoverMarkdown } from '../dataset/spanHover';
import { writeSamples } from '../samples';
import { convertDataset } from './convertDataset';
import { spansAt, spansOfLine } from '../dataset/spanPlacement';
import { codeActions } from './codeActions';
import { registerDatasetRequests } from './datasetRequests';
import { registerEvaluationRequests } from './evaluationRequests';
import { documentKeyTerms } from './keyTermsRequests';
import { JsonlDocuments } from './jsonlDocuments';
import { LabelSchemaService } from './labelSchemaService';
import { contractCodeActions } from '../contracts/contractCodeActions';
import { ContractDocuments } from '../contracts/contractDocuments';
import { registerContractRequests } from '../contracts/contractRequests';
import { registerDocumentRequests } from '../contracts/documents/documentRequests';
import { DatasetSources, openDatasetLookup } from '../contracts/datasetSource';
import { TrackedTextDocuments } from './trackedTextDocuments';
import { WorkerService } from './workerService';
import { CreditDocuments, isCsvUri } from '../credit/creditDocuments';
import { PredictionService } from '../predictions/predictionService';
import {
  contractPredictionActions,
  datasetPredictionActions,
  outOfDepthHoverMarkdown,
  predictionHoverMarkdown,
  predictionsAt,
} from '../predictions/predictionActions';
import { TrainingRequests } from './trainingRequests';
import { ModelLoopRequests } from './modelLoopRequests';
import { RecordPredictions } from '../predictions/recordPredictions';
import { recordModelView } from '../predictions/recordModelView';
import { SuggestionService } from '../predictions/suggestions';
import { containsPosition } from '../predictions/predictionPlacement';
import { suggestionActions } from '../predictions/suggestionActions';
import { suggestionHoverMarkdown, type SourceStats } from '../predictions/suggestionHover';
import { StringMatcher } from '../stringMatching/stringMatcher';
import { BackgroundRetraining } from '../training/backgroundRetraining';
import { WorkspaceFolders } from '../workspace/workspaceFolders';

/** Wires FinLabel's language features and protocol extensions onto an LSP connection. */
export function startLanguageServer(connection: Connection): void {
  const tracked = new TrackedTextDocuments(connection);
  const documents = new JsonlDocuments(connection, new LabelSchema(), tracked);
  const datasets = new DatasetSources(() => labelSchema.schema, openDatasetLookup(documents));
  const workspaceFolders = new WorkspaceFolders();
  const contracts = new ContractDocuments(connection, tracked, datasets, () => labelSchema.schema, workspaceFolders);
  const labelSchema = new LabelSchemaService(connection, documents.documents, (schema) => {
    documents.setSchema(schema);
    contracts.republishAll();
    // Names, tags and colours of the suggestions, and which labels string matching reads, follow the schema.
    stringMatcher.refresh();
    suggestions.refresh();
  });
  registerContractRequests(connection, contracts, datasets, () => labelSchema.schema);
  registerDocumentRequests(connection, () => contracts.workspaceRoots, datasets);
  const credit = new CreditDocuments(connection, tracked.documents);
  const predictions = new PredictionService(connection, tracked.documents, documents, contracts, () => labelSchema.schema);
  let predictionSettings: ServerInitializationOptions['predictions'];
  const recordPredictions = new RecordPredictions(() => predictions.activePredictor);
  const stringMatcher = new StringMatcher(
    connection,
    documents,
    () => predictions.activePredictor?.model.tokenizer,
    (uri) => suggestions.refresh(uri),
  );
  const suggestions = new SuggestionService(
    connection,
    documents,
    recordPredictions,
    () => predictions.activePredictor,
    () => labelSchema.schema,
    stringMatcher,
  );
  /** The suggestion sources' accepts and rejects in this workspace (the client keeps them), for the hover. */
  let sourceStats: SourceStats = {};
  // The suggestions are the active model's, and string matching uses its tokenizer: both follow a new model.
  const predictionsConfigured = (): void => {
    suggestions.refresh();
    stringMatcher.refresh();
    void suggestions
      .repredict()
      .catch((err: unknown) => connection.console.error(`FinLabel suggestions after a model change: ${(err as Error).stack ?? String(err)}`));
  };
  const modelLoop = new ModelLoopRequests(documents, predictions, recordPredictions, credit, suggestions);
  const training = new TrainingRequests(connection, tracked.documents, () => labelSchema.schema, workspaceFolders);
  const retraining = new BackgroundRetraining({
    connection,
    documents,
    jobs: training.jobs,
    schema: () => labelSchema.schema,
    textKeyOf: (model, line) => recordPredictions.keyOf(model, line),
    activeModel: () => predictions.activePredictor,
  });
  training.onJobEnded = (ended) => retraining.jobEnded(ended);
  let worker: WorkerService | undefined;
  let workspaceFolderEvents = false;
  let watchContractFiles = false;

  connection.onInitialize((params): InitializeResult => {
    const checked = parseParams('initialize', InitializationOptionsSchema, params.initializationOptions, 'params.initializationOptions');
    if (!checked.ok) throw new ResponseError(ErrorCodes.InvalidParams, checked.message);
    const options = checked.params as ServerStartOptions;
    worker = new WorkerService(connection, options);
    predictionSettings = options.predictions;
    stringMatcher.configure(options.suggestions?.stringMatching ?? true, options.suggestions?.stringMatchMinConfidence);
    suggestions.configure(options.suggestions?.modelMinConfidence);
    retraining.restoreBaselines(options.retrainingBaselines);
    retraining.configure(options.backgroundRetraining);
    const { capabilities } = params;
    credit.initialize(worker, options.credit, capabilities.workspace?.inlayHint?.refreshSupport === true);
    workspaceFolders.set(params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []));
    training.initialize(worker);
    workspaceFolderEvents = capabilities.workspace?.workspaceFolders === true;
    labelSchema.initialize({
      folders: params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []),
      settings: options.labelSchema,
      canWatchFiles: capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      canSyncFiles: capabilities.textDocument?.synchronization?.dynamicRegistration === true,
      canShowDocument: capabilities.window?.showDocument?.support === true,
    });
    watchContractFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        inlayHintProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'finlabel-server', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    if (worker?.startOnInitialize) void worker.status(true);
    if (workspaceFolderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        workspaceFolders.change(
          e.added.map((f) => f.uri),
          e.removed.map((f) => f.uri),
        );
        labelSchema.changeFolders(e.added, e.removed);
      });
    }
    labelSchema.start();
    if (watchContractFiles) contracts.watchFiles();
    void predictions.configure(predictionSettings, workspaceFolders.paths).then(predictionsConfigured);
  });
  // One handler per connection: each feature takes the events it cares about.
  handleNotification(connection, DidChangeWatchedFilesNotification.type, (params) => {
    labelSchema.onFileEvents(params.changes);
    contracts.onFileEvents(params.changes);
  });

  connection.onShutdown(async () => {
    retraining.shutdown();
    await training.shutdown();
    await worker?.dispose();
  });

  handleRequest(connection, CodeActionRequest.type, (params) => {
    const uri = params.textDocument.uri;
    const entry = documents.get(uri);
    const predicted = predictions.current(uri);
    if (entry) {
      const accept = predicted
        ? datasetPredictionActions(entry.model, labelSchema.schema, uri, params.range, predicted, spansOfLine(entry.model, params.range.start.line))
        : [];
      const line = params.range.start.line;
      const suggested =
        line < entry.model.lineCount
          ? suggestionActions(entry.model, labelSchema.schema, uri, params.range, suggestions.placedForLine(uri, entry.model, line))
          : [];
      return [...codeActions(entry.model, labelSchema.schema, uri, params.range, params.context.diagnostics), ...suggested, ...accept];
    }
    const contract = contracts.get(uri);
    if (!contract) return [];
    const accept = predicted ? contractPredictionActions(labelSchema.schema, uri, params.range, predicted, contracts.spans(uri)) : [];
    return [...contractCodeActions(contracts.placed(contract), params, labelSchema.schema), ...accept];
  });

  handleRequest(connection, HoverRequest.type, (params) => {
    const uri = params.textDocument.uri;
    if (isCsvUri(uri)) return credit.hover(uri, params.position);
    const { line, character } = params.position;
    const entry = documents.get(uri);
    const hits = entry ? documents.spansAt(uri, line, character) : spansAt(contracts.spans(uri), line, character);
    const predicted = predictions.current(uri);
    const guesses = predicted ? predictionsAt(predicted, line, character) : [];
    // Out of depth: anywhere in a predicted text (a record's line, or the contract) the hover says why nothing is drawn.
    const depth = predicted?.depth?.outOfDepth && predicted.texts.some((t) => t.line === (entry ? line : -1)) ? predicted.depth : undefined;
    const suggested =
      entry && line < entry.model.lineCount ? suggestions.placedForLine(uri, entry.model, line).filter((s) => containsPosition(s.range, line, character)) : [];
    if (hits.length === 0 && guesses.length === 0 && suggested.length === 0 && !depth) return null;
    const gold = entry ? (line < entry.model.lineCount ? spansOfLine(entry.model, line) : []) : contracts.spans(uri);
    const parts = [
      ...(depth ? [outOfDepthHoverMarkdown(predicted!.model, depth)] : []),
      ...(hits.length > 0 ? [hoverMarkdown(hits)] : []),
      ...(guesses.length > 0
        ? [predictionHoverMarkdown(guesses, predicted!.model, gold, predicted!.texts.find((t) => t.line === (entry ? line : -1))?.minMargin, predicted!.depth)]
        : []),
      ...(suggested.length > 0 ? [suggestionHoverMarkdown(suggested, sourceStats)] : []),
    ];
    const range = (hits[0] ?? guesses[0] ?? suggested[0])?.range ?? { start: { line, character }, end: { line, character } };
    return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') }, range };
  });

  handleRequest0(connection, labelTypesRequest, async () => {
    await labelSchema.settled();
    return [...labelSchema.schema.types];
  });
  handleRequest(connection, createLabelSchemaFileRequest, (params) => labelSchema.createFile(params.folderUri));
  handleNotification(connection, visibleLinesNotification, (params) => {
    documents.setVisibleLines(params.uri, params.ranges);
    predictions.setVisibleLines(params.uri, params.ranges);
    suggestions.refresh(params.uri);
  });
  handleNotification(connection, rejectedSuggestionsNotification, (params) => suggestions.setRejected(params.keys));
  handleNotification(connection, suggestionSourceStatsNotification, (params) => {
    sourceStats = params.stats;
  });
  handleRequest0(connection, serverInfoRequest, () => {
    const { rss, heapUsed } = process.memoryUsage();
    return { pid: process.pid, version: VERSION, uptime: process.uptime(), memory: { rss, heapUsed } };
  });

  handleRequest(connection, recordViewRequest, async (params, token) => {
    const modelFilter =
      documents.get(params.uri) && params.filter ? await modelLoop.filterOf(documents.get(params.uri)!.model, params.filter, token) : undefined;
    const entry = documents.get(params.uri);
    if (!entry) return null;
    const view = recordView(entry.model, labelSchema.schema, { ...params, version: entry.document.version }, modelFilter);
    if (!view) return view;
    const suggested = suggestions.forRecordView(params.uri, entry.model, view.line);
    // Under "Disagrees with the model" the model's own spans show beside the gold labels.
    const predictor = predictions.activePredictor;
    const predicted = params.filter === 'disagrees' && predictor && view.text !== null ? recordPredictions.get(entry.model, view.line) : undefined;
    const model =
      predicted && predictor
        ? recordModelView(
            view,
            predicted.spans,
            { name: predictor.model.name, colorOf: (tag) => predictor.model.scheme.types.find((t) => t.tag === tag)?.color },
            labelSchema.schema,
          )
        : undefined;
    return { ...view, ...(suggested ? { suggestions: suggested } : {}), ...(model ? { model } : {}) };
  });

  handleRequest(connection, keyTermsRequest, (params) => documentKeyTerms(params.uri, documents, contracts, predictions, labelSchema.schema));

  handleRequest(connection, editRecordLabelsRequest, (params) => {
    const entry = documents.get(params.uri);
    if (!entry) return { ok: false, message: 'This document is not an open dataset JSONL.' };
    if (entry.document.version !== params.version) {
      return { ok: false, message: 'The document changed before the label could be edited; try again.' };
    }
    return editRecordLabels(entry.model, labelSchema.schema, params.line, params.op);
  });

  handleRequest(connection, workerStatusRequest, (params) => requireWorker(worker).status(params.start));
  handleRequest0(connection, restartWorkerRequest, () => requireWorker(worker).restart());
  handleRequest0(connection, stopWorkerRequest, () => requireWorker(worker).stop());
  handleRequest(connection, createEnvironmentRequest, (params, token) => requireWorker(worker).createEnvironment(params, token));
  handleNotification(connection, configurationChangedNotification, async (options) => {
    labelSchema.configure(options.labelSchema);
    credit.configure(options.credit);
    stringMatcher.configure(options.suggestions?.stringMatching ?? true, options.suggestions?.stringMatchMinConfidence);
    suggestions.configure(options.suggestions?.modelMinConfidence);
    retraining.configure(options.backgroundRetraining);
    void predictions.configure(options.predictions, workspaceFolders.paths).then(predictionsConfigured);
    await requireWorker(worker).configure(options);
  });

  handleRequest(connection, InlayHintRequest.type, (params) => credit.inlayHints(params.textDocument.uri, params.range));

  handleRequest(connection, convertDatasetRequest, (params) => convertDataset(params, labelSchema.schema));

  handleRequest(connection, regenerateSamplesRequest, (params) => ({
    files: writeSamples(params.folder, params.seed).map((f) => f.path),
  }));

  registerDatasetRequests(connection, documents, () => labelSchema.schema, workspaceFolders);
  modelLoop.register(connection);
  registerEvaluationRequests(connection, tracked.documents, () => requireWorker(worker), workspaceFolders);

  connection.listen();
}

function requireWorker(worker: WorkerService | undefined): WorkerService {
  if (!worker) throw new Error('the FinLabel server is not initialized yet');
  return worker;
}
