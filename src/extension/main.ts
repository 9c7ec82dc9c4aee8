import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  configurationChangedNotification,
  documentPredictionsNotification,
  documentSpansNotification,
  labelSchemaChangedNotification,
  predictionModelNotification,
  workerStatusNotification,
} from '../common/lspProtocol';
import { SHIPPED_ENTITY_MODEL } from '../common/shippedModels';
import type { WorkerStatus } from '../common/workerProtocol';
import { AnnotationViewProvider } from './annotationView/annotationViewProvider';
import { BackgroundRetrainingStatusItem } from './modelLoop/backgroundRetrainingStatus';
import { editLabelSchema } from './editLabelSchemaCommand';
import { registerDatasetCommands } from './datasetCommands';
import { registerEvaluationCommands } from './evaluation/evaluateModelCommand';
import { registerKeyTermsCommands } from './keyTerms/keyTermsPanel';
import { registerContractFeature } from './contracts/contractCommands';
import { GoldDecorations } from './goldDecorations';
import { PredictionDecorations } from './predictionDecorations';
import { LabelSchemaState } from './labelSchemaState';
import { convertDatasetCommand, type InterchangeCommandContext } from './interchangeCommands';
import { labelSelection } from './labelSelectionCommand';
import { labelWithKey } from './labelWithKeyCommand';
import { LargeDatasetAdvisor } from './largeDatasetAdvisor';
import { createLanguageClient } from './languageClient';
import { registerCreditScores } from './creditScores';
import { regenerateSamples } from './regenerateSamplesCommand';
import { serverOptionsFromSettings } from './settings';
import { RetrainingBaselineStore } from './modelLoop/retrainingBaselines';
import { FinLabelStatusBar } from './statusBar';
import { VisibleLinesReporter } from './visibleLinesReporter';
import {
  createPythonEnvironment,
  restartWorker,
  selectPythonInterpreter,
  showStatus,
  stopWorker,
  workerStatus,
  WorkerProblemNotifier,
  type WorkerCommandContext,
} from './workerCommands';
import { loadTestHook } from './testHook';
import { lastModelPicker, registerModelCommands } from './models/modelCommands';
import { ModelTree } from './models/modelTree';
import { registerTrainingCommands } from './training/trainingCommands';
import { goToNextUncertainRecord, NEXT_UNCERTAIN_COMMAND } from './modelLoop/uncertainRecordCommand';
import { PRE_ANNOTATE_COMMAND, preAnnotate } from './modelLoop/preAnnotateCommand';
import { SuggestionRejections } from './modelLoop/suggestionRejections';
import { RejectedSuggestions } from './modelLoop/rejectedSuggestions';
import { SuggestionDecorations } from './modelLoop/suggestionDecorations';
import { SuggestionSourceStats } from './modelLoop/suggestionSourceStats';
import { documentSuggestionsNotification } from '../common/lspProtocol';
import { TrainingMonitor } from './training/trainingMonitor';

let client: LanguageClient | undefined;

