// The real language server (dist/server.js) started as a process, as the extension starts it, for the
// tests and benchmarks that talk LSP to it: spawned over stdio, the requests a client must answer
// answered, and the initialize handshake done. Here and not in test/support: it starts a process.
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { PredictionSettings, ServerStartOptions } from '../../src/common/lspSchemas';

/**
 * initialize's initializationOptions when a test names none: no Python, no worker, and every other
 * setting absent (the server's defaults). Every option of ServerStartOptions is named here, so a new
 * one fails the type check until it is given a value for the tests; `undefined` is left out of the message.
 */
export const TEST_INITIALIZATION_OPTIONS: { [K in keyof Required<ServerStartOptions>]: ServerStartOptions[K] } = {
  pythonPath: '',
  workerDir: '',
  managedPythonPath: '',
  startWorker: false,
  labelSchema: undefined,
  credit: undefined,
  predictions: undefined,
  suggestions: undefined,
  backgroundRetraining: undefined,
  retrainingBaselines: undefined,
};

/** Entity predictions off: no model is loaded. */
export const PREDICTIONS_OFF: PredictionSettings = { modelPath: '', enabled: false, showDisagreements: false, precision: 'auto' };

export interface InitializeOptions {
  /** initialize's rootUri (default null). */
  rootUri?: string | null;
  workspaceFolders?: { uri: string; name: string }[];
  /** What differs from TEST_INITIALIZATION_OPTIONS. */
  initializationOptions?: Partial<ServerStartOptions>;
}

/** TEST_INITIALIZATION_OPTIONS with what a test changes. */
export function testInitializationOptions(changes: Partial<ServerStartOptions> = {}): ServerStartOptions {
  return { ...TEST_INITIALIZATION_OPTIONS, ...changes };
}

/** The params of the initialize request a test sends. */
export function initializeParams(options: InitializeOptions = {}): object {
  return {
    processId: process.pid,
    rootUri: options.rootUri ?? null,
    ...(options.workspaceFolders ? { workspaceFolders: options.workspaceFolders } : {}),
    capabilities: {},
    initializationOptions: testInitializationOptions(options.initializationOptions),
  };
}

export interface SpawnOptions {
  /** The server's working folder (default: this process's). */
  cwd?: string;
  /** The server's stderr: this process's (default) or nowhere. */
  stderr?: 'inherit' | 'ignore';
}

/**
 * dist/server.js as a process speaking LSP over its stdin and stdout. `serverJs`: in tests
 * builtFile('dist', 'server.js'), which fails at once naming the file when it is not built.
 */
export function spawnLanguageServer(serverJs: string, options: SpawnOptions = {}): ChildProcessByStdio<Writable, Readable, null> {
  return spawn(process.execPath, [serverJs, '--stdio'], { cwd: options.cwd, stdio: ['pipe', 'pipe', options.stderr ?? 'inherit'] });
}

export interface LanguageServerOptions extends SpawnOptions, InitializeOptions {
  /** The built server file (see spawnLanguageServer). */
  serverJs: string;
  /**
   * Called before the connection listens, after the default answers are registered: the handlers of
   * notifications the test records from the start, and answers of its own (a later onRequest for a
   * method replaces the default one).
   */
  beforeListen?: (connection: MessageConnection, server: ChildProcess) => void;
}

export interface LanguageServer {
  readonly process: ChildProcess;
  readonly connection: MessageConnection;
  /** Disposes of the connection and kills the process. */
  stop(): void;
}

/**
 * Starts the language server and does the initialize handshake (initialize, then initialized).
 * Answers the requests the server makes of its client as a client with no UI would:
 * workspace/configuration with no settings, the rest with null. If the start fails, the process is killed.
 */
export async function startLanguageServer(options: LanguageServerOptions): Promise<LanguageServer> {
  const server = spawnLanguageServer(options.serverJs, options);
  const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  const stop = (): void => {
    connection.dispose();
    server.kill();
  };
  try {
    connection.onRequest('workspace/configuration', () => []);
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/showMessageRequest', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    options.beforeListen?.(connection, server);
    connection.listen();
    await connection.sendRequest('initialize', initializeParams(options));
    await connection.sendNotification('initialized', {});
  } catch (error) {
    stop();
    throw error;
  }
  return { process: server, connection, stop };
}
