import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import type {
  TrainingEndedParams,
  TrainingJobInfo,
  TrainingProblem,
  TrainingProgressParams,
  TrainingStartParams,
  TrainingStartResult,
} from '../../common/lspProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import { WorkerErrorCode, type BaseModel, type TrainHyperparameters, type TrainResult, type WorkerStatus } from '../../common/workerProtocol';
import { CreditConfigError } from '../credit/creditColumns';
import { CsvEncodingError } from '../credit/csvBytes';
import { decodeUtf8File, NotUtf8Error } from '../encoding/utf8File';
import { CsvSyntaxError } from '../credit/csvTable';
import { TokenizerLoadError } from '../tokenization/tokenizerFolder';
import type { JobOptions, WorkerJobs } from '../worker/workerJobs';
import { WorkerUnavailableError } from '../worker/workerSupervisor';
import { baseTokenizerDir, BaseModelError, TINY_CREDIT_BASE, TINY_CREDIT_LEARNING_RATE, TINY_ENTITY_BASE } from './baseModels';
import { prepareCreditTraining } from './creditTraining';
import { calibrationSummary } from '../calibration/calibrationSummary';
import { calibrateEntityModelFolder } from './calibrateEntityModel';
import { prepareEntityTraining, TrainingInputError } from './entityTraining';
import type { LabelledText } from './labelledRecordScores';
import { checkInsideWorkspace } from '../workspace/workspacePaths';
import { newModelFolderIn } from './newModelFolder';
import { progressLine } from './progressLine';
import { halfBatch, trainingFailure, type TrainingFailure } from './trainingFailure';
import { problemAt } from './trainingProblems';

export interface TrainingJobsOptions {
  /** The server's one WorkerJobs: it answers the worker's evaluate callbacks. */
  jobs: Pick<WorkerJobs, 'trainEntities' | 'trainCredit'>;
  /** Starts the worker when needed; anything but 'ready' fails the job with the status's reason. */
  ensureWorker: () => Promise<WorkerStatus>;
  schema: () => LabelSchema;
  /** The dataset's bytes: an open document's text (unsaved edits included) for a JSONL, else the file. */
  readDataset: (file: string) => Promise<Uint8Array>;
  /** The workspace folders (file-system paths): the dataset and the model folder must be inside them; a dataset's models go to the one holding it. */
  workspaceFolders: () => string[];
  onProgress: (params: TrainingProgressParams) => void;
  onEnded: (params: TrainingEndedParams) => void;
  now?: () => Date;
}

/** What background retraining adds to an entity job (backgroundRetraining.ts). */
export interface BackgroundJobSpec {
  /** The text to train on (the dataset's labelled records), instead of the dataset's. */
  content: string;
  /** The dev records, apart (stableDevSplit): then all of `content` trains. */
  devContent?: string;
  /** Settings on top of the base's defaults: the time budget, one thread, the schedule. */
  hyper: TrainHyperparameters;
  /**
   * Called once the model is trained and calibrated, with its dev split: decides whether it is
   * swapped in or removed, and returns the line to report.
   */
  review: (modelDir: string, devRecords: readonly LabelledText[]) => Promise<string>;
}

interface Job {
  info: TrainingJobInfo;
  params: TrainingStartParams;
  background?: BackgroundJobSpec;
  cancel: CancellationTokenSource;
  /** Set when the job was cancelled to let a job the user started run. */
  gaveWay?: boolean;
  /** Resolves when the job has ended, whatever the outcome. */
  ended: Promise<TrainingEndedParams>;
  markEnded: (ended: TrainingEndedParams) => void;
}

/** A prepared job: what to send to the worker, and what the preparation left out. */
interface Prepared {
  problems: TrainingProblem[];
  hyper: TrainHyperparameters;
  train: (hyper: TrainHyperparameters, options: JobOptions) => Promise<TrainResult>;
  /** Entity models: calibrates the trained folder on the run's own dev split; returns the line to report. */
  calibrate?: (modelDir: string) => Promise<string>;
  /** Entity models: the dev split's records. */
  devRecords?: readonly LabelledText[];
}

/** TrainingEndedParams without the job, each outcome kept apart. */
type Ending = TrainingEndedParams extends infer T ? (T extends unknown ? Omit<T, 'job'> : never) : never;

class Cancelled extends Error {}

const DATASET_ERRORS = [TrainingInputError, CsvSyntaxError, CsvEncodingError, NotUtf8Error, CreditConfigError];