/** Exports nothing, except to the integration tests (see testHook.ts). */
export async function activate(context: vscode.ExtensionContext): Promise<unknown> {
  const output = vscode.window.createOutputChannel('FinLabel', { log: true });
  const decorations = new GoldDecorations();
  const statusBar = new FinLabelStatusBar();
  const predictions = new PredictionDecorations(output);
  context.subscriptions.push(output, decorations, statusBar, predictions);

  // the options are read when the client starts the server, after `baselines` exists
  const languageClient = createLanguageClient(context, output, () => ({ ...serverOptionsFromSettings(context), retrainingBaselines: baselines.all() }));
  const baselines = new RetrainingBaselineStore(languageClient, context.workspaceState);
  client = languageClient;
  context.subscriptions.push(baselines);
  const labelSchema = new LabelSchemaState(() => languageClient);
  const suggestions = new SuggestionDecorations();
  const rejectedSuggestions = new RejectedSuggestions(context.workspaceState, languageClient);
  const sourceStats = new SuggestionSourceStats(context.workspaceState, languageClient);
  const rejections = new SuggestionRejections(rejectedSuggestions, sourceStats);
  context.subscriptions.push(suggestions, rejectedSuggestions, sourceStats, rejections);
  const ctx: WorkerCommandContext = {
    extension: context,
    client: () => languageClient,
    output,
    pushSettings: () => void languageClient.sendNotification(configurationChangedNotification, serverOptionsFromSettings(context)),
  };
  const interchange: InterchangeCommandContext = { client: () => languageClient, output };
  const contracts = registerContractFeature(languageClient, output);
  context.subscriptions.push(...contracts.disposables);
  const credit = registerCreditScores(languageClient, ctx.pushSettings);
  context.subscriptions.push(...credit.disposables);
  const training = new TrainingMonitor(languageClient);
  const models = new ModelTree(context.asAbsolutePath(SHIPPED_ENTITY_MODEL));
  const retraining = new BackgroundRetrainingStatusItem(languageClient, training.output);
  context.subscriptions.push(
    training,
    models,
    retraining,
    training.onEnded(() => models.refresh()),
  );
  context.subscriptions.push(
    ...registerTrainingCommands({ client: () => languageClient, monitor: training, state: context.workspaceState }),
    ...registerModelCommands(models),
  );
  const annotationViews = AnnotationViewProvider.register(context, () => languageClient);
  const notifier = new WorkerProblemNotifier(ctx);
  const onWorkerStatus = (status: WorkerStatus): void => {
    statusBar.setWorker(status);
    notifier.notify(status);
  };

  context.subscriptions.push(
    languageClient.onDidChangeState((e) => statusBar.setServerState(e.newState)),
    languageClient.onNotification(documentSpansNotification, (params) => decorations.update(params)),
    languageClient.onNotification(workerStatusNotification, onWorkerStatus),
    languageClient.onNotification(documentPredictionsNotification, (params) => {
      predictions.update(params);
      statusBar.setPredictionDepth(params.uri, params.depth);
    }),
    languageClient.onNotification(predictionModelNotification, (params) => predictions.setModel(params)),
    languageClient.onNotification(labelSchemaChangedNotification, (params) => labelSchema.update(params)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (
        e.affectsConfiguration('finlabel.python') ||
        e.affectsConfiguration('finlabel.worker') ||
        e.affectsConfiguration('finlabel.labelSchema') ||
        e.affectsConfiguration('finlabel.entityModel') ||
        e.affectsConfiguration('finlabel.predictions') ||
        e.affectsConfiguration('finlabel.suggestions') ||
        e.affectsConfiguration('finlabel.backgroundRetraining')
      )
        ctx.pushSettings();
    }),
    vscode.commands.registerCommand('finlabel.labelSelection', (entity?: string) => labelSelection(languageClient, entity)),
    vscode.commands.registerCommand('finlabel.labelWithKey', (key?: unknown) => labelWithKey(languageClient, labelSchema, key)),
    vscode.commands.registerCommand('finlabel.editLabelSchema', () => editLabelSchema(languageClient)),
    vscode.commands.registerCommand('finlabel.restartServer', async () => {
      await languageClient.restart();
      void vscode.window.setStatusBarMessage('FinLabel: language server restarted', 3000);
    }),
    vscode.commands.registerCommand('finlabel.restartWorker', async () => onWorkerStatus(await restartWorker(ctx))),
    vscode.commands.registerCommand('finlabel.stopWorker', async () => onWorkerStatus(await stopWorker(ctx))),
    vscode.commands.registerCommand('finlabel.selectPythonInterpreter', () => selectPythonInterpreter(ctx)),
    vscode.commands.registerCommand('finlabel.createPythonEnvironment', () => createPythonEnvironment(ctx)),
    vscode.commands.registerCommand('finlabel.regenerateSamples', (folder?: string, seed?: number) => regenerateSamples(languageClient, folder, seed)),
    vscode.commands.registerCommand('finlabel.exportDataset', (input?: unknown, format?: unknown, out?: unknown, options?: unknown) =>
      convertDatasetCommand(interchange, 'export', input, format, out, options),
    ),
    vscode.commands.registerCommand('finlabel.importDataset', (input?: unknown, format?: unknown, out?: unknown, options?: unknown) =>
      convertDatasetCommand(interchange, 'import', input, format, out, options),
    ),
    vscode.commands.registerCommand('finlabel.showStatus', () => showStatus(ctx, statusBar.workerStatus)),
    vscode.commands.registerCommand('finlabel.showOutput', () => output.show()),
    vscode.commands.registerCommand('finlabel.openAnnotationView', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target) return;
      await vscode.commands.executeCommand('vscode.openWith', target, AnnotationViewProvider.viewType);
    }),
    vscode.commands.registerCommand(NEXT_UNCERTAIN_COMMAND, () => goToNextUncertainRecord(languageClient)),
    vscode.commands.registerCommand(PRE_ANNOTATE_COMMAND, (uri?: vscode.Uri) => preAnnotate(languageClient, uri instanceof vscode.Uri ? uri : undefined)),
    languageClient.onNotification(documentSuggestionsNotification, (params) => {
      suggestions.update(params);
      annotationViews.refresh(params.uri);
    }),
    ...registerDatasetCommands(() => languageClient),
    ...registerEvaluationCommands(context.extensionUri, () => languageClient),
    ...registerKeyTermsCommands(context.extensionUri, () => languageClient),
    new LargeDatasetAdvisor(context.globalState),
    vscode.commands.registerCommand('finlabel.turnOffMergeConflictScan', async () => {
      await LargeDatasetAdvisor.turnOffMergeConflictScan();
      void vscode.window.setStatusBarMessage('FinLabel: merge-conflict decorations and code lens are off in this workspace', 5000);
    }),
  );

  await languageClient.start();
  rejectedSuggestions.send();
  sourceStats.send();
  context.subscriptions.push(new VisibleLinesReporter(languageClient, (uri) => decorations.coveredLines(uri)));
  // Show the device at once; the server starts the worker itself when the setting asks for it.
  onWorkerStatus(await workerStatus(ctx, false));

  return loadTestHook(context, {
    languageClient,
    goldDecorations: decorations,
    predictionDecorations: predictions,
    suggestionDecorations: suggestions,
    labelSchema,
    statusBar,
    creditStatusBar: credit.statusBar,
    lastContractMessage: () => contracts.lastMessage(),
    workerStatus: (start) => workerStatus(ctx, start),
    lastModelPicker,
    rejectedSuggestions,
    suggestionSourceStats: sourceStats,
    suggestionRejections: rejections,
    training,
    backgroundRetraining: retraining,
    models,
    annotationViews,
  });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
