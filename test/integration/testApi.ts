/**
 * What the test entry (testHook.ts) gives the integration tests: the extension's exports under test
 * (FinLabelTestApi: what it drew and shows, which VS Code's API cannot read back) and the commands
 * that read back the webview pages and drive them as the mouse and keyboard would. None of it ships.
 */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { LabelType } from '../../src/common/labelSchema';
import type {
  BackgroundRetrainingStatus,
  CreditFileStatus,
  PredictionDepth,
  PredictionModelStatus,
  TrainingProgressParams,
  TrainingTask,
} from '../../src/common/lspProtocol';
import type { WorkerStatus } from '../../src/common/workerProtocol';
import type { DrawnSpan } from '../../src/extension/goldDecorations';
import type { SourceCounts } from '../../src/extension/modelLoop/sourceCounts';
import type { RejectionStep } from '../../src/extension/modelLoop/rejectionHistory';
import type { DrawnSuggestion } from '../../src/extension/modelLoop/suggestionDecorations';
import type { DrawnPrediction } from '../../src/extension/predictionDecorations';
import type { EditResult } from './webviewProbes';
import type { KeyTermsRendered, RenderReport, ReportRendered } from './webviewProbeProtocol';

export interface FinLabelTestApi {
  languageClient(): LanguageClient;
  spansDrawn(uri: vscode.Uri): readonly DrawnSpan[];
  onDidDrawSpans: vscode.Event<string>;
  /** The label types in use, as the server last announced them. */
  labelTypes(): readonly LabelType[];
  /** Where they come from, in words: the schema file's path, the setting, or the built-in defaults. */
  labelSchemaSource(): string;
  /** The last status bar message about a contract label (what was labelled, where it was stored). */
  lastContractMessage(): string;
  statusBarText(): string;
  workerStatus(): WorkerStatus;
  workerStatusNow(start: boolean): Promise<WorkerStatus>;
  /** The credit scores' state of an open CSV file (encoding, rows scored, why there are none), as the server last reported it. */
  creditFileStatus(uri: vscode.Uri): CreditFileStatus | undefined;
  /** What clicking the credit status item runs (undefined when it does nothing). */
  creditStatusCommand(): vscode.Command | undefined;
  /** The credit status item's text and tooltip as shown now (empty while it is hidden). */
  creditStatusShown(): { text: string; tooltip: string };
  /** The title and items of the last model picker Select Active Model showed. */
  lastModelPicker():
    { title: string; items: readonly (vscode.QuickPickItem & { model?: { task: TrainingTask; dir: string }; action?: 'browse' | 'train' })[] } | undefined;
  /** The entity model's predictions drawn in a document's editors (current version only). */
  predictionsDrawn(uri: vscode.Uri): readonly DrawnPrediction[];
  /** The confidence threshold in force and the out-of-depth assessment of a document's last predictions. */
  predictionDepth(uri: vscode.Uri): PredictionDepth | undefined;
  /** The suggestions (every source, merged) drawn in a document's editors (current version only). */
  suggestionsDrawn(uri: vscode.Uri): readonly DrawnSuggestion[];
  /** The keys of the suggestions rejected in this workspace (kept in its state, not in any file). */
  rejectedSuggestions(): readonly string[];
  /** How often each suggestion source's suggestions were accepted and rejected in this workspace (kept in its state). */
  suggestionSourceStats(): SourceCounts;
  /** The rejection Ctrl+Z would undo in a dataset now: its latest action (undefined: Ctrl+Z undoes an edit). */
  latestRejection(uri: vscode.Uri): RejectionStep | undefined;
  /** Which entity model predicts, as the server last said. */
  predictionModel(): PredictionModelStatus;
  /** Every progress line of the training jobs, as the server sends it. */
  onTrainingProgress: vscode.Event<TrainingProgressParams>;
  /** The training status bar item's text ('' when no job runs). */
  trainingStatusText(): string;
  /** Background retraining's last status from the server, and its status bar item's text. */
  backgroundRetraining(): BackgroundRetrainingStatus | undefined;
  backgroundRetrainingText(): string;
  /** Fires once a status was shown (after a swapped-in model was made active in the settings). */
  onDidChangeBackgroundRetraining: vscode.Event<BackgroundRetrainingStatus>;
  /** The model registry's items of a task as the "FinLabel Models" view shows them, with their folder. */
  registeredModels(task: TrainingTask): (vscode.TreeItem & { dir: string })[];
}

