import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  trainingEndedNotification,
  trainingProgressNotification,
  type TrainingEndedParams,
  type TrainingJobInfo,
  type TrainingProgressParams,
} from '../../common/lspProtocol';
import { percentDone, progressSummary } from './progressText';

const TASK_NAMES = { entities: 'entity', credit: 'credit' } as const;

/**
 * Follows the server's training jobs: every line goes to the "FinLabel Training" output channel,
 * the status bar shows the running job (click: output or cancel), and commands can wait for a job's end.
 */
export class TrainingMonitor implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel('FinLabel Training');
  private readonly item = vscode.window.createStatusBarItem('finlabel.training', vscode.StatusBarAlignment.Left, 49);
  private readonly jobs = new Map<string, { info: TrainingJobInfo; summary: string }>();
  private readonly endings = new Map<string, TrainingEndedParams>();
  private readonly waiters = new Map<string, ((ended: TrainingEndedParams) => void)[]>();
  private readonly progressEmitter = new vscode.EventEmitter<TrainingProgressParams>();
  private readonly endedEmitter = new vscode.EventEmitter<TrainingEndedParams>();
  readonly onProgress = this.progressEmitter.event;
  readonly onEnded = this.endedEmitter.event;
  private readonly disposables: vscode.Disposable[];

  constructor(client: LanguageClient) {
    this.item.name = 'FinLabel Training';
    this.item.command = 'finlabel.trainingStatusActions';
    this.disposables = [
      this.output,
      this.item,
      this.progressEmitter,
      this.endedEmitter,
      client.onNotification(trainingProgressNotification, (p) => this.progress(p)),
      client.onNotification(trainingEndedNotification, (e) => this.ended(e)),
    ];
  }

  /** Jobs queued or running, as last reported. */
  get active(): TrainingJobInfo[] {
    return [...this.jobs.values()].map((j) => j.info);
  }

  get statusText(): string {
    return this.jobs.size === 0 ? '' : this.item.text;
  }

  /** Resolves when the job has ended (at once when it already has). */
  whenEnded(jobId: string): Promise<TrainingEndedParams> {
    const done = this.endings.get(jobId);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => this.waiters.set(jobId, [...(this.waiters.get(jobId) ?? []), resolve]));
  }

  /** The job is known as soon as the start request answers, before its first notification. */
  track(info: TrainingJobInfo): void {
    if (!this.endings.has(info.jobId) && !this.jobs.has(info.jobId)) this.jobs.set(info.jobId, { info, summary: info.state });
    this.render();
  }

  private progress(p: TrainingProgressParams): void {
    this.output.appendLine(`[${time()}] ${p.job.jobId}: ${p.line}`);
    if (this.endings.has(p.job.jobId)) return;
    const summary = p.progress ? progressSummary(p.progress) : p.job.state === 'queued' ? p.line : (this.jobs.get(p.job.jobId)?.summary ?? p.job.state);
    const percent = p.progress ? percentDone(p.progress) : null;
    this.jobs.set(p.job.jobId, { info: p.job, summary: percent === null ? summary : `${summary} (${Math.floor(percent)}%)` });
    this.render();
    this.progressEmitter.fire(p);
  }

  private ended(e: TrainingEndedParams): void {
    const what = e.outcome === 'finished' ? `finished: ${e.modelDir}` : e.outcome === 'failed' ? `failed (${e.kind}): ${e.message}` : 'cancelled';
    this.output.appendLine(`[${time()}] ${e.job.jobId}: ${what}`);
    for (const note of e.notes) this.output.appendLine(`[${time()}] ${e.job.jobId}: ${note}`);
    this.jobs.delete(e.job.jobId);
    this.endings.set(e.job.jobId, e);
    this.render();
    for (const resolve of this.waiters.get(e.job.jobId) ?? []) resolve(e);
    this.waiters.delete(e.job.jobId);
    this.endedEmitter.fire(e);
  }

  private render(): void {
    const running = [...this.jobs.values()].find((j) => j.info.state !== 'queued') ?? [...this.jobs.values()][0];
    if (!running) {
      this.item.hide();
      return;
    }
    const queued = this.jobs.size - 1;
    const what = running.info.background ? 'Retraining entity model on your labels' : `Training ${TASK_NAMES[running.info.task]} model`;
    this.item.text = `$(sync~spin) ${what}: ${running.summary}${queued > 0 ? ` (+${queued} queued)` : ''}`;
    this.item.tooltip = `${running.info.dataset} → ${running.info.outDir}\nClick to show the log or cancel.`;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function time(): string {
  return new Date().toTimeString().slice(0, 8);
}
