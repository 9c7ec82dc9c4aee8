import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { LabelType } from '../common/labelSchema';
import type { BackgroundRetrainingStatus, CreditFileStatus, TrainingProgressParams, TrainingTask } from '../common/lspProtocol';
import type { WorkerStatus } from '../common/workerProtocol';
import type { DrawnSpan } from './goldDecorations';
import type { PredictionDepth, PredictionModelStatus } from '../common/lspProtocol';
import type { DrawnPrediction } from './predictionDecorations';
import type { DrawnSuggestion } from './modelLoop/suggestionDecorations';
import type { SourceCounts } from './modelLoop/sourceCounts';
import type { RejectionStep } from './modelLoop/rejectionHistory';

/**
 * What `activate` returns (vscode.extensions.getExtension('finlabel.finlabel').exports): lets other
 * extensions and the integration tests see what the extension drew, which VS Code cannot read back.
 */
export interface FinLabelApi {
  languageClient(): LanguageClient;
  spansDrawn(uri: vscode.Uri): readonly DrawnSpan[];
  onDidDrawSpans: vscode.Event<string>;
  /** The label types in use, as the server last announced them. */
  labelTypes(): readonly LabelType[];
  /** Where they come from, in words: the schema file's path, the setting, or the built-in defaults. */
  labelSchemaSource(): string;
  onDidChangeLabelSchema: vscode.Event<readonly LabelType[]>;
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
  onDidDrawPredictions: vscode.Event<string>;
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