/**
 * Commands that drive the page of an annotation view (the view of `uri`, else the active one) as the
 * user would: the probe in the page selects, types keys, clicks and chooses there. Each returns false
 * when no view is open.
 */
export const AnnotationViewTestCommands = {
  /** Argument: the document's URI (Uri or string), else the active view. Returns AnnotationViewSnapshot | undefined. */
  lastRendered: 'finlabel.test.annotationView.lastRendered',
  /** Arguments: start, end (code points), uri?. Selects those characters of the record's text. */
  select: 'finlabel.test.annotationView.select',
  /** Arguments: a key ('1', 'Delete', 'Tab', 'Escape', 'ArrowRight'...) or {key, shift, alt}, uri?. As if typed in the text. */
  pressKey: 'finlabel.test.annotationView.pressKey',
  /** Arguments: start, end (code points), the type's key ('1'...), uri?. Select, then the key: labels the characters. */
  labelRange: 'finlabel.test.annotationView.labelRange',
  /** Arguments: the label's index in "labels", uri?. Focuses that label, as clicking it does. */
  focusSpan: 'finlabel.test.annotationView.focusSpan',
  /** Arguments: 'all' | 'unlabelled' | 'problems' | 'uncertain' | 'disagrees', uri?. Resolves once the records are predicted (model filters). */
  setFilter: 'finlabel.test.annotationView.setFilter',
  /** Arguments: on (default true), uri?. Shows the record's two annotators side by side. */
  compare: 'finlabel.test.annotationView.compare',
  /** Arguments: the difference's 0-based index as listed, 'a' | 'b' | 'edit', uri?. Its Keep A / Keep B / Edit button. */
  settleDifference: 'finlabel.test.annotationView.settleDifference',
  /** Argument: uri?. Accepts every label both annotators made the same. */
  acceptAgreements: 'finlabel.test.annotationView.acceptAgreements',
} as const;

/** What an annotation view shows (read from its page's DOM), and what its CSP blocked. */
export interface AnnotationViewSnapshot {
  uri: string;
  /** null: the page did not answer (hidden, or still loading). */
  report: RenderReport | null;
  /** "directive blockedURI" for each violation the page reported since the view opened. */
  cspViolations: string[];
  /** How each label edit the page asked for went (as the page was told), in order. */
  edits: EditResult[];
  visible: boolean;
  active: boolean;
}

/** Commands that read back and drive the last opened evaluation report and Key Terms view (through the probe in their pages). */
export const ReportViewTestCommands = {
  /** Argument: wait (until the page has drawn). Returns EvaluationReportSnapshot | undefined (no report view open). */
  evaluationReport: 'finlabel.test.evaluationReport.lastRendered',
  /** Argument: the 0-based index of a miss/false-alarm link; clicks it. */
  clickError: 'finlabel.test.evaluationReport.clickError',
  /** Argument: the file's path. Presses Save as HTML and answers the save dialog with it; true once the file is written. */
  saveHtml: 'finlabel.test.evaluationReport.saveHtml',
  /** Argument: wait (until the page has drawn). Returns KeyTermsSnapshot | undefined (no Key Terms view open). */
  keyTerms: 'finlabel.test.keyTerms.lastRendered',
  /** Argument: the 0-based index of a clickable place; clicks it. */
  clickPlace: 'finlabel.test.keyTerms.clickPlace',
} as const;

/** What the evaluation report view draws (read from its page's DOM; null: not drawn yet), and what its CSP blocked. */
export interface EvaluationReportSnapshot {
  rendered: ReportRendered | null;
  cspViolations: string[];
}

/** What the Key Terms view draws (read from its page's DOM; null: not drawn yet), and what its CSP blocked. */
export interface KeyTermsSnapshot {
  rendered: KeyTermsRendered | null;
  cspViolations: string[];
}