/**
 * The language server's training jobs: a queue in front of the worker, which runs one job at a time.
 * Each job reads and prepares its dataset (problems with their file and line), trains in the worker
 * with progress and per-epoch dev figures, retries once with half the batch size when CUDA runs out
 * of memory, and ends finished, failed (with what to do about it) or cancelled.
 */
export class TrainingJobs {
  private readonly queue: Job[] = [];
  private running: Job | undefined;
  private counter = 0;
  private closed = false;

  constructor(private readonly options: TrainingJobsOptions) {}

  list(): TrainingJobInfo[] {
    return [...(this.running ? [this.running] : []), ...this.queue].map((j) => ({ ...j.info }));
  }

  /**
   * Queues a job. A job the user starts goes before every background job and cancels a running one
   * (which its retraining starts again later); a `background` job waits behind everything.
   */
  start(params: TrainingStartParams, background?: BackgroundJobSpec): TrainingStartResult {
    if (this.closed) return { ok: false, message: 'the FinLabel server is shutting down' };
    if (!params.datasetUri.startsWith('file:')) return { ok: false, message: `${params.datasetUri} is not a file on disk; save it first` };
    const dataset = fileURLToPath(params.datasetUri);
    const datasetInside = checkInsideWorkspace(this.options.workspaceFolders(), dataset, 'the dataset');
    if (!datasetInside.ok) return { ok: false, message: datasetInside.message };
    const outDir = params.outDir ? path.resolve(params.outDir) : this.freeModelDir(datasetInside.root, dataset, params.task, background ? '-retrained' : '');
    const outInside = checkInsideWorkspace(this.options.workspaceFolders(), outDir, 'the model folder');
    if (!outInside.ok) return { ok: false, message: outInside.message };
    if (existsSync(outDir) || this.list().some((j) => j.outDir === outDir)) {
      return { ok: false, message: `${outDir} already exists; a model folder is never overwritten` };
    }
    let markEnded!: (ended: TrainingEndedParams) => void;
    const ended = new Promise<TrainingEndedParams>((resolve) => (markEnded = resolve));
    const job: Job = {
      info: {
        jobId: `${params.task}-${Date.now()}-${++this.counter}`,
        task: params.task,
        dataset,
        outDir,
        state: 'queued',
        position: 0,
        ...(background ? { background: true as const } : {}),
      },
      params,
      ...(background ? { background } : {}),
      cancel: new CancellationTokenSource(),
      ended,
      markEnded,
    };
    const firstBackground = this.queue.findIndex((j) => j.background);
    if (background || firstBackground < 0) this.queue.push(job);
    else this.queue.splice(firstBackground, 0, job);
    this.renumber();
    if (!background && this.running?.background) {
      this.running.gaveWay = true;
      this.running.cancel.cancel();
    }
    const ahead = job.info.position;
    this.progress(job, ahead > 0 ? `queued behind ${ahead} job${ahead === 1 ? '' : 's'}` : `queued: ${params.task} model from ${dataset}`);
    void this.pump();
    return { ok: true, job: { ...job.info } };
  }

  /** Cancels a queued job at once, a running one through the worker (which removes its staging folder). */
  cancel(jobId: string): boolean {
    const queued = this.queue.findIndex((j) => j.info.jobId === jobId);
    if (queued >= 0) {
      const [job] = this.queue.splice(queued, 1);
      this.renumber();
      this.end(job, { outcome: 'cancelled', message: 'cancelled before it started', notes: [], problems: [] });
      return true;
    }
    if (this.running?.info.jobId !== jobId) return false;
    this.running.cancel.cancel();
    return true;
  }

  /** Resolves with how the job ended (undefined for a job this queue does not know). */
  whenEnded(jobId: string): Promise<TrainingEndedParams> | undefined {
    return [this.running, ...this.queue].find((j) => j?.info.jobId === jobId)?.ended;
  }

