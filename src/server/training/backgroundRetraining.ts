/**
 * Background retraining (INCEpTION's "recommender retraining"): after `afterLabels` new, changed or
 * removed labels in an open dataset, the entity model is trained again on the dataset's labelled
 * records, through the same training queue as the palette's jobs but at low priority (one CPU thread,
 * a time budget, behind and cancelled by every job the user starts). The retrained model is swapped in
 * only when its strict F1 on its own dev split is not worse than the active model's on the same
 * records; a worse one is removed. The active model is trained further when it can be (retrainBase.ts),
 * else a small model is trained from scratch.
 */
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import {
  BACKGROUND_RETRAINING_DEFAULTS,
  backgroundRetrainingNotification,
  retrainingBaselineNotification,
  type BackgroundRetrainingSettings,
  type BackgroundRetrainingStatus,
  type TrainingEndedParams,
} from '../../common/lspProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import type { JsonlDocumentModel } from '../dataset/documentModel';
import type { EntityPredictor } from '../inference/entityPredictor';
import { isDataset } from '../../common/datasetFiles';
import type { JsonlDocuments } from '../lsp/jsonlDocuments';
import type { LabelledText } from './labelledRecordScores';
import { countLabelChanges, DatasetLabelKeys, labelledRecordsContent, stableDevSplit, type TextKeyOf } from './labelChanges';
import { retrainJob, reviewRetrained } from './retrainJob';
import type { TrainingJobs } from './trainingJobs';

/** Label changes are counted after typing pauses this long. */
const COUNT_DELAY_MS = 1000;
/** A retrain needs this many labelled records: a few to train on and one to compare the models on. */
export const MIN_LABELLED_RECORDS = 4;

export interface BackgroundRetrainingOptions {
  connection: Pick<Connection, 'sendNotification' | 'console'>;
  documents: JsonlDocuments;
  jobs: Pick<TrainingJobs, 'start' | 'whenEnded' | 'list'>;
  schema: () => LabelSchema;
  textKeyOf: TextKeyOf;
  /** The active entity model (its folder and its predictor), when one is loaded. */
  activeModel: () => EntityPredictor | undefined;
}

interface Dataset {
  /** The labels the last retrain started from, or the dataset had once it was first read; undefined until then. */
  baseline?: Set<string>;
  timer?: ReturnType<typeof setTimeout>;
  /** The retrain queued or running for this dataset. */
  jobId?: string;
  changes: number;
}

export class BackgroundRetraining {
  private settings: BackgroundRetrainingSettings = BACKGROUND_RETRAINING_DEFAULTS;
  private readonly datasets = new Map<string, Dataset>();
  private readonly keys: DatasetLabelKeys;
  /** Baselines the client kept from an earlier server (initialize's retrainingBaselines), by dataset URI. */
  private stored = new Map<string, Set<string>>();
  private closed = false;

  constructor(private readonly options: BackgroundRetrainingOptions) {
    this.keys = new DatasetLabelKeys(options.textKeyOf);
    const documents = options.documents.documents;
    documents.onDidOpen((e) => this.opened(e.document.uri));
    documents.onDidChangeContent((e) => this.schedule(e.document.uri));
    documents.onDidClose((e) => {
      const d = this.datasets.get(e.document.uri);
      if (d?.timer) clearTimeout(d.timer);
      if (d && d.jobId === undefined) this.datasets.delete(e.document.uri);
    });
  }

  configure(settings: BackgroundRetrainingSettings | undefined): void {
    const next = { ...BACKGROUND_RETRAINING_DEFAULTS, ...settings };
    const wasEnabled = this.settings.enabled;
    this.settings = next;
    if (!next.enabled) {
      if (wasEnabled)
        this.publish({
          state: 'off',
          dataset: null,
          changes: 0,
          afterLabels: next.afterLabels,
          message: 'background retraining is off (finlabel.backgroundRetraining.enabled)',
        });
      return;
    }
    for (const uri of this.datasets.keys()) this.schedule(uri, 0);
  }

