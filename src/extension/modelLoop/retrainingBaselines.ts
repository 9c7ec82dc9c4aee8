import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { retrainingBaselineNotification, type RetrainingBaseline } from '../../common/lspProtocol';

/** workspaceState key: per dataset URI, the label keys its count toward the next retrain starts from. */
const STATE_KEY = 'finlabel.retrainingBaselines';
/** Datasets remembered; the least recently updated are forgotten beyond this. */
const MAX_DATASETS = 50;

type Baselines = Record<string, string[]>;

/**
 * Keeps background retraining's baselines (RetrainingBaseline) in workspace state, never in the data
 * file, and hands them to every server the client starts (initialize's options), so the count of label
 * changes toward the next retrain survives a restart of the server or of VS Code.
 */
export class RetrainingBaselineStore implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(
    client: LanguageClient,
    private readonly state: vscode.Memento,
  ) {
    this.subscription = client.onNotification(retrainingBaselineNotification, (b) => void this.keep(b));
  }

  /** Every kept baseline, for initialize's options. */
  all(): Baselines {
    const stored = this.state.get<unknown>(STATE_KEY);
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {};
    // state written by another version of the extension may hold anything: keep only well-formed entries
    return Object.fromEntries(Object.entries(stored).filter(([, keys]) => Array.isArray(keys) && keys.every((k) => typeof k === 'string'))) as Baselines;
  }

  private async keep(baseline: RetrainingBaseline): Promise<void> {
    const others = Object.entries(this.all()).filter(([uri]) => uri !== baseline.dataset);
    // insertion order is update order: the newest last, the oldest dropped first
    const kept = [...others.slice(Math.max(0, others.length - (MAX_DATASETS - 1))), [baseline.dataset, baseline.keys] as const];
    await this.state.update(STATE_KEY, Object.fromEntries(kept));
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