  /** Closing the window: cancels every job and waits (at most `timeoutMs`) for the running one to end. */
  async shutdown(timeoutMs: number): Promise<void> {
    this.closed = true;
    for (const job of [...this.queue]) this.cancel(job.info.jobId);
    const running = this.running;
    if (!running) return;
    running.cancel.cancel();
    await Promise.race([running.ended, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
  }

  private async pump(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    const job = this.queue.shift() as Job;
    this.running = job;
    this.renumber();
    try {
      await this.run(job);
    } finally {
      this.running = undefined;
      void this.pump();
    }
  }

  private renumber(): void {
    const offset = this.running ? 1 : 0;
    this.queue.forEach((j, i) => (j.info.position = i + offset));
    if (this.running) this.running.info.position = 0;
  }

  private async run(job: Job): Promise<void> {
    const notes: string[] = [];
    let problems: TrainingProblem[] = [];
    const token = job.cancel.token;
    try {
      job.info.state = 'preparing';
      this.progress(job, `preparing ${job.info.dataset}`);
      const prepared = await this.prepare(job);
      problems = prepared.problems;
      for (const p of problems) this.progress(job, `${p.file}:${p.line}: ${p.message}`);
      if (token.isCancellationRequested) throw new Cancelled();

      const status = await this.options.ensureWorker();
      if (status.state !== 'ready') throw new WorkerUnavailableError(status);
      if (token.isCancellationRequested) throw new Cancelled();
      job.info.state = 'running';
      this.progress(
        job,
        `training on ${status.device.device === 'cuda' ? `GPU ${status.device.name}` : `CPU (${status.device.name})`}, model folder ${job.info.outDir}`,
      );

      const options: JobOptions = {
        token,
        onProgress: (progress) => this.options.onProgress({ job: { ...job.info }, line: progressLine(progress), progress }),
        onEvaluation: (epoch, e) =>
          this.options.onProgress({
            job: { ...job.info },
            line: `epoch ${epoch}: dev ${e.name} ${e.metric.toFixed(4)}`,
            evaluation: { epoch, name: e.name, metric: e.metric },
          }),
      };
      let result: TrainResult;
      try {
        result = await prepared.train(prepared.hyper, options);
      } catch (err) {
        const half = token.isCancellationRequested ? undefined : halfBatch(err);
        if (!half) throw err;
        const note = `CUDA ran out of memory with batch size ${half.failed}; retried with batch size ${half.next}`;
        notes.push(note);
        this.progress(job, `${note}…`);
        result = await prepared.train({ ...prepared.hyper, batchSize: half.next }, options);
      }
      if (prepared.calibrate) {
        this.progress(job, 'calibrating span confidences on the dev split…');
        try {
          const line = await prepared.calibrate(result.modelDir);
          notes.push(line);
          this.progress(job, line);
        } catch (err) {
          const note = `not calibrated (${(err as Error).message}); the model shows raw span scores with threshold 0`;
          notes.push(note);
          this.progress(job, note);
        }
      }
      if (job.background) {
        const line = await job.background.review(result.modelDir, prepared.devRecords ?? []);
        notes.push(line);
        this.progress(job, line);
      }
      this.progress(
        job,
        `finished: ${result.modelDir}${result.bestDevMetric === null ? '' : ` (best dev figure ${result.bestDevMetric.toFixed(4)} at epoch ${result.bestEpoch})`}`,
      );
      this.end(job, { outcome: 'finished', modelDir: result.modelDir, result, notes, problems });
    } catch (err) {
      if (err instanceof Cancelled || token.isCancellationRequested || (err instanceof ResponseError && err.code === WorkerErrorCode.cancelled)) {
        const why = job.gaveWay ? 'gave way to a training job you started; ' : '';
        this.progress(job, `cancelled; ${why}no model folder was written`);
        this.end(job, {
          outcome: 'cancelled',
          message: `Training was cancelled; ${why}no model folder was written.`,
          notes,
          problems,
          ...(job.gaveWay ? { gaveWay: true as const } : {}),
        });
        return;
      }
      const { problems: found, ...failure } = this.describe(job, err, notes);
      problems = [...found, ...problems];
      this.progress(job, `failed: ${failure.message}`);
      this.end(job, { outcome: 'failed', ...failure, notes, problems });
    }
  }

  private describe(job: Job, err: unknown, notes: string[]): TrainingFailure & { problems: TrainingProblem[] } {
    if (DATASET_ERRORS.some((E) => err instanceof E)) {
      const message = (err as Error).message;
      return { kind: 'dataset', message, problems: [problemAt(job.info.dataset, message)] };
    }
    if (err instanceof BaseModelError) {
      return { kind: 'base-model-invalid', message: err.message, data: { path: err.folder, missing: err.missing }, problems: [] };
    }
    if (err instanceof TokenizerLoadError) {
      const folder = job.params.base.kind === 'folder' ? job.params.base.path : '';
      return { kind: 'base-model-invalid', message: err.message, data: { path: folder, missing: [path.basename(err.file)] }, problems: [] };
    }
    const failure = trainingFailure(err);
    if (failure.kind === 'out-of-memory' && notes.length > 0) {
      failure.message = `${failure.message}. It had already been retried once with half the batch size; lower the batch size further or train a smaller base model.`;
    } else if (failure.kind === 'out-of-memory') {
      failure.message = `${failure.message}. The batch size cannot be halved further.`;
    }
    return { ...failure, problems: [] };
  }

  private async prepare(job: Job): Promise<Prepared> {
    const { params, info } = job;
    const bytes = job.background
      ? Buffer.from(job.background.content, 'utf8')
      : await this.options.readDataset(info.dataset).catch((err: NodeJS.ErrnoException) => {
          throw new TrainingInputError(`${info.dataset}: cannot be read (${err.code ?? err.message})`);
        });
    const tiny = params.base.kind === 'tiny';
    const folder = params.base.kind === 'folder' ? path.resolve(params.base.path) : undefined;
    const hyper: TrainHyperparameters = {};
    if (params.epochs !== undefined) hyper.epochs = params.epochs;
    if (params.batchSize !== undefined) hyper.batchSize = params.batchSize;
    if (params.device !== undefined) hyper.device = params.device;
    if (tiny && params.task === 'credit') hyper.learningRate = TINY_CREDIT_LEARNING_RATE;
    Object.assign(hyper, job.background?.hyper);
    const base = (tinyBase: BaseModel) => (folder === undefined ? tinyBase : ({ kind: 'folder', path: folder } as const));

    if (params.task === 'entities') {
      const schema = this.options.schema();
      const prepared = prepareEntityTraining({
        jobId: info.jobId,
        content: decodeUtf8File(bytes, info.dataset),
        file: info.dataset,
        schema,
        ...(job.background?.devContent !== undefined ? { devContent: job.background.devContent } : {}),
        tokenizerDir: baseTokenizerDir(folder, 'bert-base-chinese'),
        base: base(TINY_ENTITY_BASE),
        outDir: info.outDir,
        hyper,
        // The int8 graph too: the editor serves it by default (finlabel.entityModel.precision auto).
        export: { onnx: true, quantize: true },
      });
      return {
        problems: prepared.problems.map((p) => problemAt(info.dataset, p)),
        hyper,
        devRecords: prepared.devRecords,
        train: (h, options) => this.options.jobs.trainEntities({ ...prepared.params, hyper: { ...prepared.params.hyper, ...h } }, prepared.dev, options),
        calibrate: async (modelDir) => {
          const fitted = await calibrateEntityModelFolder(modelDir, prepared.devRecords, schema);
          const bins = fitted.reliability
            .filter((b) => b.count > 0)
            .map(
              (b) =>
                `${b.from.toFixed(1)}–${b.to.toFixed(1)}: ${b.count} spans, mean ${b.meanConfidence!.toFixed(2)}, ${(b.precision! * 100).toFixed(0)}% right`,
            );
          return `${calibrationSummary(fitted)}; reliability on dev: ${bins.length > 0 ? bins.join('; ') : 'no span'}`;
        },
      };
    }
    const prepared = prepareCreditTraining({
      jobId: info.jobId,
      bytes,
      file: info.dataset,
      tokenizerDir: baseTokenizerDir(folder, 'qwen2'),
      base: base(TINY_CREDIT_BASE),
      outDir: info.outDir,
      hyper,
      dataset: { labelColumn: params.labelColumn, featureColumns: params.featureColumns },
    });
    return {
      problems: prepared.problems.map((p) => problemAt(info.dataset, p)),
      hyper,
      train: (h, options) => this.options.jobs.trainCredit({ ...prepared.params, hyper: { ...prepared.params.hyper, ...h } }, options),
    };
  }

  /** <workspace folder>/.finlabel/models/<task>/<dataset>-<time>, with a suffix when that name is taken. */
  private freeModelDir(folder: string, dataset: string, task: TrainingStartParams['task'], suffix: string): string {
    const dir = newModelFolderIn(folder, dataset, task, this.options.now?.() ?? new Date()) + suffix;
    const taken = new Set(this.list().map((j) => j.outDir));
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? dir : `${dir}-${n}`;
      if (!existsSync(candidate) && !taken.has(candidate)) return candidate;
    }
  }

  private progress(job: Job, line: string): void {
    this.options.onProgress({ job: { ...job.info }, line });
  }

  private end(job: Job, params: Ending): void {
    const ended = { ...params, job: { ...job.info } } as TrainingEndedParams;
    this.options.onEnded(ended);
    job.cancel.dispose();
    job.markEnded(ended);
  }
}
