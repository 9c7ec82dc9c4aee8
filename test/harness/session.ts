import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { delay } from './codeServer';
import { parseResultLine, type MochaCounts } from './mochaResult';
import { launchWorkbench, workbenchUrl, type PayloadEntry, type Workbench, type WorkbenchLog } from './workbench';

/** Output of a runner: every line goes to stdout, prefixed so the sources stay apart. */
export type Print = (line: string) => void;

export const print: Print = (line) => process.stdout.write(`${line}\n`);

/** A scratch folder for one run; removed at the end unless FINLABEL_KEEP_TMP=1. */
export function createScratch(prefix: string): { readonly dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    remove: () => {
      if (process.env.FINLABEL_KEEP_TMP === '1') print(`(kept ${dir})`);
      else rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/**
 * The workbench hands console output over as a JSON array of console.log's arguments
 * (e.g. ["    ✔ %s (%dms)", "registers its commands", 588]); this applies the format string.
 */
export function formatConsoleMessage(message: string): string {
  if (!message.startsWith('[')) return message;
  try {
    const args = JSON.parse(message) as unknown;
    if (Array.isArray(args) && args.length > 0) return format(...(args as [unknown, ...unknown[]]));
  } catch {
    // Not JSON after all.
  }
  return message;
}

/** Workbench log lines that are expected noise offline (gallery lookups, vsda, missing web workers). */
const NOISE: readonly RegExp[] = [
  /vsda/i,
  /Failed to load resource/i,
  /open-vsx\.org|marketplace\.visualstudio|gallery|update\.code\.visualstudio/i,
  /authentication provider 'github'/i,
];

export interface ExtensionTestRun {
  /** The code passed to codeAutomationExit; undefined when the tests never finished. */
  readonly exitCode: number | undefined;
  /** Mocha's counts from the tests module; undefined when it never printed them. */
  readonly counts: MochaCounts | undefined;
  readonly timedOut: boolean;
  /** The workbench's log files, handed over at exit. */
  readonly logs: readonly WorkbenchLog[];
}

export interface ExtensionTestOptions {
  readonly chromium: string;
  readonly profileDir: string;
  readonly origin: string;
  readonly folder: string;
  readonly payload: readonly PayloadEntry[];
  readonly timeoutMs: number;
  readonly print: Print;
  /** Print every workbench log line, noise included. */
  readonly verbose?: boolean;
}

/** Opens a workbench that runs an extension tests module and waits for codeAutomationExit. */
export async function runExtensionTests(options: ExtensionTestOptions): Promise<ExtensionTestRun> {
  let counts: MochaCounts | undefined;
  let finish: ((exit: { code: number; logs: readonly WorkbenchLog[] }) => void) | undefined;
  const finished = new Promise<{ code: number; logs: readonly WorkbenchLog[] }>((resolve) => (finish = resolve));
  const workbench: Workbench = await launchWorkbench({
    executablePath: options.chromium,
    profileDir: options.profileDir,
    onLog: (level, message) => {
      const lines = formatConsoleMessage(message).split('\n');
      for (const line of lines) counts = parseResultLine(line) ?? counts;
      // Noise is judged by a message's first line, so its stack trace goes with it.
      if (!options.verbose && NOISE.some((re) => re.test(lines[0]))) return;
      const prefix = level === 'info' || level === 'log' ? '' : `[${level}] `;
      for (const line of lines) options.print(`${prefix}${line}`);
    },
    onExit: (code, logs) => finish?.({ code, logs }),
    onPageError: (message) => options.print(`[page error] ${message}`),
  });
  try {
    await workbench.page.goto(workbenchUrl(options.origin, options.folder, options.payload), { timeout: 60_000 });
    const outcome = await Promise.race([finished, delay(options.timeoutMs).then(() => undefined)]);
    if (!outcome) {
      options.print(`extension tests did not finish within ${Math.round(options.timeoutMs / 1000)} s`);
      return { exitCode: undefined, counts, timedOut: true, logs: [] };
    }
    return { exitCode: outcome.code, counts, timedOut: false, logs: outcome.logs };
  } finally {
    await workbench.close();
  }
}

/** Saves the workbench's log files (extension host, server, window) for a failed run. */
export function saveLogs(logs: readonly WorkbenchLog[], dir: string): void {
  for (const log of logs) {
    const safe = log.relativePath.replace(/\.\.+/g, '_').replace(/^\/+/, '');
    const file = join(dir, safe);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, log.contents);
  }
}

/** "N passed, N failed": the last line of every runner. */
export function summaryLine(passed: number, failed: number): string {
  return `${passed} passed, ${failed} failed`;
}

/** Arms a hard deadline for the whole run: on expiry calls `onTimeout` (which should clean up) and exits 1. */
export function withHardTimeout(ms: number, onTimeout: () => Promise<void> | void): void {
  const timer = setTimeout(() => {
    void (async () => {
      print(`hard timeout: the run took more than ${Math.round(ms / 1000)} s`);
      try {
        await Promise.race([onTimeout(), delay(15_000)]);
      } finally {
        process.exit(1);
      }
    })();
  }, ms);
  timer.unref();
}

/** Ctrl+C / kill: clean up, then exit. */
export function onInterrupt(cleanup: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      print(`${signal}: stopping`);
      void Promise.race([cleanup(), delay(15_000)]).finally(() => process.exit(130));
    });
  }
}
