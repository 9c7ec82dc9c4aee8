import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { PredictionDepth } from '../common/lspProtocol';
import type { WorkerStatus } from '../common/workerProtocol';

/**
 * One status bar item: the language server's state and the worker's device (GPU name or CPU); and,
 * when the entity model is out of its depth in the active document, that, instead of the device.
 */
export class FinLabelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('finlabel.status', vscode.StatusBarAlignment.Left, 50);
  private serverState: State = State.Stopped;
  private worker: WorkerStatus = { state: 'stopped' };
  /** The last prediction depth of each document, by URI. */
  private readonly depths = new Map<string, PredictionDepth>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.item.name = 'FinLabel';
    this.item.command = 'finlabel.showStatus';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (this.depths.delete(doc.uri.toString())) this.render();
      }),
    );
    this.render();
    this.item.show();
  }

  /** A document's predictions were published: remembers their depth (undefined: no model). */
  setPredictionDepth(uri: string, depth: PredictionDepth | undefined): void {
    if (depth) this.depths.set(uri, depth);
    else this.depths.delete(uri);
    if (uri === vscode.window.activeTextEditor?.document.uri.toString()) this.render();
  }

  setServerState(state: State): void {
    this.serverState = state;
    this.render();
  }

  setWorker(status: WorkerStatus): void {
    this.worker = status;
    this.render();
  }

  get workerStatus(): WorkerStatus {
    return this.worker;
  }

  /** The text shown, for tests and the status command. */
  get text(): string {
    return this.item.text;
  }

  get tooltip(): string {
    return typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? '');
  }

  private render(): void {
    this.item.backgroundColor = undefined;
    if (this.serverState === State.Starting) {
      this.item.text = '$(loading~spin) FinLabel';
      this.item.tooltip = 'FinLabel: starting the language server';
      return;
    }
    if (this.serverState === State.Stopped || this.serverState === State.StartFailed) {
      this.item.text = '$(error) FinLabel: server stopped';
      this.item.tooltip = 'The FinLabel language server is not running. Click for actions.';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      return;
    }
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    const depth = active === undefined ? undefined : this.depths.get(active);
    if (depth?.outOfDepth) {
      this.item.text = `$(warning) FinLabel: model out of its depth here (${depth.lowConfidence} of ${depth.candidates} spans low-confidence); predictions hidden`;
      this.item.tooltip = `FinLabel: ${depth.message}.\nClick for the worker and model status.`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      return;
    }
    const w = this.worker;
    switch (w.state) {
      case 'stopped':
        this.item.text = '$(circle-outline) FinLabel';
        this.item.tooltip = 'FinLabel: language server running; the Python worker starts when a job needs it.';
        return;
      case 'starting':
        this.item.text = '$(loading~spin) FinLabel: worker';
        this.item.tooltip = `FinLabel: starting the Python worker with ${w.python}`;
        return;
      case 'ready': {
        const device = w.device.device === 'cuda' ? `GPU ${w.device.name}` : 'CPU';
        this.item.text = `$(${w.device.device === 'cuda' ? 'zap' : 'server-process'}) FinLabel: ${device}`;
        this.item.tooltip = [
          `FinLabel worker on ${w.device.device === 'cuda' ? w.device.name : `CPU (${w.device.name})`}`,
          `torch ${w.device.torchVersion}${w.device.cudaVersion ? `, CUDA ${w.device.cudaVersion}` : ''}, Python ${w.device.pythonVersion}`,
          `interpreter: ${w.python}`,
          w.restarts > 0 ? `restarted ${w.restarts} time(s) after a crash` : '',
        ]
          .filter(Boolean)
          .join('\n');
        return;
      }
      case 'unavailable':
        this.item.text = `$(warning) FinLabel: ${shortProblem(w.problem)}`;
        this.item.tooltip = `${w.message}\nClick for the fix.`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        return;
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}

function shortProblem(problem: Extract<WorkerStatus, { state: 'unavailable' }>['problem']): string {
  switch (problem) {
    case 'python-not-found':
      return 'no Python';
    case 'missing-package':
      return 'missing Python package';
    case 'crashed':
      return 'worker crashed';
    case 'start-failed':
      return 'worker failed';
  }
}
