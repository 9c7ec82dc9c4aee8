/**
 * The test entry the extension loads under its integration tests (src/extension/testHook.ts): builds
 * the tests' view of the extension (FinLabelTestApi) from its live parts, and registers the commands
 * that read back and drive the webview pages (the annotation view, the evaluation report, Key Terms)
 * through the probe it puts into them (webviewProbes.ts). Built into out/, never into dist/ or the VSIX.
 */
import * as vscode from 'vscode';
import { existsSync, statSync } from 'node:fs';
import type { RecordFilter } from '../../src/common/lspProtocol';
import type { AnnotationViewProvider } from '../../src/extension/annotationView/annotationViewProvider';
import { EvaluationReportPanel } from '../../src/extension/evaluation/evaluationReportPanel';
import { KeyTermsPanel } from '../../src/extension/keyTerms/keyTermsPanel';
import { modelTreeItem } from '../../src/extension/models/modelTree';
import type { ExtensionParts } from '../../src/extension/testHook';
import type { PageKey } from '../../src/webview/annotationView/messages';
import { AnnotationViewTestCommands, ReportViewTestCommands, type AnnotationViewSnapshot, type FinLabelTestApi } from './testApi';
import { probeOf, watchPanels, type ProbedPage } from './webviewProbes';
import type { KeyTermsRendered, ProbeRequest, RenderReport, ReportRendered } from './webviewProbeProtocol';

/** How long setFilter waits for the page to show a record through the filter (the model filters predict the records first). */
const FILTER_TIMEOUT_MS = 60_000;
/** How long a report view's read-back waits for the page to draw, when asked to. */
const RENDER_TIMEOUT_MS = 60_000;
/** How long Save as HTML waits for the file. */
const SAVE_TIMEOUT_MS = 20_000;

export function install(context: vscode.ExtensionContext, parts: ExtensionParts): FinLabelTestApi {
  context.subscriptions.push(...annotationViewCommands(parts.annotationViews), ...reportViewCommands());
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
  /** The probe in the page of the view for `uri` (else the active one); undefined when there is no such view. */
  const pageOf = (uri?: vscode.Uri | string): ProbedPage | undefined => {
    const view = views.viewOf(uri);
    return view && probeOf(view.panel);
  };
  /** Acts on the page of the view for `uri`; false when there is no such view. */
  const act = async (request: ProbeRequest, uri?: vscode.Uri | string): Promise<boolean> => {
    const page = pageOf(uri);
    return page !== undefined && (await page.request<boolean>(request)) === true;
  };
  return [
    vscode.commands.registerCommand(AnnotationViewTestCommands.lastRendered, async (uri?: vscode.Uri | string) => {
      const view = views.viewOf(uri);
      return view ? snapshot(view.uri, probeOf(view.panel)) : undefined;
    }),
    vscode.commands.registerCommand(AnnotationViewTestCommands.select, (start: number, end: number, uri?: vscode.Uri | string) =>
      act({ action: 'select', start, end }, uri),
    ),
    vscode.commands.registerCommand(AnnotationViewTestCommands.pressKey, (key: string | PageKey, uri?: vscode.Uri | string) =>
      act({ action: 'key', key: typeof key === 'string' ? { key } : key }, uri),
    ),
    vscode.commands.registerCommand(
      AnnotationViewTestCommands.labelRange,
      async (start: number, end: number, key: string, uri?: vscode.Uri | string) =>
        (await act({ action: 'select', start, end }, uri)) && act({ action: 'key', key: { key } }, uri),
    ),
    vscode.commands.registerCommand(AnnotationViewTestCommands.focusSpan, (labelIndex: number, uri?: vscode.Uri | string) =>
      act({ action: 'focusSpan', labelIndex }, uri),
    ),
    vscode.commands.registerCommand(AnnotationViewTestCommands.compare, (on?: boolean, uri?: vscode.Uri | string) =>
      act({ action: 'compare', on: on ?? true }, uri),
    ),
    vscode.commands.registerCommand(AnnotationViewTestCommands.settleDifference, (difference: number, choice: 'a' | 'b' | 'edit', uri?: vscode.Uri | string) =>
      act({ action: 'settle', difference, choice }, uri),
    ),
    vscode.commands.registerCommand(AnnotationViewTestCommands.acceptAgreements, (uri?: vscode.Uri | string) => act({ action: 'acceptAgreements' }, uri)),
    vscode.commands.registerCommand(AnnotationViewTestCommands.setFilter, (filter: RecordFilter, uri?: vscode.Uri | string) => setFilter(pageOf(uri), filter)),
  ];
}

