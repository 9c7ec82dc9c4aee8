import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createMessageConnection,
  ErrorCodes,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type CancellationToken,
  type Disposable,
  type Logger,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { WorkerMethod } from '../../common/workerProtocol';
import { killProcessTree, ownProcessGroup } from './processTree';
import { StderrTail } from './stderrTail';

export interface WorkerProcessOptions {
  python: string;
  /** Folder holding the finlabel_worker package (src/server/worker/python, dist/worker when built). */
  workerDir: string;
  /** Base environment; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Raw stderr text of the worker, as it arrives (its log). */
  onStderr?: (text: string) => void;
  /** Client-side diagnostics (connection errors). */
  log?: (message: string) => void;
}

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (ENOENT: no such interpreter). */
  spawnError?: NodeJS.ErrnoException;
  /** The last ~4 KB of the worker's stderr. */
  stderr: string;
}

/** A request was pending when the worker exited (or could not start). */
export class WorkerExitedError extends Error {
  constructor(
    readonly method: string,
    readonly exit: WorkerExit,
    readonly stopped: boolean,
  ) {
    super(
      stopped
        ? `The Python worker was stopped before it answered "${method}".`
        : `The Python worker ${describeExit(exit)} before it answered "${method}".${stderrSuffix(exit.stderr)}`,
    );
    this.name = 'WorkerExitedError';
  }
}

export function describeExit(exit: WorkerExit): string {
  if (exit.spawnError) return `could not be started (${exit.spawnError.message})`;
  if (exit.code !== null) return `exited with code ${exit.code}`;
  return `was killed by ${exit.signal ?? 'an unknown signal'}`;
}

function stderrSuffix(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(-5);
  return lines.length > 0 ? `\nLast stderr lines:\n${lines.join('\n')}` : '';
}

interface Pending {
  method: string;
  reject: (error: Error) => void;
}

/** How long a failed write waits for the process exit that explains it. */
const TRANSPORT_FAILURE_GRACE_MS = 2000;

/** How long to wait for stderr to drain after the process exits (children may hold it open). */
const STDERR_DRAIN_MS = 500;

/** One run of `python -u -m finlabel_worker`, connected with vscode-jsonrpc. Never throws. */
export class WorkerProcess {
  readonly python: string;
  /** Resolves once, when the process has exited or failed to start. */
  readonly exited: Promise<WorkerExit>;
  private readonly stderr = new StderrTail(4096);
  private readonly pending = new Set<Pending>();
  private readonly child: ChildProcess | undefined;
  private readonly connection: MessageConnection | undefined;
  private exit: WorkerExit | undefined;
  private stopRequested = false;
  private resolveExited!: (exit: WorkerExit) => void;

