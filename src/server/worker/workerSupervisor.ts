import { existsSync } from 'node:fs';
import { Emitter, ResponseError, type CancellationToken, type Disposable, type Event } from 'vscode-jsonrpc/node';
import { WorkerErrorCode, WorkerMethod, type DeviceInfo, type WorkerProblem, type WorkerStatus } from '../../common/workerProtocol';
import type { PythonLocation } from './pythonLocator';
import { defaultRestartPolicy, RestartBudget, type RestartPolicy } from './restartBudget';
import { describeExit, WorkerExitedError, WorkerProcess, type WorkerExit } from './workerProcess';
import { workerCodeFingerprint } from './workerCode';

export interface WorkerSupervisorOptions {
  /** Folder holding the finlabel_worker package. */
  workerDir: string;
  /** Chooses the interpreter; called on every start, so changed settings apply on restart. */
  locatePython: () => Promise<PythonLocation>;
  env?: NodeJS.ProcessEnv;
  restartPolicy?: RestartPolicy;
  /** How long the first deviceInfo may take (it imports torch: slow on a cold disk). Default 120 s. */
  startTimeoutMs?: number;
  /** How long a stopping worker gets to exit after the shutdown request before it is killed. Default 5 s. */
  stopTimeoutMs?: number;
  /** The worker's stderr as it arrives. */
  onStderr?: (text: string) => void;
  log?: (message: string) => void;
}

/** The worker is not ready: the status says why. */
export class WorkerUnavailableError extends Error {
  constructor(readonly status: WorkerStatus) {
    super(status.state === 'unavailable' ? status.message : `The Python worker is ${status.state}.`);
    this.name = 'WorkerUnavailableError';
  }
}

const RESTART_HINT = 'run "FinLabel: Restart Python Worker" to try again';

/**
 * Starts the worker on demand, reports its WorkerStatus, restarts it after crashes (with backoff,
 * within a budget), and stops it. No method throws or rejects except `request`.
 */
export class WorkerSupervisor {
  private readonly statusEmitter = new Emitter<WorkerStatus>();
  readonly onDidChangeStatus: Event<WorkerStatus> = this.statusEmitter.event;

  private readonly options: WorkerSupervisorOptions;
  private readonly budget: RestartBudget;
  private current: WorkerStatus = { state: 'stopped' };
  private proc: WorkerProcess | undefined;
  /** Bumped by every start and stop; callbacks of an older run compare it and back off. */
  private generation = 0;
  private starting: Promise<WorkerStatus> | undefined;
  private stopping: Promise<WorkerStatus> | undefined;
  private scheduledRestart: { timer: NodeJS.Timeout; fired: Promise<void>; cancel: () => void } | undefined;
  private restarts = 0;
  private disposed = false;
  /** workerCodeFingerprint when the running worker started. */
  private code: string | undefined;
  /** Handlers for the worker's requests and notifications, applied to every worker process started. */
  private readonly handlers = new Set<(proc: WorkerProcess) => Disposable>();
  private readonly applied = new Map<(proc: WorkerProcess) => Disposable, Disposable>();

  constructor(options: WorkerSupervisorOptions) {
    this.options = options;
    this.budget = new RestartBudget(options.restartPolicy ?? defaultRestartPolicy);
  }

  get status(): WorkerStatus {
    return this.current;
  }

  /** PID of the running worker process, if any. */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /**
   * Start the worker if it is stopped; resolves with the status once no start, stop or scheduled
   * restart is in flight. Does not retry an unavailable worker: that takes `restart()`.
   */
  async ensureStarted(): Promise<WorkerStatus> {
    await this.settled();
    if (this.codeChangedWhileIdle()) {
      this.options.log?.(`the worker's code in ${this.options.workerDir} changed since it started (a rebuild or an update): restarting it`);
      return this.restart();
    }
    if (!this.disposed && this.current.state === 'stopped' && !this.starting && !this.stopping) void this.launch();
    return this.settled();
  }

  /** A ready worker with nothing in flight whose Python code changed on disk since it started. */
  private codeChangedWhileIdle(): boolean {
    const proc = this.proc;
    if (this.disposed || this.current.state !== 'ready' || !proc || proc.busy || this.code === undefined) return false;
    return workerCodeFingerprint(this.options.workerDir) !== this.code;
  }