async function snapshot(uri: string, page: ProbedPage): Promise<AnnotationViewSnapshot> {
  return {
    uri,
    report: await page.request<RenderReport>({ action: 'readAnnotationView' }),
    cspViolations: [...page.cspViolations],
    edits: [...page.edits],
    visible: page.panel.visible,
    active: page.panel.active,
  };
}

/**
 * Chooses the filter in the page's toolbar; resolves once the page shows a record through it (for a
 * model filter, the extension predicts the records first).
 */
async function setFilter(page: ProbedPage | undefined, filter: RecordFilter): Promise<boolean> {
  if (!page) return false;
  const before = await page.request<RenderReport>({ action: 'readAnnotationView' });
  if ((await page.request<boolean>({ action: 'filter', filter })) !== true) return false;
  const deadline = Date.now() + FILTER_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const now = await page.request<RenderReport>({ action: 'readAnnotationView' });
    if (now && (!before || now.sequence > before.sequence || now.pageId !== before.pageId) && now.shownFilter === filter) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function reportViewCommands(): vscode.Disposable[] {
  const panels = watchPanels([EvaluationReportPanel.viewType, KeyTermsPanel.viewType]);
  /** The probe in the last opened page of `viewType` that is still open. */
  const pageOf = (viewType: string): ProbedPage | undefined => {
    const panel = panels.last(viewType);
    return panel && probeOf(panel);
  };
  /** What the page draws, read back; with `wait`, once it has drawn. */
  const read = async <T>(page: ProbedPage, request: ProbeRequest, wait?: boolean): Promise<T | null> => {
    const deadline = Date.now() + (wait ? RENDER_TIMEOUT_MS : 0);
    for (;;) {
      const rendered = await page.request<T>(request);
      if (rendered || Date.now() >= deadline) return rendered;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  /** What the last page of `viewType` draws and what its CSP blocked (EvaluationReportSnapshot, KeyTermsSnapshot); undefined: none is open. */
  const snapshotOf = async <T>(
    viewType: string,
    request: ProbeRequest,
    wait?: boolean,
  ): Promise<{ rendered: T | null; cspViolations: string[] } | undefined> => {
    const page = pageOf(viewType);
    return page && { rendered: await read<T>(page, request, wait), cspViolations: [...page.cspViolations] };
  };
  const click = async (viewType: string, selector: string, index: number): Promise<boolean> => {
    const page = pageOf(viewType);
    return page !== undefined && clickIn(page, selector, index);
  };
  return [
    panels,
    vscode.commands.registerCommand(ReportViewTestCommands.evaluationReport, (wait?: boolean) =>
      snapshotOf<ReportRendered>(EvaluationReportPanel.viewType, { action: 'readEvaluationReport' }, wait),
    ),
    vscode.commands.registerCommand(ReportViewTestCommands.clickError, (index: number) => click(EvaluationReportPanel.viewType, 'a.open-span', index)),
    vscode.commands.registerCommand(ReportViewTestCommands.saveHtml, (target: string) => saveHtml(pageOf(EvaluationReportPanel.viewType), target)),
    vscode.commands.registerCommand(ReportViewTestCommands.keyTerms, (wait?: boolean) =>
      snapshotOf<KeyTermsRendered>(KeyTermsPanel.viewType, { action: 'readKeyTerms' }, wait),
    ),
    vscode.commands.registerCommand(ReportViewTestCommands.clickPlace, (index: number) => click(KeyTermsPanel.viewType, 'button.place', index)),
  ];
}

/** Clicks in the page, brought to the front first (as its tab would) when another editor hides it. */
async function clickIn(page: ProbedPage, selector: string, index: number): Promise<boolean> {
  if (!page.panel.visible) {
    page.panel.reveal(undefined, true);
    for (let waited = 0; waited < 5_000 && !page.panel.visible; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return (await page.request<boolean>({ action: 'click', selector, index })) === true;
}

/** Presses the report's Save as HTML and answers its save dialog with `target`; true once the file is written. */
async function saveHtml(page: ProbedPage | undefined, target: string): Promise<boolean> {
  if (!page) return false;
  const window = vscode.window as { showSaveDialog: typeof vscode.window.showSaveDialog };
  const ask = window.showSaveDialog;
  window.showSaveDialog = () => Promise.resolve(vscode.Uri.file(target));
  try {
    if (!(await clickIn(page, '#save-html', 0))) return false;
    const deadline = Date.now() + SAVE_TIMEOUT_MS;
    // Written once it has its content (the file is created empty first).
    while (!existsSync(target) || statSync(target).size === 0) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
  } finally {
    window.showSaveDialog = ask;
  }
}