  /**
   * The baselines the client kept (initialize's options): a dataset opened later counts its label changes
   * from its stored baseline instead of from the labels it has now, so a restart loses no count.
   */
  restoreBaselines(baselines: Readonly<Record<string, readonly string[]>> | undefined): void {
    this.stored = new Map(Object.entries(baselines ?? {}).map(([uri, keys]) => [uri, new Set(keys)]));
  }

  /** A training job ended: a retrain that gave way to the user's job is tried again once the queue is free. */
  jobEnded(ended: TrainingEndedParams): void {
    if (ended.job.background) return;
    for (const uri of this.datasets.keys()) this.schedule(uri, 0);
  }

  /** Closing: no new retrain starts (the queue cancels the running one). */
  shutdown(): void {
    this.closed = true;
    for (const d of this.datasets.values()) if (d.timer) clearTimeout(d.timer);
  }

  private opened(uri: string): void {
    if (this.datasets.has(uri) || !this.options.documents.get(uri)) return;
    this.datasets.set(uri, { changes: 0 });
    this.schedule(uri);
  }

  private schedule(uri: string, delay = COUNT_DELAY_MS): void {
    const document = this.options.documents.documents.get(uri);
    if (this.closed || !this.settings.enabled || !document || !isDataset(document.uri, document.languageId)) return;
    if (!this.datasets.has(uri)) this.opened(uri);
    const d = this.datasets.get(uri);
    if (!d) return;
    if (d.timer) clearTimeout(d.timer);
    d.timer = setTimeout(() => {
      d.timer = undefined;
      this.check(uri, d);
    }, delay);
  }

  private check(uri: string, d: Dataset): void {
    const entry = this.options.documents.get(uri);
    if (this.closed || !this.settings.enabled || !entry || d.jobId !== undefined) return;
    // A large file is analysed in slices after it opens; reading every line now would hold the server.
    if (!entry.model.fullyAnalysed) {
      this.schedule(uri);
      return;
    }
    const current = this.keys.keysOf(entry.model);
    d.changes = countLabelChanges(d.baseline ?? this.firstBaseline(uri, d, current), current);
    const dataset = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
    const status = { dataset, changes: d.changes, afterLabels: this.settings.afterLabels };
    if (d.changes < this.settings.afterLabels) {
      this.publish({
        ...status,
        state: 'counting',
        message: `${d.changes} of ${this.settings.afterLabels} label changes before the entity model is retrained on ${path.basename(dataset)}`,
      });
      return;
    }
    if (!uri.startsWith('file:')) {
      this.publish({
        ...status,
        state: 'counting',
        message: `${path.basename(dataset)} is not saved to a file yet: save it to let the entity model learn from its labels`,
      });
      return;
    }
    // The user's own jobs go first: a retrain waits for an empty queue rather than queueing behind them.
    if (this.options.jobs.list().length > 0) {
      this.publish({
        ...status,
        state: 'counting',
        message: `${d.changes} label changes: the entity model is retrained once the training job running now has ended`,
      });
      return;
    }
    this.start(uri, dataset, d, entry.model, current);
  }

  private start(uri: string, dataset: string, d: Dataset, model: JsonlDocumentModel, labels: Set<string>): void {
    const { content, records } = labelledRecordsContent(model);
    const status = { dataset, changes: d.changes, afterLabels: this.settings.afterLabels };
    if (records < MIN_LABELLED_RECORDS) {
      this.publish({
        ...status,
        state: 'counting',
        message: `${records} labelled record${records === 1 ? '' : 's'}: a retrain needs at least ${MIN_LABELLED_RECORDS}`,
      });
      return;
    }
    const split = stableDevSplit(content);
    const base = retrainJob(this.options.activeModel()?.model.dir, this.options.schema(), records, this.settings.trainingSeconds);
    const started = this.options.jobs.start(
      { task: 'entities', datasetUri: uri, base: base.base },
      { content: split.train, devContent: split.dev, hyper: base.hyper, review: (modelDir, devRecords) => this.review(dataset, d, modelDir, devRecords) },
    );
    if (!started.ok) {
      this.publish({ ...status, state: 'failed', message: `the entity model could not be retrained: ${started.message}` });
      return;
    }
    const previous = d.baseline ?? labels;
    this.setBaseline(uri, d, labels);
    d.jobId = started.job.jobId;
    this.options.connection.console.info(
      `FinLabel background retraining: ${d.changes} label changes in ${dataset}; ${records} labelled records (${split.devRecords} of them dev), ${base.reason}, at most ${this.settings.trainingSeconds} s of training on one thread → ${started.job.outDir}`,
    );
    this.publish({
      ...status,
      state: 'training',
      message: `retraining the entity model on ${records} labelled records of ${path.basename(dataset)} (${base.reason})`,
    });
    void this.options.jobs.whenEnded(started.job.jobId)?.then((ended) => this.ended(uri, dataset, d, ended, previous));
  }

