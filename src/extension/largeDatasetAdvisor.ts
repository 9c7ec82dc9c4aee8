import * as vscode from 'vscode';
import { isDataset } from '../common/datasetFiles';

/**
 * Documents past this many UTF-16 units (about 25 MB of Chinese JSONL) get the offer below. At this
 * size the merge-conflict scan costs tens of milliseconds per keystroke on a laptop-class CPU.
 */
export const LARGE_DATASET_UNITS = 16_000_000;

const MERGE_CONFLICT_EXTENSION = 'vscode.merge-conflict';
const MERGE_CONFLICT_SETTINGS = ['decorators.enabled', 'codeLens.enabled'] as const;
const NEVER_ASK_KEY = 'finlabel.largeDataset.neverAskMergeConflict';

export const TURN_OFF = 'Turn Off for This Workspace';
export const NOT_NOW = 'Not Now';
export const NEVER_ASK = "Don't Ask Again";

/**
 * VS Code's built-in merge-conflict extension joins the whole document into one string and searches
 * it after every change (its `containsConflict`), in the same extension host that draws FinLabel's
 * decorations: on a 100,000-record dataset that doubles the time from a label edit to its decoration.
 * FinLabel cannot change another extension, so it offers, once per large dataset and with the user's
 * consent, to turn that scan off in this workspace's settings (reversible in Settings).
 */
export class LargeDatasetAdvisor implements vscode.Disposable {
  private readonly asked = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly globalState: vscode.Memento) {
    this.subscription = vscode.workspace.onDidOpenTextDocument((document) => void this.consider(document));
    for (const document of vscode.workspace.textDocuments) void this.consider(document);
  }

  /** Whether the merge-conflict scan still runs on every change of a document. */
  static mergeConflictScanActive(): boolean {
    if (!vscode.extensions.getExtension(MERGE_CONFLICT_EXTENSION)) return false;
    const config = vscode.workspace.getConfiguration('merge-conflict');
    return MERGE_CONFLICT_SETTINGS.some((key) => config.get<boolean>(key, true));
  }

  /** Turns the merge-conflict decorations and code lens off in the workspace's settings. */
  static async turnOffMergeConflictScan(): Promise<void> {
    const config = vscode.workspace.getConfiguration('merge-conflict');
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    for (const key of MERGE_CONFLICT_SETTINGS) await config.update(key, false, target);
  }

  private async consider(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    if (this.asked.has(key) || !isDataset(document.uri.path, document.languageId) || !isLarge(document)) return;
    if (this.globalState.get<boolean>(NEVER_ASK_KEY) || !LargeDatasetAdvisor.mergeConflictScanActive()) return;
    this.asked.add(key);
    const name = vscode.workspace.asRelativePath(document.uri);
    const answer = await vscode.window.showInformationMessage(
      `${name} is large (${(unitCount(document) / 1e6).toFixed(0)}M characters). VS Code's built-in merge-conflict ` +
        'extension searches the whole file after every edit, which slows labelling down. Turn its decorations and ' +
        'code lens off for this workspace? (Settings › merge-conflict turns them back on.)',
      TURN_OFF,
      NOT_NOW,
      NEVER_ASK,
    );
    if (answer === TURN_OFF) {
      await LargeDatasetAdvisor.turnOffMergeConflictScan();
      void vscode.window.setStatusBarMessage('FinLabel: merge-conflict decorations and code lens are off in this workspace', 5000);
    } else if (answer === NEVER_ASK) {
      await this.globalState.update(NEVER_ASK_KEY, true);
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** The document's length in UTF-16 units, without joining its lines into one string. */
function unitCount(document: vscode.TextDocument): number {
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
}

function isLarge(document: vscode.TextDocument): boolean {
  return unitCount(document) >= LARGE_DATASET_UNITS;
}
