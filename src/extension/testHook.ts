/**
 * The integration tests' way in. When VS Code runs the extension's tests (ExtensionMode.Test) from a
 * checkout that holds the built test entry, the extension loads that module and hands it its live
 * parts; what the module returns becomes the extension's exports. The entry is built from
 * test/integration/testHook.ts into out/, which the VSIX never carries: an installed FinLabel exports
 * nothing and registers no test commands.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { WorkerStatus } from '../common/workerProtocol';
import type { AnnotationViewProvider } from './annotationView/annotationViewProvider';
import type { CreditStatusBar } from './creditScores';
import type { GoldDecorations } from './goldDecorations';
import type { LabelSchemaState } from './labelSchemaState';
import type { BackgroundRetrainingStatusItem } from './modelLoop/backgroundRetrainingStatus';
import type { RejectedSuggestions } from './modelLoop/rejectedSuggestions';
import type { SuggestionDecorations } from './modelLoop/suggestionDecorations';
import type { SuggestionRejections } from './modelLoop/suggestionRejections';
import type { SuggestionSourceStats } from './modelLoop/suggestionSourceStats';
import type { lastModelPicker } from './models/modelCommands';
import type { ModelTree } from './models/modelTree';
import type { PredictionDecorations } from './predictionDecorations';
import type { FinLabelStatusBar } from './statusBar';
import type { TrainingMonitor } from './training/trainingMonitor';

/** The test entry, relative to the extension's folder. */
export const TEST_HOOK_MODULE = 'out/test/integration/testHook.js';

/** The extension's live parts: what it drew and shows, which VS Code's API cannot read back. */
export interface ExtensionParts {
  languageClient: LanguageClient;
  goldDecorations: GoldDecorations;
  predictionDecorations: PredictionDecorations;
  suggestionDecorations: SuggestionDecorations;
  labelSchema: LabelSchemaState;
  statusBar: FinLabelStatusBar;
  creditStatusBar: CreditStatusBar;
  /** The last status bar message about a contract label. */
  lastContractMessage(): string;
  /** Asks the server for the worker's status (starting the worker when `start`). */
  workerStatus(start: boolean): Promise<WorkerStatus>;
  lastModelPicker: typeof lastModelPicker;
  rejectedSuggestions: RejectedSuggestions;
  suggestionSourceStats: SuggestionSourceStats;
  suggestionRejections: SuggestionRejections;
  training: TrainingMonitor;
  backgroundRetraining: BackgroundRetrainingStatusItem;
  models: ModelTree;
  annotationViews: AnnotationViewProvider;
}

/** What the test entry exports. */
export interface TestHookModule {
  install(context: vscode.ExtensionContext, parts: ExtensionParts): unknown;
}

/** The test entry's exports for the tests, or undefined when not under test (or not built). */
export function loadTestHook(context: vscode.ExtensionContext, parts: ExtensionParts): unknown {
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  const file = context.asAbsolutePath(TEST_HOOK_MODULE);
  if (!existsSync(file)) return undefined;
  // A path known at run time: esbuild leaves it out of dist/extension.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hook = require(file) as TestHookModule;
  return hook.install(context, parts);
}