  /** Swaps the retrained model in when it is not worse on its dev split, else removes it. */
  private async review(dataset: string, d: Dataset, modelDir: string, devRecords: readonly LabelledText[]): Promise<string> {
    const status = { dataset, changes: d.changes, afterLabels: this.settings.afterLabels };
    const active = this.options.activeModel();
    const review = await reviewRetrained(modelDir, devRecords, this.options.schema(), active);
    if (!review.comparable) {
      this.publish({
        ...status,
        state: 'kept',
        message: `retrained ${path.basename(modelDir)} but its dev split is empty, so it could not be compared: the active model stays (the new one is in the model registry)`,
      });
      return 'no dev records to compare on: not swapped in';
    }
    const { devF1 } = review;
    const figures = `dev F1 on ${review.records} records: retrained ${devF1.retrained.toFixed(3)}, active ${devF1.active === null ? 'none' : `${devF1.active.toFixed(3)} (${active?.model.name})`}`;
    if (review.swap) {
      this.publish({
        ...status,
        state: 'swapped',
        modelDir,
        devF1,
        message: `the entity model learnt from your labels: ${path.basename(modelDir)} is now active (${figures})`,
      });
      return `swapped in: ${figures}`;
    }
    await rm(modelDir, { recursive: true, force: true });
    this.publish({
      ...status,
      state: 'kept',
      devF1,
      message: `a retrained model scored worse, so ${active?.model.name} stays active (${figures}); the retrained one was removed`,
    });
    return `not swapped in, and removed: ${figures}`;
  }

  private ended(uri: string, dataset: string, d: Dataset, ended: TrainingEndedParams, previous: Set<string>): void {
    d.jobId = undefined;
    const status = { dataset, changes: d.changes, afterLabels: this.settings.afterLabels };
    if (ended.outcome === 'cancelled' && ended.gaveWay) {
      // Not learnt from: the changes still count, and the retrain starts again once the user's job has ended.
      this.setBaseline(uri, d, previous);
      if (!this.closed)
        this.publish({ ...status, state: 'cancelled', message: `the retrain gave way to a training job you started; it starts again when that job has ended` });
    } else if (ended.outcome === 'cancelled') {
      // Cancelled by the user: the next retrain waits for another `afterLabels` changes.
      if (!this.closed)
        this.publish({
          ...status,
          state: 'cancelled',
          message: `the retrain was cancelled; the next one starts after ${this.settings.afterLabels} more label changes`,
        });
    } else if (ended.outcome === 'failed') {
      this.publish({ ...status, state: 'failed', message: `the entity model could not be retrained: ${ended.message}` });
    }
    if (!this.options.documents.get(uri)) this.datasets.delete(uri);
  }

  /** A dataset read for the first time counts from the baseline the client kept for it, else from its labels now. */
  private firstBaseline(uri: string, d: Dataset, current: Set<string>): Set<string> {
    const baseline = this.stored.get(uri) ?? current;
    this.stored.delete(uri);
    this.setBaseline(uri, d, baseline);
    return baseline;
  }

  /** Sets the dataset's baseline and hands it to the client to keep (workspace state). */
  private setBaseline(uri: string, d: Dataset, keys: Set<string>): void {
    d.baseline = keys;
    void this.options.connection.sendNotification(retrainingBaselineNotification, { dataset: uri, keys: [...keys] });
  }

  private publish(status: BackgroundRetrainingStatus): void {
    void this.options.connection.sendNotification(backgroundRetrainingNotification, status);
  }
}
