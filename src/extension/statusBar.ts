import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { WorkerStatus } from '../common/workerProtocol';

/** One status bar item: the language server's state and the worker's device (GPU name or CPU). */
export class FinLabelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('finlabel.status', vscode.StatusBarAlignment.Left, 50);
  private serverState: State = State.Stopped;
  private worker: WorkerStatus = { state: 'stopped' };

  constructor() {
    this.item.name = 'FinLabel';
    this.item.command = 'finlabel.showStatus';
    this.render();
    this.item.show();
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
        ].filter(Boolean).join('\n');
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