  constructor(options: WorkerProcessOptions) {
    this.python = options.python;
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
    const log = options.log ?? (() => undefined);
    try {
      this.child = spawn(options.python, ['-u', '-m', 'finlabel_worker'], {
        // Not the worker folder: a rebuild deletes and recreates dist/worker, and a process whose working
        // directory was deleted fails in os.getcwd(), which importing transformers calls (Path("src").resolve()):
        // FileNotFoundError naming no file. The worker package is found through PYTHONPATH.
        cwd: os.tmpdir(),
        env: workerEnv(options.workerDir, options.env ?? process.env),
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: ownProcessGroup,
        windowsHide: true,
      });
    } catch (err) {
      this.finish({ code: null, signal: null, spawnError: err as NodeJS.ErrnoException });
      return;
    }
    const child = this.child;
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (child.pid === undefined) this.finish({ code: null, signal: null, spawnError: err });
      else log(`worker process error: ${err.message}`);
    });
    child.on('exit', (code, signal) => {
      const done = (): void => this.finish({ code, signal });
      const timer = setTimeout(done, STDERR_DRAIN_MS);
      child.once('close', () => {
        clearTimeout(timer);
        done();
      });
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.stderr.append(text);
      options.onStderr?.(text);
    });
    // Writes after the worker died fail with EPIPE; the exit handler reports that instead.
    child.stdin?.on('error', () => undefined);

    this.connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!), connectionLogger(log));
    this.connection.onError(([error]) => log(`worker connection error: ${error.message}`));
    this.connection.listen();
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** A request is waiting for its answer (a job runs, or a prediction). */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  get hasExited(): boolean {
    return this.exit !== undefined;
  }

  /** The last ~4 KB of stderr so far. */
  stderrTail(): string {
    return this.stderr.toString();
  }

  /** Send a request; rejects with WorkerExitedError if the worker exits before answering. */
  request<R>(method: string, params?: unknown, token?: CancellationToken): Promise<R> {
    if (this.exit || !this.connection) {
      return Promise.reject(new WorkerExitedError(method, this.exitOrUnknown(), this.stopRequested));
    }
    const connection = this.connection;
    return new Promise<R>((resolve, reject) => {
      const entry: Pending = { method, reject };
      this.pending.add(entry);
      const args: unknown[] = [];
      if (params !== undefined) args.push(params);
      if (token) args.push(token);
      let sent: Promise<R>;
      try {
        sent = connection.sendRequest<R>(method, ...args);
      } catch (err) {
        this.pending.delete(entry);
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      sent.then(
        (value) => {
          this.pending.delete(entry);
          resolve(value);
        },
        (err: unknown) => {
          const error = err instanceof Error ? err : new Error(String(err));
          if (!isTransportFailure(error)) {
            this.pending.delete(entry);
            reject(error);
            return;
          }
          // The pipe broke: the process is most likely exiting, and its exit (code, stderr) is
          // the useful error. finish() rejects the entry with it; if no exit comes, use this one.
          setTimeout(() => {
            if (this.pending.delete(entry)) reject(error);
          }, TRANSPORT_FAILURE_GRACE_MS).unref();
        },
      );
    });
  }

  /** Answer a request the worker sends (a server callback such as evaluate/entities). */
  onRequest<P, R>(method: string, handler: (params: P, token: CancellationToken) => R | Promise<R>): Disposable {
    const untyped = (params: unknown, token: CancellationToken): Promise<unknown> => Promise.resolve(handler(params as P, token));
    return this.connection?.onRequest(method, untyped) ?? { dispose: () => undefined };
  }

  /** Listen to a notification the worker sends (progress). */
  onNotification<P>(method: string, handler: (params: P) => void): Disposable {
    return this.connection?.onNotification(method, handler) ?? { dispose: () => undefined };
  }

  /** Ask the worker to shut down; kill it when it has not exited after `timeoutMs`. */
  async stop(timeoutMs = 5000): Promise<WorkerExit> {
    if (this.exit) return this.exit;
    this.stopRequested = true;
    void this.request(WorkerMethod.shutdown).catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)));
    const late = await Promise.race([this.exited.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) this.kill();
    return this.exited;
  }

  /** Kill the process (and what it started) at once. */
  kill(): void {
    this.stopRequested = true;
    if (this.child && !this.exit && this.child.exitCode === null && this.child.signalCode === null) {
      killProcessTree(this.child, 'SIGKILL');
    }
  }

  private finish(exit: Omit<WorkerExit, 'stderr'>): void {
    if (this.exit) return;
    this.exit = { ...exit, stderr: this.stderr.toString() };
    for (const entry of this.pending) entry.reject(new WorkerExitedError(entry.method, this.exit, this.stopRequested));
    this.pending.clear();
    this.connection?.dispose();
    this.resolveExited(this.exit);
  }

  private exitOrUnknown(): WorkerExit {
    return this.exit ?? { code: null, signal: null, stderr: this.stderr.toString() };
  }
}

function isTransportFailure(error: Error): boolean {
  if (!(error instanceof ResponseError)) return true;
  const transport: number[] = [ErrorCodes.MessageWriteError, ErrorCodes.PendingResponseRejected, ErrorCodes.ConnectionInactive];
  return transport.includes(error.code);
}

/** PYTHONPATH starts with the worker folder; -u and PYTHONUNBUFFERED keep stderr timely. */
function workerEnv(workerDir: string, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const pythonPath = base.PYTHONPATH ? `${workerDir}${path.delimiter}${base.PYTHONPATH}` : workerDir;
  return { ...base, PYTHONPATH: pythonPath, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' };
}

function connectionLogger(log: (message: string) => void): Logger {
  return {
    error: (message) => log(`worker connection: ${message}`),
    warn: (message) => log(`worker connection: ${message}`),
    info: () => undefined,
    log: () => undefined,
  };
}
