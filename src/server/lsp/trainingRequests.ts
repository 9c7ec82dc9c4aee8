import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isDataset } from '../../common/datasetFiles';
import {
  trainingCancelRequest,
  trainingEndedNotification,
  trainingJobsRequest,
  trainingProgressNotification,
  trainingStartRequest,
  type TrainingEndedParams,
} from '../../common/lspProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import { TrainingJobs } from '../training/trainingJobs';
import type { WorkspaceFolders } from '../workspace/workspaceFolders';
import { handleRequest, handleRequest0 } from './checkedHandlers';
import type { WorkerService } from './workerService';

/** How long closing the window waits for a cancelled job to clean up in the worker. */
const SHUTDOWN_WAIT_MS = 4000;

/** The training requests of the server; `initialize` hands it the worker. */
export class TrainingRequests {
  private worker: WorkerService | undefined;
  /** The training queue (background retraining queues its jobs here too). */
  readonly jobs: TrainingJobs;
  /** Called after each job's end has been sent to the client. */
  onJobEnded: ((ended: TrainingEndedParams) => void) | undefined;

  constructor(connection: Connection, documents: TextDocuments<TextDocument>, schema: () => LabelSchema, folders: WorkspaceFolders) {
    this.jobs = new TrainingJobs({
      jobs: {
        trainEntities: (...args) => this.requireWorker().jobs.trainEntities(...args),
        trainCredit: (...args) => this.requireWorker().jobs.trainCredit(...args),
      },
      ensureWorker: () => this.requireWorker().status(true),
      schema,
      // A JSONL open in the editor is trained as shown (unsaved edits included); a CSV is read from disk (its encoding).
      readDataset: async (file) => {
        const open = documents.get(pathToFileURL(file).toString());
        return open && isDataset(open.uri, open.languageId) ? Buffer.from(open.getText(), 'utf8') : readFile(file);
      },
      workspaceFolders: () => [...folders.paths],
      onProgress: (params) => void connection.sendNotification(trainingProgressNotification, params),
      onEnded: (params) => {
        void connection.sendNotification(trainingEndedNotification, params);
        this.onJobEnded?.(params);
      },
    });
    handleRequest(connection, trainingStartRequest, (params) => this.jobs.start(params));
    handleRequest(connection, trainingCancelRequest, (params) => ({ cancelled: this.jobs.cancel(params.jobId) }));
    handleRequest0(connection, trainingJobsRequest, () => ({ jobs: this.jobs.list(), workerPid: this.worker?.supervisor.pid ?? null }));
  }

  initialize(worker: WorkerService): void {
    this.worker = worker;
  }

  /** Cancels every job and waits briefly for the running one, so the worker removes its staging folder. */
  shutdown(): Promise<void> {
    return this.jobs.shutdown(SHUTDOWN_WAIT_MS);
  }

  private requireWorker(): WorkerService {
    if (!this.worker) throw new Error('the FinLabel server is not initialized yet');
    return this.worker;
  }
}
