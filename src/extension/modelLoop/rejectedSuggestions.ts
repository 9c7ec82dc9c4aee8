import type * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { rejectedSuggestionsNotification } from '../../common/lspProtocol';

const STATE_KEY = 'finlabel.rejectedSuggestions';

/**
 * The pre-annotation suggestions the user rejected, by key (record text hash, span, type). Kept in the
 * workspace's state, never in the dataset file, so they survive a reload; the language server gets the
 * whole set on start, after a restart, and on every change, and leaves them out of what it suggests.
 */
export class RejectedSuggestions implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly state: vscode.Memento,
    private readonly client: LanguageClient,
  ) {
    this.subscription = client.onDidChangeState((e) => {
      if (e.newState === State.Running) this.send();
    });
  }

  get keys(): readonly string[] {
    return this.state.get<string[]>(STATE_KEY, []);
  }

  /** Adds keys to the set; returns those that were not in it yet (what undoing this must take out again). */
  async add(keys: readonly string[]): Promise<string[]> {
    const all = new Set(this.keys);
    const added = [...new Set(keys)].filter((k) => typeof k === 'string' && !all.has(k));
    if (added.length === 0) return [];
    for (const k of added) all.add(k);
    await this.state.update(STATE_KEY, [...all]);
    this.send();
    return added;
  }

  /** Takes keys out of the set again (undo): those suggestions show again. */
  async remove(keys: readonly string[]): Promise<void> {
    const gone = new Set(keys);
    const kept = this.keys.filter((k) => !gone.has(k));
    if (kept.length === this.keys.length) return;
    await this.state.update(STATE_KEY, kept);
    this.send();
  }

  send(): void {
    if (this.client.state !== State.Running) return;
    void this.client.sendNotification(rejectedSuggestionsNotification, { keys: [...this.keys] });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
