import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  trainingCancelRequest,
  trainingStartRequest,
  type TrainingBase,
  type TrainingEndedParams,
  type TrainingStartParams,
  type TrainingTask,
} from '../../common/lspProtocol';
import type { TrainingMonitor } from './trainingMonitor';
import { showOutcome } from './trainingOutcome';
import { pickBase, pickDataset, resolveFolder } from './trainingPickers';
import { percentDone, progressSummary } from './progressText';

/**
 * What a train command may be given instead of asking (scripts, keybindings, tests): the dataset
 * (a Uri or path), the base ('tiny' or a folder), and the training settings.
 */
export interface TrainCommandOptions {
  dataset?: vscode.Uri | string;
  base?: 'tiny' | string;
  outDir?: string;
  epochs?: number;
  batchSize?: number;
  device?: 'auto' | 'cpu' | 'cuda';
}

export interface TrainingCommandContext {
  client: () => LanguageClient;
  monitor: TrainingMonitor;
  state: vscode.Memento;
}

const TASK_TITLE: Record<TrainingTask, string> = { entities: 'entity', credit: 'credit' };

function optionsOf(arg: unknown): TrainCommandOptions {
  return arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as TrainCommandOptions) : arg instanceof vscode.Uri ? { dataset: arg } : {};
}

/**
 * Train Entity Model / Train Credit Model: asks for what it is not given, queues the job in the
 * server, follows it in a cancellable notification, and says how it ended. Resolves with the end.
 */
export async function trainModel(ctx: TrainingCommandContext, task: TrainingTask, arg?: unknown): Promise<TrainingEndedParams | undefined> {
  const given = optionsOf(arg);
  const dataset =
    given.dataset === undefined ? await pickDataset(task, ctx.state) : typeof given.dataset === 'string' ? vscode.Uri.file(given.dataset) : given.dataset;
  if (!dataset) return undefined;
  const base: TrainingBase | undefined =
    given.base === undefined ? await pickBase(task, ctx.state) : given.base === 'tiny' ? { kind: 'tiny' } : { kind: 'folder', path: resolveFolder(given.base) };
  if (!base) return undefined;
  const params: TrainingStartParams = {
    task,
    datasetUri: dataset.toString(),
    base,
    outDir: given.outDir,
    epochs: given.epochs,
    batchSize: given.batchSize,
    device: given.device,
  };
  const started = await ctx.client().sendRequest(trainingStartRequest, params);
  if (!started.ok) {
    void vscode.window.showErrorMessage(`FinLabel: cannot start training: ${started.message}`);
    return undefined;
  }
  const job = started.job;
  ctx.monitor.track(job);
  const ended = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `FinLabel: training the ${TASK_TITLE[task]} model`, cancellable: true },
    async (progress, token) => {
      progress.report({ message: job.position > 0 ? `queued behind ${job.position} job(s)` : 'preparing the data' });
      let done = 0;
      const listener = ctx.monitor.onProgress((p) => {
        if (p.job.jobId !== job.jobId) return;
        const percent = p.progress ? percentDone(p.progress) : null;
        const increment = percent === null ? undefined : Math.max(0, percent - done);
        if (percent !== null) done = Math.max(done, percent);
        progress.report({ message: p.progress ? progressSummary(p.progress) : p.line, increment });
      });
      const cancel = token.onCancellationRequested(() => void ctx.client().sendRequest(trainingCancelRequest, { jobId: job.jobId }));
      try {
        return await ctx.monitor.whenEnded(job.jobId);
      } finally {
        listener.dispose();
        cancel.dispose();
      }
    },
  );
  showOutcome(ended, ctx.monitor.output);
  return ended;
}

/** Cancel Training: the job given, the only one, or the one picked. */
export async function cancelTraining(ctx: TrainingCommandContext, jobId?: unknown): Promise<boolean> {
  let id = typeof jobId === 'string' ? jobId : undefined;
  if (id === undefined) {
    const jobs = ctx.monitor.active;
    if (jobs.length === 0) {
      void vscode.window.showInformationMessage('FinLabel: no training job is running.');
      return false;
    }
    const picked =
      jobs.length === 1
        ? jobs[0]
        : (
            await vscode.window.showQuickPick(
              jobs.map((j) => ({ label: `${TASK_TITLE[j.task]} model from ${vscode.workspace.asRelativePath(j.dataset)}`, description: j.state, job: j })),
              { title: 'FinLabel: cancel which job?' },
            )
          )?.job;
    id = picked?.jobId;
  }
  if (id === undefined) return false;
  const { cancelled } = await ctx.client().sendRequest(trainingCancelRequest, { jobId: id });
  return cancelled;
}

/** The training status bar item's click: the log, or cancel. */
export async function trainingStatusActions(ctx: TrainingCommandContext): Promise<void> {
  const choice = await vscode.window.showQuickPick([
    { label: '$(output) Show Training Log', run: () => ctx.monitor.output.show() },
    { label: '$(stop-circle) Cancel Training', run: () => cancelTraining(ctx) },
  ]);
  await choice?.run();
}

export function registerTrainingCommands(ctx: TrainingCommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('finlabel.trainEntityModel', (arg?: unknown) => trainModel(ctx, 'entities', arg)),
    vscode.commands.registerCommand('finlabel.trainCreditModel', (arg?: unknown) => trainModel(ctx, 'credit', arg)),
    vscode.commands.registerCommand('finlabel.cancelTraining', (jobId?: unknown) => cancelTraining(ctx, jobId)),
    vscode.commands.registerCommand('finlabel.trainingStatusActions', () => trainingStatusActions(ctx)),
    vscode.commands.registerCommand('finlabel.showTrainingLog', () => ctx.monitor.output.show()),
  ];
}
