import * as path from 'node:path';
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import {
  environmentProgressNotification,
  workerStatusNotification,
  type CreateEnvironmentParams,
  type CreateEnvironmentResult,
  type ServerInitializationOptions,
} from '../../common/lspProtocol';
import type { WorkerStatus } from '../../common/workerProtocol';
import { createWorkerEnvironment } from '../worker/pythonEnvironment';
import { locatePython } from '../worker/pythonLocator';
import { WorkerJobs } from '../worker/workerJobs';
import { WorkerSupervisor } from '../worker/workerSupervisor';

/** The server's handle on the Python worker: settings in, status out to the client. */
export class WorkerService {
  private options: ServerInitializationOptions;
  readonly supervisor: WorkerSupervisor;
  /** The one WorkerJobs of this worker: it answers the worker's evaluate callbacks, so there must not be two. */
  readonly jobs: WorkerJobs;

  constructor(
    private readonly connection: Connection,
    options: ServerInitializationOptions,
  ) {
    this.options = options;
    this.supervisor = new WorkerSupervisor({
      workerDir: options.workerDir,
      locatePython: () => locatePython({ settingPath: this.options.pythonPath, managedPython: this.options.managedPythonPath }),
      onStderr: (text) => connection.console.info(`[worker] ${text.trimEnd()}`),
      log: (message) => connection.console.warn(`[worker] ${message}`),
    });
    this.jobs = new WorkerJobs(this.supervisor);
    this.supervisor.onDidChangeStatus((status) => void connection.sendNotification(workerStatusNotification, status));
  }

  get startOnInitialize(): boolean {
    return this.options.startWorker;
  }

  async status(start: boolean): Promise<WorkerStatus> {
    return start ? this.supervisor.ensureStarted() : this.supervisor.status;
  }

  restart(): Promise<WorkerStatus> {
    return this.supervisor.restart();
  }

  stop(): Promise<WorkerStatus> {
    return this.supervisor.stop();
  }

  /** New settings; a worker that runs (or failed) on another interpreter is restarted on the new one. */
  async configure(options: ServerInitializationOptions): Promise<void> {
    const interpreterChanged = options.pythonPath !== this.options.pythonPath || options.managedPythonPath !== this.options.managedPythonPath;
    this.options = options;
    if (interpreterChanged && this.supervisor.status.state !== 'stopped') await this.supervisor.restart();
  }

  /**
   * Makes a virtual environment with the worker's pinned requirements, reporting pip's progress;
   * the base interpreter is the configured one, else python3 on PATH.
   */
  async createEnvironment(params: CreateEnvironmentParams, token: CancellationToken): Promise<CreateEnvironmentResult> {
    const base = await locatePython({ settingPath: params.basePython || this.options.pythonPath });
    if (!base.ok) throw new Error(base.message);
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    try {
      const pythonPath = await createWorkerEnvironment({
        basePython: base.python,
        venvDir: params.venvDir,
        requirementsFile: path.join(this.options.workerDir, 'requirements.txt'),
        onProgress: (message, increment) => void this.connection.sendNotification(environmentProgressNotification, { message, increment }),
        signal: abort.signal,
      });
      return { pythonPath };
    } finally {
      cancel.dispose();
    }
  }

  dispose(): Promise<void> {
    this.jobs.dispose();
    return this.supervisor.dispose();
  }
}
