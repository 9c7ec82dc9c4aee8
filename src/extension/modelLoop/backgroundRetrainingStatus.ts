import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { backgroundRetrainingNotification, type BackgroundRetrainingStatus } from '../../common/lspProtocol';
import { setActiveModel } from '../models/activeModels';

/** The "FinLabel Training" log, where every retrain's lines go. */
const SHOW_LOG_COMMAND = 'finlabel.showTrainingLog';

const ICONS: Record<BackgroundRetrainingStatus['state'], string> = {
  off: '',
  counting: '$(mortar-board)',
  training: '$(sync~spin)',
  swapped: '$(check)',
  kept: '$(circle-slash)',
  failed: '$(warning)',
  cancelled: '$(circle-slash)',
};

/**
 * Background retraining as the user sees it: a status bar item with the label changes counted toward
 * the next retrain, the retrain running, and how the last one ended (tooltip: the figures). When the
 * server reports a retrained model that is not worse, it is made active in the workspace settings,
 * which the server's predictions and suggestions follow.
 */
export class BackgroundRetrainingStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('finlabel.backgroundRetraining', vscode.StatusBarAlignment.Left, 48);
  private readonly subscriptions: vscode.Disposable[];
  private last: BackgroundRetrainingStatus | undefined;
  /** How the last retrain ended: shown until the next label change is counted, then in the tooltip. */
  private lastOutcome: BackgroundRetrainingStatus | undefined;
  private readonly changedEmitter = new vscode.EventEmitter<BackgroundRetrainingStatus>();
  /** Fires after a status was shown (and a swapped-in model made active). */
  readonly onDidChange = this.changedEmitter.event;

  constructor(
    client: LanguageClient,
    private readonly log: vscode.OutputChannel,
  ) {
    this.item.name = 'FinLabel Background Retraining';
    this.subscriptions = [this.item, this.changedEmitter, client.onNotification(backgroundRetrainingNotification, (s) => void this.update(s))];
  }

  /** The last status the server sent (tests, the status command). */
  get status(): BackgroundRetrainingStatus | undefined {
    return this.last;
  }

  get text(): string {
    return this.item.text;
  }

  private async update(status: BackgroundRetrainingStatus): Promise<void> {
    this.last = status;
    if (status.state !== 'counting') this.log.appendLine(`[${new Date().toTimeString().slice(0, 8)}] background retraining: ${status.message}`);
    if (status.state === 'swapped' && status.modelDir) await setActiveModel('entities', status.modelDir, false);
    const ended = status.state === 'swapped' || status.state === 'kept' || status.state === 'failed' || status.state === 'cancelled';
    if (ended) this.lastOutcome = status;
    const stillShowsOutcome = status.state === 'counting' && status.changes === 0 && this.lastOutcome?.dataset === status.dataset;
    this.render(stillShowsOutcome && this.lastOutcome ? this.lastOutcome : status);
    this.changedEmitter.fire(status);
  }

  private render(status: BackgroundRetrainingStatus): void {
    if (status.state === 'off') {
      this.item.hide();
      return;
    }
    const dataset = status.dataset ? path.basename(status.dataset) : '';
    const figures = status.devF1
      ? ` (dev F1 ${status.devF1.active === null ? '–' : status.devF1.active.toFixed(2)} → ${status.devF1.retrained.toFixed(2)})`
      : '';
    const texts: Record<Exclude<BackgroundRetrainingStatus['state'], 'off'>, string> = {
      counting: `${status.changes}/${status.afterLabels}`,
      training: 'learning from your labels…',
      swapped: `model updated${figures}`,
      kept: `model kept${figures}`,
      failed: 'retrain failed',
      cancelled: 'retrain cancelled',
    };
    this.item.text = `${ICONS[status.state]} ${texts[status.state]}`;
    // While it trains, the click offers what the training item offers (the log, cancel).
    this.item.command = status.state === 'training' ? 'finlabel.trainingStatusActions' : SHOW_LOG_COMMAND;
    const outcome = this.lastOutcome && status.state === 'counting' ? `\n\nLast retrain: ${this.lastOutcome.message}` : '';
    this.item.tooltip = `FinLabel background retraining${dataset ? ` (${dataset})` : ''}: ${status.message}${outcome}\n\nClick for the log (and, while it trains, to cancel); finlabel.backgroundRetraining.* to change or turn it off.`;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
