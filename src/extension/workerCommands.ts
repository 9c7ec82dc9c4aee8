import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createEnvironmentRequest, environmentProgressNotification, restartWorkerRequest, stopWorkerRequest, workerStatusRequest } from '../common/lspProtocol';
import type { WorkerStatus } from '../common/workerProtocol';
import { managedEnvironmentDir } from './settings';

const CREATE = 'Create Environment';
const SELECT = 'Select Interpreter';
const SHOW_OUTPUT = 'Show Output';

/** Context the worker commands need: the client, the output, and a way to push settings to the server. */
export interface WorkerCommandContext {
  extension: vscode.ExtensionContext;
  client: () => LanguageClient;
  output: vscode.OutputChannel;
  pushSettings: () => void;
}

export async function restartWorker(ctx: WorkerCommandContext): Promise<WorkerStatus> {
  return ctx.client().sendRequest(restartWorkerRequest);
}

export async function stopWorker(ctx: WorkerCommandContext): Promise<WorkerStatus> {
  return ctx.client().sendRequest(stopWorkerRequest);
}

export async function workerStatus(ctx: WorkerCommandContext, start: boolean): Promise<WorkerStatus> {
  return ctx.client().sendRequest(workerStatusRequest, { start });
}

/** Lets the user pick a Python executable and stores it in finlabel.python.interpreterPath. */
export async function selectPythonInterpreter(ctx: WorkerCommandContext): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Python interpreter for the FinLabel worker (needs torch, transformers, peft)',
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    openLabel: 'Use this interpreter',
  });
  const file = picked?.[0]?.fsPath;
  if (!file) return undefined;
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    void vscode.window.showErrorMessage(`FinLabel: ${file} is not an executable file.`);
    return undefined;
  }
  const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('finlabel').update('python.interpreterPath', file, target);
  ctx.pushSettings();
  await restartWorker(ctx);
  return file;
}

/**
 * Creates a virtual environment in the extension's global storage with the worker's pinned
 * requirements, showing pip's progress in a cancellable notification, then restarts the worker on it.
 */
export async function createPythonEnvironment(ctx: WorkerCommandContext): Promise<string | undefined> {
  const venvDir = managedEnvironmentDir(ctx.extension);
  const client = ctx.client();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: "FinLabel: creating the worker's Python environment", cancellable: true },
    async (progress, token) => {
      const listener = client.onNotification(environmentProgressNotification, (p) => {
        ctx.output.appendLine(`[environment] ${p.message}`);
        progress.report({ message: p.message, increment: p.increment });
      });
      try {
        const result = await client.sendRequest(createEnvironmentRequest, { venvDir, basePython: '' }, token);
        ctx.pushSettings();
        const status = await restartWorker(ctx);
        const where = status.state === 'ready' ? ` The worker runs on ${status.device.device === 'cuda' ? status.device.name : 'the CPU'}.` : '';
        void vscode.window.showInformationMessage(`FinLabel: Python environment ready at ${venvDir}.${where}`);
        return result.pythonPath;
      } catch (err) {
        if (token.isCancellationRequested) {
          void vscode.window.showInformationMessage('FinLabel: environment creation cancelled.');
          return undefined;
        }
        ctx.output.appendLine(`[environment] failed: ${(err as Error).message}`);
        void vscode.window.showErrorMessage(`FinLabel: could not create the environment: ${(err as Error).message}`, SHOW_OUTPUT).then((c) => {
          if (c === SHOW_OUTPUT) ctx.output.show();
        });
        return undefined;
      } finally {
        listener.dispose();
      }
    },
  );
}

/** Says once per problem what is wrong with the worker and offers the fix. */
export class WorkerProblemNotifier {
  private shown = new Set<string>();

  constructor(private readonly ctx: WorkerCommandContext) {}

  notify(status: WorkerStatus): void {
    if (status.state !== 'unavailable') {
      if (status.state === 'ready') this.shown.clear();
      return;
    }
    if (this.shown.has(status.problem)) return;
    this.shown.add(status.problem);
    this.ctx.output.appendLine(`[worker] ${status.message}${status.stderr ? `\n${status.stderr}` : ''}`);
    const actions = status.problem === 'crashed' ? ['Restart Worker', SHOW_OUTPUT] : [CREATE, SELECT, SHOW_OUTPUT];
    void vscode.window.showWarningMessage(`FinLabel: ${status.message}`, ...actions).then(async (choice) => {
      if (choice === CREATE) await createPythonEnvironment(this.ctx);
      else if (choice === SELECT) await selectPythonInterpreter(this.ctx);
      else if (choice === 'Restart Worker') await restartWorker(this.ctx);
      else if (choice === SHOW_OUTPUT) this.ctx.output.show();
    });
  }
}

/** "FinLabel: Show Status": what runs where, and the actions that apply. */
export async function showStatus(ctx: WorkerCommandContext, status: WorkerStatus): Promise<void> {
  const items: (vscode.QuickPickItem & { run: () => unknown })[] = [
    { label: '$(debug-restart) Restart Python Worker', run: () => restartWorker(ctx) },
    { label: '$(debug-stop) Stop Python Worker', run: () => stopWorker(ctx) },
    { label: '$(file-code) Select Python Interpreter…', run: () => selectPythonInterpreter(ctx) },
    {
      label: '$(package) Create Python Environment for the Worker',
      detail: `in ${managedEnvironmentDir(ctx.extension)}`,
      run: () => createPythonEnvironment(ctx),
    },
    { label: '$(refresh) Restart Language Server', run: () => vscode.commands.executeCommand('finlabel.restartServer') },
    { label: '$(output) Show Output', run: () => ctx.output.show() },
  ];
  const title =
    status.state === 'ready'
      ? `Worker on ${status.device.device === 'cuda' ? status.device.name : 'CPU'} (${status.python})`
      : status.state === 'unavailable'
        ? status.message
        : `Worker ${status.state}`;
  const choice = await vscode.window.showQuickPick(items, { title: `FinLabel — ${title}` });
  await choice?.run();
}
