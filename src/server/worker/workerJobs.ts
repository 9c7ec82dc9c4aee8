import { ErrorCodes, ResponseError, type CancellationToken, type Disposable } from 'vscode-jsonrpc/node';
import {
  ServerCallback,
  WorkerMethod,
  WorkerNotification,
  type CreditScoreParams,
  type CreditScoreResult,
  type CreditTrainParams,
  type EntityPredictParams,
  type EntityPredictResult,
  type EntityTrainParams,
  type EvaluateCreditParams,
  type EvaluateEntitiesParams,
  type EvaluationResult,
  type GbdtBaselineParams,
  type GbdtBaselineResult,
  type ExportEntitiesParams,
  type ExportResult,
  type JobProgress,
  type TrainResult,
} from '../../common/workerProtocol';
import { evaluateCredit } from '../credit/creditDataset';
import { evaluateEntities, type EncodedEntitySplit } from '../entities/entityDataset';

/** What WorkerJobs needs of the worker: WorkerSupervisor (or WorkerProcess) provides it. */
export interface WorkerChannel {
  request<R>(method: string, params?: unknown, token?: CancellationToken): Promise<R>;
  onRequest<P, R>(method: string, handler: (params: P, token: CancellationToken) => R | Promise<R>): Disposable;
  onNotification<P>(method: string, handler: (params: P) => void): Disposable;
}

export interface JobOptions {
  token?: CancellationToken;
  onProgress?: (progress: JobProgress) => void;
  /** The server's dev figure for each epoch, as it answers the worker. */
  onEvaluation?: (epoch: number, result: EvaluationResult) => void;
}

/**
 * Typed calls of the worker's training, prediction, scoring, export and cancel methods, and the
 * server's side of a training job: while a job runs, its dev set answers the worker's evaluate/*
 * callbacks (the server owns every metric) and its progress notifications go to the job's listener.
 */
export class WorkerJobs implements Disposable {
  private readonly entityDevSets = new Map<string, EncodedEntitySplit>();
  private readonly creditDevLabels = new Map<string, readonly (0 | 1)[]>();
  private readonly progressListeners = new Map<string, (progress: JobProgress) => void>();
  private readonly evaluationListeners = new Map<string, (epoch: number, result: EvaluationResult) => void>();
  private readonly registrations: Disposable[];

  constructor(private readonly worker: WorkerChannel) {
    this.registrations = [
      worker.onRequest<EvaluateEntitiesParams, EvaluationResult>(ServerCallback.evaluateEntities, (params) =>
        this.reported(params, evaluateEntities(this.lookup(this.entityDevSets, params.jobId, 'entity'), params)),
      ),
      worker.onRequest<EvaluateCreditParams, EvaluationResult>(ServerCallback.evaluateCredit, (params) =>
        this.reported(params, evaluateCredit(this.lookup(this.creditDevLabels, params.jobId, 'credit'), params)),
      ),
      worker.onNotification<JobProgress>(WorkerNotification.progress, (progress) => this.progressListeners.get(progress.jobId)?.(progress)),
    ];
  }

  /** Trains the entity model; `dev` is the encoded split whose examples are params.dev. */
  trainEntities(params: EntityTrainParams, dev: EncodedEntitySplit, options: JobOptions = {}): Promise<TrainResult> {
    if (dev.examples.length !== params.dev.length) {
      return Promise.reject(new RangeError(`the dev set has ${dev.examples.length} examples but the training request sends ${params.dev.length}`));
    }
    return this.runJob(params.jobId, this.entityDevSets, dev, WorkerMethod.trainEntities, params, options);
  }

  /** Trains the credit model; `devLabels` are the labels of params.dev, in order. */
  trainCredit(params: CreditTrainParams, options: JobOptions = {}): Promise<TrainResult> {
    return this.runJob(
      params.jobId,
      this.creditDevLabels,
      params.dev.map((e) => e.label),
      WorkerMethod.trainCredit,
      params,
      options,
    );
  }

  exportEntities(params: ExportEntitiesParams, options: JobOptions = {}): Promise<ExportResult> {
    return this.runJob(params.jobId, undefined, undefined, WorkerMethod.exportEntities, params, options);
  }

  predictEntities(params: EntityPredictParams, token?: CancellationToken): Promise<EntityPredictResult> {
    return this.worker.request<EntityPredictResult>(WorkerMethod.predictEntities, params, token);
  }

  scoreCredit(params: CreditScoreParams, token?: CancellationToken): Promise<CreditScoreResult> {
    return this.worker.request<CreditScoreResult>(WorkerMethod.scoreCredit, params, token);
  }

  gbdtBaseline(params: GbdtBaselineParams, token?: CancellationToken): Promise<GbdtBaselineResult> {
    return this.worker.request<GbdtBaselineResult>(WorkerMethod.gbdtBaseline, params, token);
  }

  cancel(jobId: string): Promise<{ cancelled: boolean }> {
    return this.worker.request<{ cancelled: boolean }>(WorkerMethod.cancel, { jobId });
  }

  dispose(): void {
    for (const r of this.registrations) r.dispose();
  }

  private async runJob<T, R>(
    jobId: string,
    devSets: Map<string, T> | undefined,
    dev: T | undefined,
    method: string,
    params: unknown,
    options: JobOptions,
  ): Promise<R> {
    if (this.progressListeners.has(jobId) || devSets?.has(jobId)) throw new RangeError(`a job with id "${jobId}" is already running`);
    if (devSets && dev !== undefined) devSets.set(jobId, dev);
    if (options.onProgress) this.progressListeners.set(jobId, options.onProgress);
    if (options.onEvaluation) this.evaluationListeners.set(jobId, options.onEvaluation);
    try {
      return await this.worker.request<R>(method, params, options.token);
    } finally {
      devSets?.delete(jobId);
      this.progressListeners.delete(jobId);
      this.evaluationListeners.delete(jobId);
    }
  }

  private reported(params: { jobId: string; epoch: number }, result: EvaluationResult): EvaluationResult {
    this.evaluationListeners.get(params.jobId)?.(params.epoch, result);
    return result;
  }

  private lookup<T>(map: Map<string, T>, jobId: string, kind: string): T {
    const found = map.get(jobId);
    if (found === undefined) throw new ResponseError(ErrorCodes.InvalidParams, `no ${kind} training job "${jobId}" is waiting for a dev evaluation`);
    return found;
  }
}