  /** Send a request to the worker, starting it if needed. */
  async request<R>(method: string, params?: unknown, token?: CancellationToken): Promise<R> {
    const status = await this.ensureStarted();
    const proc = this.proc;
    if (status.state !== 'ready' || !proc) throw new WorkerUnavailableError(status);
    return proc.request<R>(method, params, token);
  }

  /** Answer a request the worker sends (evaluate/entities, evaluate/credit), in this and every later worker process. */
  onRequest<P, R>(method: string, handler: (params: P, token: CancellationToken) => R | Promise<R>): Disposable {
    return this.addHandler((proc) => proc.onRequest(method, handler));
  }

  /** Listen to a notification of the worker (progress), in this and every later worker process. */
  onNotification<P>(method: string, handler: (params: P) => void): Disposable {
    return this.addHandler((proc) => proc.onNotification(method, handler));
  }

  private addHandler(register: (proc: WorkerProcess) => Disposable): Disposable {
    this.handlers.add(register);
    if (this.proc) this.applied.set(register, register(this.proc));
    return {
      dispose: () => {
        this.handlers.delete(register);
        this.applied.get(register)?.dispose();
        this.applied.delete(register);
      },
    };
  }

  /** Explicit restart: also resets the automatic-restart budget and count. */
  async restart(): Promise<WorkerStatus> {
    if (this.disposed) return this.current;
    await this.stopNow();
    this.restarts = 0;
    this.budget.reset();
    if (!this.disposed && !this.starting && !this.stopping) void this.launch();
    return this.settled();
  }

  /** Shut the worker down (killing it after stopTimeoutMs) and cancel any pending restart. */
  async stop(): Promise<WorkerStatus> {
    await this.stopNow();
    return this.settled();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stopNow();
    this.statusEmitter.dispose();
  }

  /** Wait until no start, stop or scheduled restart is in flight. Only for public entry points. */
  private async settled(): Promise<WorkerStatus> {
    for (;;) {
      const inFlight = this.stopping ?? this.starting ?? this.scheduledRestart?.fired;
      if (!inFlight || this.disposed) return this.current;
      await inFlight;
    }
  }

  private stopNow(): Promise<WorkerStatus> {
    this.generation++;
    this.cancelScheduledRestart();
    const proc = this.proc;
    this.proc = undefined;
    const stopping = (async () => {
      if (proc) await proc.stop(this.options.stopTimeoutMs ?? 5000);
      return this.setStatus({ state: 'stopped' });
    })();
    this.stopping = stopping;
    void stopping.finally(() => {
      if (this.stopping === stopping) this.stopping = undefined;
    });
    return stopping;
  }

  private launch(): Promise<WorkerStatus> {
    const gen = ++this.generation;
    const run = this.run(gen).catch((err: unknown) =>
      this.isCurrent(gen) ? this.unavailable('', 'start-failed', `The Python worker could not be started: ${errorMessage(err)}`, '') : this.current,
    );
    this.starting = run;
    void run.finally(() => {
      if (this.starting === run) this.starting = undefined;
    });
    return run;
  }

  private async run(gen: number): Promise<WorkerStatus> {
    const location = await this.options.locatePython();
    if (!this.isCurrent(gen)) return this.current;
    if (!location.ok) return this.unavailable(location.python, 'python-not-found', location.message, '');

    const python = location.python;
    this.code = workerCodeFingerprint(this.options.workerDir);
    this.setStatus({ state: 'starting', python });
    const proc = new WorkerProcess({
      python,
      workerDir: this.options.workerDir,
      env: this.options.env,
      onStderr: this.options.onStderr,
      log: this.options.log,
    });
    this.proc = proc;
    for (const register of this.handlers) this.applied.set(register, register(proc));
    void proc.exited.then((exit) => this.onExit(gen, proc, exit));

    let device: DeviceInfo;
    try {
      device = await withTimeout(proc.request<DeviceInfo>(WorkerMethod.deviceInfo), this.options.startTimeoutMs ?? 120_000);
    } catch (err) {
      if (!this.isCurrent(gen)) return this.current;
      return this.startFailed(gen, proc, err);
    }
    if (!this.isCurrent(gen)) return this.current;
    return this.setStatus({ state: 'ready', python, device, restarts: this.restarts });
  }

