// `npm run test:vscode`: the extension's integration tests in a real VS Code (code-server) driven
// by Chromium, then the end-to-end UI check. Ends with "N passed, N failed"; exits non-zero on any
// failure. Environment: FINLABEL_VSCODE_TIMEOUT_S (hard limit, default 600), FINLABEL_VERBOSE=1
// (server output and workbench noise too), FINLABEL_KEEP_TMP=1 (keep the scratch folder).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LABEL_TYPES } from '../../src/common/labelSchema';
import { createProfile, remoteAuthority, startCodeServer, type CodeServer } from './codeServer';
import { checkBuilt, checkTools, findRepoRoot, toolPaths } from './paths';
import {
  createScratch,
  formatConsoleMessage,
  onInterrupt,
  print,
  runExtensionTests,
  saveLogs,
  summaryLine,
  withHardTimeout,
} from './session';
import { runUiCheck } from './uiCheck';
import { interpreterSettings, prepareWorkspace } from './workspace';
import { developmentPayload, launchWorkbench, workbenchUrl } from './workbench';

const SAMPLE_FILE = 'due_diligence.jsonl';
/** Settings for the UI check's workspace: every span on screen, no minimap, no worker start-up. */
const UI_SETTINGS: Readonly<Record<string, unknown>> = {
  'editor.wordWrap': 'on',
  'editor.minimap.enabled': false,
  'finlabel.worker.startOnActivation': false,
};

async function main(): Promise<number> {
  const started = Date.now();
  const repo = findRepoRoot();
  const tools = toolPaths(repo);
  checkTools(tools);
  const testsModule = join(repo, 'out', 'test', 'integration', 'index.js');
  checkBuilt([join(repo, 'dist', 'extension.js'), testsModule]);
  const verbose = process.env.FINLABEL_VERBOSE === '1';
  const timeoutMs = Number(process.env.FINLABEL_VSCODE_TIMEOUT_S ?? 600) * 1000;

  let passed = 0;
  let failed = 0;
  let server: CodeServer | undefined;
  const scratch = createScratch('finlabel-vscode-');
  const cleanup = async (): Promise<void> => {
    await server?.stop();
    scratch.remove();
  };
  withHardTimeout(timeoutMs, async () => {
    await cleanup();
    print(summaryLine(passed, failed + 1));
  });
  onInterrupt(cleanup);

  try {
    const profile = createProfile(join(scratch.dir, 'server'));
    server = await startCodeServer({ tools, profile, onOutput: verbose ? (l) => print(`[code-server] ${l}`) : undefined });
    const authority = await remoteAuthority(server.origin);
    print(`code-server ${server.origin} ready after ${((Date.now() - started) / 1000).toFixed(1)} s (remote authority "${authority}")`);

    // 1. The mocha suites, inside the extension host.
    const workspace = prepareWorkspace(repo, join(scratch.dir, 'workspace'), interpreterSettings(repo));
    const run = await runExtensionTests({
      chromium: tools.chromium,
      profileDir: join(scratch.dir, 'chromium-tests'),
      origin: server.origin,
      folder: workspace,
      payload: developmentPayload(authority, repo, testsModule),
      timeoutMs: Math.max(10_000, timeoutMs - (Date.now() - started) - 150_000),
      print,
      verbose,
    });
    passed += run.counts?.passed ?? 0;
    failed += run.counts?.failed ?? 0;
    const testsOk = run.exitCode === 0 && run.counts !== undefined && run.counts.failed === 0;
    if (!run.counts) failed += 1; // died before reporting: one failure, never a pass
    else if (!testsOk && run.counts.failed === 0) failed += 1; // exited non-zero without a failing test
    print(`extension tests: exit ${run.exitCode ?? 'none'}${run.timedOut ? ' (timed out)' : ''}, ${run.counts ? `${run.counts.passed} passed, ${run.counts.failed} failed` : 'no counts'}`);
    if (!testsOk && run.logs.length > 0) {
      const dir = join(repo, 'test-results', 'vscode-logs');
      saveLogs(run.logs, dir);
      print(`workbench logs saved to ${dir}`);
    }

    // 2. The end-to-end UI check, in a fresh window on a fresh copy of the samples.
    const uiOk = await uiCheck(repo, server, authority, join(scratch.dir, 'ui'), verbose);
    if (uiOk) passed += 1;
    else failed += 1;
  } catch (error) {
    print(`error: ${(error as Error).stack ?? String(error)}`);
    failed += 1;
  } finally {
    await cleanup();
  }
  print(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  print(summaryLine(passed, failed));
  return failed === 0 && passed > 0 ? 0 : 1;
}

async function uiCheck(repo: string, server: CodeServer, authority: string, dir: string, verbose: boolean): Promise<boolean> {
  const workspace = prepareWorkspace(repo, join(dir, 'workspace'), { ...interpreterSettings(repo), ...UI_SETTINGS });
  const sample = join(workspace, SAMPLE_FILE);
  if (!existsSync(sample)) {
    print(`ui check: FAILED: samples/${SAMPLE_FILE} does not exist`);
    return false;
  }
  const workbench = await launchWorkbench({
    executablePath: toolPaths(repo).chromium,
    profileDir: join(dir, 'chromium'),
    onLog: verbose ? (level, message) => print(`[ui ${level}] ${formatConsoleMessage(message)}`) : undefined,
  });
  try {
    await workbench.page.goto(workbenchUrl(server.origin, workspace, developmentPayload(authority, repo)), { timeout: 60_000 });
    const result = await runUiCheck({
      page: workbench.page,
      fileName: SAMPLE_FILE,
      expectText: firstText(sample),
      colours: DEFAULT_LABEL_TYPES.map((t) => ({ name: t.tag, color: t.color })),
      screenshotPath: join(repo, 'test-results', 'decorated-sample.png'),
      minPixelsPerColour: 30,
      timeoutMs: 120_000,
      log: print,
    });
    print(`ui check: ${result.passed ? 'passed' : 'FAILED'}: ${result.message}`);
    return result.passed;
  } catch (error) {
    const shot = join(repo, 'test-results', 'ui-check-failure.png');
    await workbench.page.screenshot({ path: shot }).catch(() => undefined);
    print(`ui check: FAILED: ${(error as Error).message} (screenshot ${shot})`);
    return false;
  } finally {
    await workbench.close();
  }
}

/** The start of the first record's text, as the editor shows it inside the JSON string. */
function firstText(file: string): string {
  const line = readFileSync(file, 'utf8').split('\n').find((l) => l.trim()) ?? '';
  try {
    const text = (JSON.parse(line) as { text?: unknown }).text;
    if (typeof text === 'string' && text) return JSON.stringify(Array.from(text).slice(0, 8).join('')).slice(1, -1);
  } catch {
    // Not JSON: look for the raw line instead.
  }
  return line.slice(0, 16);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    print(`error: ${(error as Error).stack ?? String(error)}`);
    print(summaryLine(0, 1));
    process.exit(1);
  },
);
