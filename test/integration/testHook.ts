/**
 * The test entry the extension loads under its integration tests (src/extension/testHook.ts): builds
 * the tests' view of the extension (FinLabelTestApi) from its live parts, and registers the commands
 * that drive an annotation view's page. Built into out/, never into dist/ or the VSIX.
 */
import * as vscode from 'vscode';
import type { RecordFilter } from '../../src/common/lspProtocol';
import type { AnnotationViewHandle, AnnotationViewProvider } from '../../src/extension/annotationView/annotationViewProvider';
import { modelTreeItem } from '../../src/extension/models/modelTree';
import type { ExtensionParts } from '../../src/extension/testHook';
import type { HostToWebview, PageKey } from '../../src/webview/annotationView/messages';
import { AnnotationViewTestCommands, type AnnotationViewSnapshot, type FinLabelTestApi } from './testApi';

/** How long setFilter waits for the page to take the filter (it does not while hidden). */
const FILTER_TIMEOUT_MS = 5_000;

export function install(context: vscode.ExtensionContext, parts: ExtensionParts): FinLabelTestApi {
  context.subscriptions.push(...annotationViewCommands(parts.annotationViews));
  return {
    languageClient: () => parts.languageClient,
    spansDrawn: (uri) => parts.goldDecorations.spansDrawn(uri),
    onDidDrawSpans: parts.goldDecorations.onDidDraw,
    labelTypes: () => parts.labelSchema.types,
    labelSchemaSource: () => parts.labelSchema.source,
    lastContractMessage: () => parts.lastContractMessage(),
    statusBarText: () => parts.statusBar.text,
    workerStatus: () => parts.statusBar.workerStatus,
    workerStatusNow: (start) => parts.workerStatus(start),
    creditFileStatus: (uri) => parts.creditStatusBar.statusOf(uri.toString()),
    creditStatusCommand: () => parts.creditStatusBar.command,
    creditStatusShown: () => parts.creditStatusBar.shown,
    lastModelPicker: () => parts.lastModelPicker(),
    predictionsDrawn: (uri) => parts.predictionDecorations.predictionsDrawn(uri),
    predictionDepth: (uri) => parts.predictionDecorations.depthOf(uri),
    suggestionsDrawn: (uri) => parts.suggestionDecorations.suggestionsDrawn(uri),
    rejectedSuggestions: () => parts.rejectedSuggestions.keys,
    suggestionSourceStats: () => parts.suggestionSourceStats.counts,
    latestRejection: (uri) => parts.suggestionRejections.latestAction(uri),
    predictionModel: () => parts.predictionDecorations.modelStatus,
    onTrainingProgress: parts.training.onProgress,
    trainingStatusText: () => parts.training.statusText,
    backgroundRetraining: () => parts.backgroundRetraining.status,
    backgroundRetrainingText: () => parts.backgroundRetraining.text,
    onDidChangeBackgroundRetraining: parts.backgroundRetraining.onDidChange,
    registeredModels: (task) => parts.models.models(task).map(({ model, active }) => ({ ...modelTreeItem(model, active), dir: model.dir })),
  };
}

function annotationViewCommands(views: AnnotationViewProvider): vscode.Disposable[] {
  /** Posts a message to the page of the view for `uri`; false when there is no such view. */
  const tell = (message: HostToWebview, uri?: vscode.Uri | string): boolean => {
    const view = views.viewOf(uri);
    view?.tell(message);
    return view !== undefined;
  };
  return [
    vscode.commands.registerCommand(AnnotationViewTestCommands.lastRendered, async (uri?: vscode.Uri | string) => {
      const view = views.viewOf(uri);
      return view ? snapshot(view) : undefined;
    }),
    vscode.commands.registerCommand(AnnotationViewTestCommands.select, (start: number, end: number, uri?: vscode.Uri | string) =>
      tell({ type: 'select', start, end }, uri),
    ),
    vscode.commands.registerCommand(AnnotationViewTestCommands.pressKey, (key: string | PageKey, uri?: vscode.Uri | string) =>
      tell({ type: 'key', key: typeof key === 'string' ? { key } : key }, uri),
    ),
    vscode.commands.registerCommand(
      AnnotationViewTestCommands.labelRange,
      (start: number, end: number, key: string, uri?: vscode.Uri | string) =>
        tell({ type: 'select', start, end }, uri) && tell({ type: 'key', key: { key } }, uri),
    ),
    vscode.commands.registerCommand(AnnotationViewTestCommands.focusSpan, (labelIndex: number, uri?: vscode.Uri | string) =>
      tell({ type: 'focusSpan', labelIndex }, uri),
    ),
    vscode.commands.registerCommand(AnnotationViewTestCommands.compare, (on?: boolean, uri?: vscode.Uri | string) =>
      tell({ type: 'compare', on: on ?? true }, uri),
    ),
    vscode.commands.registerCommand(AnnotationViewTestCommands.settleDifference, (difference: number, choice: 'a' | 'b' | 'edit', uri?: vscode.Uri | string) =>
      tell({ type: 'settle', difference, choice }, uri),
    ),
    vscode.commands.registerCommand(AnnotationViewTestCommands.acceptAgreements, (uri?: vscode.Uri | string) => tell({ type: 'acceptAgreements' }, uri)),
    vscode.commands.registerCommand(AnnotationViewTestCommands.setFilter, (filter: RecordFilter, uri?: vscode.Uri | string) =>
      setFilter(views.viewOf(uri), filter),
    ),
  ];
}

async function snapshot(view: AnnotationViewHandle): Promise<AnnotationViewSnapshot> {
  return {
    uri: view.uri,
    report: await view.readBack(),
    cspViolations: [...view.cspViolations],
    edits: [...view.edits],
    visible: view.panel.visible,
    active: view.panel.active,
  };
}

/** Chooses the filter in the page's toolbar; resolves once the page took it and its records are predicted and shown. */
async function setFilter(view: AnnotationViewHandle | undefined, filter: RecordFilter): Promise<boolean> {
  if (!view) return false;
  const change = view.nextFilterChange();
  view.tell({ type: 'filter', filter });
  const applied = await Promise.race([change, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), FILTER_TIMEOUT_MS))]);
  await applied;
  return true;
}