  private async startFailed(gen: number, proc: WorkerProcess, err: unknown): Promise<WorkerStatus> {
    const python = proc.python;
    this.proc = undefined;
    if (err instanceof WorkerExitedError) {
      const exit = err.exit;
      if (exit.spawnError?.code === 'ENOENT' && existsSync(this.options.workerDir)) {
        return this.unavailable(python, 'python-not-found', `The Python interpreter "${python}" was not found.`, exit.stderr);
      }
      if (exit.spawnError) {
        const where = `interpreter "${python}", worker folder "${this.options.workerDir}"`;
        return this.unavailable(python, 'start-failed', `The Python worker ${describeExit(exit)} (${where}).`, exit.stderr);
      }
      return this.unavailable(python, 'start-failed', `The Python worker ${describeExit(exit)} while starting.${lastLines(exit.stderr)}`, exit.stderr);
    }
    // The process is alive but unusable: stop it, and do not restart it in a loop.
    await proc.stop(this.options.stopTimeoutMs ?? 5000);
    if (!this.isCurrent(gen)) return this.current;
    const stderr = proc.stderrTail();
    if (err instanceof ResponseError && err.code === WorkerErrorCode.missingPackage) {
      return this.unavailable(python, 'missing-package', err.message, stderr);
    }
    return this.unavailable(python, 'start-failed', `The Python worker failed to report its device: ${errorMessage(err)}`, stderr);
  }

  private onExit(gen: number, proc: WorkerProcess, exit: WorkerExit): void {
    // Start failures are reported by run(); stops bump the generation first.
    if (!this.isCurrent(gen) || this.proc !== proc || this.current.state !== 'ready') return;
    this.proc = undefined;
    const crash = `The Python worker crashed: it ${describeExit(exit)}.${lastLines(exit.stderr)}`;
    if (!this.budget.canRestart()) {
      const policy = this.options.restartPolicy ?? defaultRestartPolicy;
      const window = Math.round(policy.windowMs / 1000);
      const message = `${crash}\nIt was restarted ${this.budget.recent} times in ${window} s, so it stays stopped: ${RESTART_HINT}.`;
      this.unavailable(proc.python, 'crashed', message, exit.stderr);
      return;
    }
    const delay = this.budget.nextDelayMs();
    this.unavailable(proc.python, 'crashed', `${crash}\nRestarting in ${(delay / 1000).toFixed(1)} s.`, exit.stderr);
    this.scheduleRestart(delay);
  }

  private scheduleRestart(delayMs: number): void {
    let fire!: () => void;
    const fired = new Promise<void>((resolve) => (fire = resolve));
    const timer = setTimeout(() => {
      this.scheduledRestart = undefined;
      this.restarts++;
      this.budget.record();
      this.options.log?.(`restarting the Python worker (restart ${this.restarts})`);
      void this.launch();
      fire();
    }, delayMs);
    this.scheduledRestart = { timer, fired, cancel: fire };
  }

  private cancelScheduledRestart(): void {
    const scheduled = this.scheduledRestart;
    if (!scheduled) return;
    this.scheduledRestart = undefined;
    clearTimeout(scheduled.timer);
    scheduled.cancel();
  }

  private isCurrent(gen: number): boolean {
    return gen === this.generation && !this.disposed;
  }

  private unavailable(python: string, problem: WorkerProblem, message: string, stderr: string): WorkerStatus {
    return this.setStatus({ state: 'unavailable', python, problem, message, stderr, restarts: this.restarts });
  }

  private setStatus(status: WorkerStatus): WorkerStatus {
    this.current = status;
    this.statusEmitter.fire(status);
    return status;
  }
}

function lastLines(stderr: string, count = 8): string {
  const lines = stderr
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(-count);
  return lines.length > 0 ? `\nLast stderr lines:\n${lines.join('\n')}` : '';
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
