import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ToolPaths } from './paths';

/** User settings for a test profile: nothing phones home, nothing pops up over the editor. */
export const QUIET_USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'files.hotExit': 'off',
};

/** Folders of one code-server profile, all under one scratch folder. */
export interface Profile {
  readonly root: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** An empty config file: code-server must not read or write ~/.config/code-server. */
  readonly configFile: string;
  /** TMPDIR and XDG_* for the server and everything it starts. */
  readonly env: NodeJS.ProcessEnv;
}

/** Creates fresh profile folders under `root` and writes the user settings. */
export function createProfile(root: string, settings: Readonly<Record<string, unknown>> = {}): Profile {
  const dir = (name: string): string => {
    const p = join(root, name);
    mkdirSync(p, { recursive: true });
    return p;
  };
  const userDataDir = dir('user-data');
  const extensionsDir = dir('extensions');
  const configFile = join(root, 'config.yaml');
  writeFileSync(configFile, '');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), `${JSON.stringify({ ...QUIET_USER_SETTINGS, ...settings }, null, 2)}\n`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: dir('tmp'),
    XDG_CONFIG_HOME: dir('xdg/config'),
    XDG_DATA_HOME: dir('xdg/data'),
    XDG_CACHE_HOME: dir('xdg/cache'),
    XDG_STATE_HOME: dir('xdg/state'),
    XDG_RUNTIME_DIR: dir('xdg/runtime'),
  };
  // The harness may run inside a VS Code terminal; its IPC hooks must not leak into the server.
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  }
  return { root, userDataDir, extensionsDir, configFile, env };
}

/** A free TCP port on 127.0.0.1: the first free one from `from` upwards, or any when `from` is omitted. */
export async function freePort(from?: number): Promise<number> {
  const tryPort = (port: number): Promise<number | undefined> =>
    new Promise((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        const chosen = typeof address === 'object' && address ? address.port : undefined;
        server.close(() => resolve(chosen));
      });
    });
  if (from === undefined) {
    const port = await tryPort(0);
    if (port === undefined) throw new Error('no free port');
    return port;
  }
  for (let port = from; port < from + 200; port++) {
    if ((await tryPort(port)) !== undefined) return port;
  }
  throw new Error(`no free port in ${from}..${from + 199}`);
}

export interface StartOptions {
  readonly tools: ToolPaths;
  readonly profile: Profile;
  readonly port?: number;
  /** Each line the server prints (its log); by default kept only for the error of a failed start. */
  readonly onOutput?: (line: string) => void;
  /** Give up when the server is not listening after this long. */
  readonly readyTimeoutMs?: number;
  /** Extra command-line arguments, e.g. a folder to open. */
  readonly extraArgs?: readonly string[];
}

export interface CodeServer {
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly pid: number;
  /** Resolves with the exit code (or null when killed by a signal) once the server exits. */
  readonly exited: Promise<number | null>;
  /** The server's last lines of output, for error messages. */
  recentOutput(): string;
  /** Terminates the server's whole process group (extension host, language server, workers). */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last resort: whatever happens to the harness, no server outlives it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) killGroup(child, 'SIGKILL');
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** The arguments every run passes; see the guide VSCODE_TESTS.md. */
export function serverArgs(profile: Profile, port: number): string[] {
  return [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--config',
    profile.configFile,
    '--user-data-dir',
    profile.userDataDir,
    '--extensions-dir',
    profile.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    // Without it a built workbench ignores the URL payload (extension tests never start).
    '--vscode-option',
    'enable-smoke-test-driver',
  ];
}

/** Starts code-server in its own process group and waits until it listens. */
export async function startCodeServer(options: StartOptions): Promise<CodeServer> {
  const { tools, profile } = options;
  const port = options.port ?? (await freePort());
  const args = [tools.codeServerEntry, ...serverArgs(profile, port), ...(options.extraArgs ?? [])];
  installExitHook();
  const child = spawn(tools.node, args, {
    cwd: profile.root,
    env: profile.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
    child.once('error', () => {
      running.delete(child);
      resolve(-1);
    });
  });

  const tail: string[] = [];
  let onReady: (() => void) | undefined;
  const onLine = (line: string): void => {
    tail.push(line);
    if (tail.length > 200) tail.shift();
    options.onOutput?.(line);
    if (line.includes('HTTP server listening on')) onReady?.();
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      lines.forEach(onLine);
    });
  }

  const server: CodeServer = {
    port,
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid ?? -1,
    exited,
    recentOutput: () => tail.join('\n'),
    stop: async () => {
      killGroup(child, 'SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
      // The server may be gone while children it started (the extension host) linger in its group.
      killGroup(child, 'SIGKILL');
      if (!stopped) await Promise.race([exited, delay(2000)]);
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Nothing left in the group.
      }
    },
  };

  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const ready = new Promise<'ready'>((resolve) => (onReady = () => resolve('ready')));
  const outcome = await Promise.race([ready, exited.then(() => 'exited' as const), delay(timeoutMs).then(() => 'timeout' as const)]);
  if (outcome !== 'ready') {
    await server.stop();
    const why = outcome === 'exited' ? 'exited before listening' : `was not listening after ${timeoutMs} ms`;
    throw new Error(`code-server ${why}; its output:\n${server.recentOutput()}`);
  }
  return server;
}

/** `code-server --install-extension <vsix>` into the profile's extensions folder. */
export function installExtension(tools: ToolPaths, profile: Profile, vsix: string, timeoutMs = 120_000): string {
  const args = [
    tools.codeServerEntry,
    '--config',
    profile.configFile,
    '--user-data-dir',
    profile.userDataDir,
    '--extensions-dir',
    profile.extensionsDir,
    '--install-extension',
    vsix,
    '--force',
  ];
  const result = spawnSync(tools.node, args, { cwd: profile.root, env: profile.env, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (result.error || result.status !== 0) {
    throw new Error(`installing ${vsix} failed (${result.error?.message ?? `exit ${result.status}`}):\n${output}`);
  }
  return output;
}

/** Reads the remote authority from the page's workbench configuration (code-server uses "remote"). */
export async function remoteAuthority(origin: string): Promise<string> {
  const response = await fetch(`${origin}/`, { signal: AbortSignal.timeout(30_000) });
  const html = await response.text();
  const match = /id="vscode-workbench-web-configuration"\s+data-settings="([^"]*)"/.exec(html);
  if (!match) return 'remote';
  const json = match[1]
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  const config = JSON.parse(json) as { remoteAuthority?: unknown };
  return typeof config.remoteAuthority === 'string' && config.remoteAuthority ? config.remoteAuthority : 'remote';
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
