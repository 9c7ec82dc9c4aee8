// The scaffold every code-server runner shares: finds the repo and tools, owns the pass/fail tally,
// the scratch folder, code-server's shutdown, the hard timeout and Ctrl+C, and ends with
// "took N s" and "N passed, N failed" (exit 0 only when something passed and nothing failed).
import { join } from 'node:path';
import { startCodeServer, type CodeServer, type Profile } from './codeServer';
import { checkTools, findRepoRoot, toolPaths, type ToolPaths } from './paths';
import { createScratch, onInterrupt, print, saveLogs, summaryLine, withHardTimeout, type ExtensionTestRun } from './session';

/** Checks passed and failed so far. */
export interface Tally {
  passed: number;
  failed: number;
}

export interface HarnessOptions<T> {
  /** Prefix of the scratch folder's name, e.g. 'finlabel-vscode-'. */
  readonly scratchPrefix: string;
  /** Hard limit for the whole run when FINLABEL_VSCODE_TIMEOUT_S is unset. */
  readonly defaultTimeoutS: number;
  /** Runs once the tools are found: checks the build outputs the run needs, returns what the body uses. */
  readonly prepare: (repo: string) => T;
}

/** How `recordRun` reports an extension tests run. */
export interface RunReport {
  /** Starts the status line: "<label>: exit N". */
  readonly label: string;
  /** Ends the status line with the run's own counts ("N passed, N failed" or "no counts"). */
  readonly showCounts?: boolean;
  /** Folder under test-results/ for the workbench logs of a failed run. */
  readonly logsFolder: string;
}

export interface Harness {
  readonly repo: string;
  readonly tools: ToolPaths;
  readonly scratchDir: string;
  /** Date.now() at the start of the run. */
  readonly started: number;
  /** FINLABEL_VERBOSE=1. */
  readonly verbose: boolean;
  readonly tally: Tally;
  /** Starts code-server on `profile`; the harness stops it at the end. */
  startServer(profile: Profile): Promise<CodeServer>;
  /** Time left before the hard limit, less `reserveMs`, but at least 10 s. */
  remainingMs(reserveMs: number): number;
  /** Adds a run to the tally, prints its status line, saves its logs when it failed; returns whether it passed. */
  recordRun(run: ExtensionTestRun, report: RunReport): boolean;
}

/** Seconds since `started`, one decimal. */
export function secondsSince(started: number): string {
  return ((Date.now() - started) / 1000).toFixed(1);
}

/**
 * Adds a run's counts to `tally`. A run that died without counts, or exited non-zero without a
 * failing test, counts as one failure, never a pass. Returns whether the run passed.
 */
export function addRunCounts(tally: Tally, run: ExtensionTestRun): boolean {
  tally.passed += run.counts?.passed ?? 0;
  tally.failed += run.counts?.failed ?? 0;
  const ok = run.exitCode === 0 && run.counts !== undefined && run.counts.failed === 0;
  if (!ok && (run.counts?.failed ?? 0) === 0) tally.failed += 1;
  return ok;
}

/** "<label>: exit N (timed out)", optionally followed by the run's counts. */
export function runStatus(run: ExtensionTestRun, label: string, showCounts = false): string {
  const status = `${label}: exit ${run.exitCode ?? 'none'}${run.timedOut ? ' (timed out)' : ''}`;
  if (!showCounts) return status;
  return `${status}, ${run.counts ? summaryLine(run.counts.passed, run.counts.failed) : 'no counts'}`;
}

/** Runs `body` inside the shared scaffold, then exits the process with the run's code. */
export function runHarness<T>(options: HarnessOptions<T>, body: (harness: Harness, prepared: T) => Promise<void>): void {
  harnessMain(options, body).then(
    (code) => process.exit(code),
    (error: unknown) => {
      print(`error: ${(error as Error).stack ?? String(error)}`);
      print(summaryLine(0, 1));
      process.exit(1);
    },
  );
}

async function harnessMain<T>(options: HarnessOptions<T>, body: (harness: Harness, prepared: T) => Promise<void>): Promise<number> {
  const started = Date.now();
  const repo = findRepoRoot();
  const tools = toolPaths(repo);
  checkTools(tools);
  const prepared = options.prepare(repo);
  const verbose = process.env.FINLABEL_VERBOSE === '1';
  const timeoutMs = Number(process.env.FINLABEL_VSCODE_TIMEOUT_S ?? options.defaultTimeoutS) * 1000;

  const tally: Tally = { passed: 0, failed: 0 };
  let server: CodeServer | undefined;
  const scratch = createScratch(options.scratchPrefix);
  const cleanup = async (): Promise<void> => {
    await server?.stop();
    scratch.remove();
  };
  withHardTimeout(timeoutMs, async () => {
    await cleanup();
    print(summaryLine(tally.passed, tally.failed + 1));
  });
  onInterrupt(cleanup);

  const harness: Harness = {
    repo,
    tools,
    scratchDir: scratch.dir,
    started,
    verbose,
    tally,
    startServer: async (profile) => {
      server = await startCodeServer({ tools, profile, onOutput: verbose ? (l) => print(`[code-server] ${l}`) : undefined });
      return server;
    },
    remainingMs: (reserveMs) => Math.max(10_000, timeoutMs - (Date.now() - started) - reserveMs),
    recordRun: (run, report) => {
      const ok = addRunCounts(tally, run);
      print(runStatus(run, report.label, report.showCounts));
      if (!ok && run.logs.length > 0) {
        const dir = join(repo, 'test-results', report.logsFolder);
        saveLogs(run.logs, dir);
        print(`workbench logs saved to ${dir}`);
      }
      return ok;
    },
  };

  try {
    await body(harness, prepared);
  } catch (error) {
    print(`error: ${(error as Error).stack ?? String(error)}`);
    tally.failed += 1;
  } finally {
    await cleanup();
  }
  print(`took ${secondsSince(started)} s`);
  print(summaryLine(tally.passed, tally.failed));
  return tally.failed === 0 && tally.passed > 0 ? 0 : 1;
}
