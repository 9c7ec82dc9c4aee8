import * as vscode from 'vscode';
import { REJECT_SUGGESTIONS_COMMAND, SUGGESTION_SOURCES, type RejectSuggestionsArgs, type SuggestionSource } from '../../common/lspProtocol';
import { isDataset } from '../../common/datasetFiles';
import { activeDataset } from './activeDataset';
import type { RejectedSuggestions } from './rejectedSuggestions';
import { RejectionHistory, type DocumentChange, type RejectionStep } from './rejectionHistory';
import type { SuggestionSourceStats } from './suggestionSourceStats';

/** FinLabel: Undo Last Suggestion Rejection (also Ctrl+Z while a rejection is the dataset's latest action). */
export const UNDO_REJECTION_COMMAND = 'finlabel.undoSuggestionRejection';
/** True while the active dataset's latest action is a rejection: Ctrl+Z then undoes it instead of an edit. */
export const REJECTION_IS_LATEST_CONTEXT = 'finlabel.suggestionRejectionIsLatest';
export const UNDO_BUTTON = 'Undo';

function changeOf(reason: vscode.TextDocumentChangeReason | undefined): DocumentChange {
  if (reason === vscode.TextDocumentChangeReason.Undo) return 'undo';
  if (reason === vscode.TextDocumentChangeReason.Redo) return 'redo';
  return 'edit';
}

const plural = (n: number): string => `${n} suggestion${n === 1 ? '' : 's'}`;

/**
 * Rejecting suggestions and undoing it. A rejection (one, or a record's Reject all) is one step of an
 * undo history kept beside each dataset's own edits: Ctrl+Z in the annotation view or the dataset's
 * text editor undoes the rejection when it is the latest thing done there (a context key switches the
 * keybinding), else VS Code undoes the edit as always; the command and the Undo button of Reject all's
 * message undo it from anywhere. Rejections live in the workspace state (RejectedSuggestions), the
 * history only for the session.
 */
export class SuggestionRejections implements vscode.Disposable {
  private readonly history = new RejectionHistory();
  private readonly disposables: vscode.Disposable[];
  private contextValue: boolean | undefined;
  /** The source of each suggestion rejected this session (undoing its rejection takes it off that source's count). */
  private readonly sourceOfKey = new Map<string, SuggestionSource>();

  constructor(
    private readonly rejected: RejectedSuggestions,
    private readonly stats?: SuggestionSourceStats,
  ) {
    const update = (): void => this.updateContext();
    this.disposables = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0 || !isDataset(e.document.uri.path, e.document.languageId)) return;
        this.history.documentChanged(e.document.uri.toString(), changeOf(e.reason));
        update();
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.history.documentClosed(document.uri.toString());
        update();
      }),
      vscode.window.onDidChangeActiveTextEditor(update),
      vscode.window.tabGroups.onDidChangeTabs(update),
      vscode.window.tabGroups.onDidChangeTabGroups(update),
      vscode.commands.registerCommand(REJECT_SUGGESTIONS_COMMAND, (args?: RejectSuggestionsArgs) => this.reject(args)),
      vscode.commands.registerCommand(UNDO_REJECTION_COMMAND, (uri?: vscode.Uri | string) => this.undo(uri)),
    ];
    update();
  }

  /** The rejection Ctrl+Z would undo in document `uri` now (undefined: Ctrl+Z undoes an edit). */
  latestAction(uri: vscode.Uri | string): RejectionStep | undefined {
    return this.history.latestAction(uri.toString());
  }

  /** Rejects suggestions: remembered in the workspace, never written to the file; one undo step. */
  async reject(args: RejectSuggestionsArgs | undefined): Promise<RejectionStep | false> {
    const keys = Array.isArray(args?.keys) ? args.keys.filter((k): k is string => typeof k === 'string') : [];
    if (keys.length === 0) return false;
    const added = await this.rejected.add(keys);
    const sources = Array.isArray(args?.sources) ? args.sources : [];
    keys.forEach((key, i) => {
      if (SUGGESTION_SOURCES.includes(sources[i])) this.sourceOfKey.set(key, sources[i]);
    });
    // Each suggestion newly rejected counts once against its source.
    await this.stats?.count(
      'rejected',
      added.flatMap((k) => this.sourceOfKey.get(k) ?? []),
    );
    const uri = typeof args?.uri === 'string' ? args.uri : (activeDataset()?.toString() ?? '');
    const description = args?.description ?? plural(keys.length);
    const step = this.history.reject(uri, added, description);
    this.updateContext();
    if (!step) return false;
    if (args?.all === true) {
      void vscode.window
        .showInformationMessage(`FinLabel: rejected ${description}. Undo (or Ctrl+Z in the dataset) brings them back.`, UNDO_BUTTON)
        .then((choice) => (choice === UNDO_BUTTON ? this.undoStep(step.id) : undefined));
    } else {
      void vscode.window.setStatusBarMessage(`FinLabel: rejected ${description} (Ctrl+Z brings it back)`, 4000);
    }
    return step;
  }

  /** Undoes the last rejection of the dataset `target` (default: the active one), else the last of any. */
  async undo(target?: vscode.Uri | string): Promise<RejectionStep | undefined> {
    const uri = target === undefined ? activeDataset()?.toString() : target.toString();
    const step = (uri === undefined ? undefined : this.history.last(uri)) ?? (target === undefined ? this.history.last() : undefined);
    if (!step) {
      void vscode.window.setStatusBarMessage('FinLabel: no suggestion rejection to undo', 4000);
      return undefined;
    }
    return this.undoStep(step.id);
  }

  private async undoStep(id: number): Promise<RejectionStep | undefined> {
    const step = this.history.take(id);
    if (!step) return undefined;
    await this.rejected.remove(step.keys);
    await this.stats?.count(
      'rejected',
      step.keys.flatMap((k) => this.sourceOfKey.get(k) ?? []),
      -1,
    );
    this.updateContext();
    void vscode.window.setStatusBarMessage(`FinLabel: brought back ${plural(step.keys.length)}`, 4000);
    return step;
  }

  private updateContext(): void {
    const uri = activeDataset();
    const value = uri !== undefined && this.history.latestAction(uri.toString()) !== undefined;
    if (value === this.contextValue) return;
    this.contextValue = value;
    void vscode.commands.executeCommand('setContext', REJECTION_IS_LATEST_CONTEXT, value);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
