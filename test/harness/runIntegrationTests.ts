// `npm run test:vscode`: the extension's integration tests in a real VS Code (code-server) driven
// by Chromium, then the end-to-end UI check. Ends with "N passed, N failed"; exits non-zero on any
// failure. Environment: FINLABEL_VSCODE_TIMEOUT_S (hard limit, default 600), FINLABEL_VERBOSE=1
// (server output and workbench noise too), FINLABEL_KEEP_TMP=1 (keep the scratch folder),
// FINLABEL_TEST_GREP=REGEX (only the mocha tests whose title matches; no UI check),
// FINLABEL_NO_TINY_MODEL=1 (with a grep for suites that do not need it: skip training the tiny model).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LABEL_TYPES } from '../../src/common/labelSchema';
import { checkAnnotationView } from './annotationUiCheck';
import { createProfile, remoteAuthority, type CodeServer } from './codeServer';
import { runHarness, secondsSince, type Harness } from './harnessRun';
import { checkBuilt, toolPaths } from './paths';
import { formatConsoleMessage, print, runExtensionTests } from './session';
import { quickPickRowsOfCommand, runUiCheck } from './uiCheck';
import { interpreterSettings, prepareWorkspace, SUITE_SETTINGS } from './workspace';
import { developmentPayload, launchWorkbench, workbenchUrl } from './workbench';
import { ensureTrainedModel } from '../support/tinyEntityModel';

const SAMPLE_FILE = 'due_diligence.jsonl';
/** Settings for the UI check's workspace: every span on screen, no minimap, no worker start-up. */
const UI_SETTINGS: Readonly<Record<string, unknown>> = {
  'editor.wordWrap': 'on',
  'editor.minimap.enabled': false,
  'finlabel.worker.startOnActivation': false,
};

async function main(h: Harness, testsModule: string): Promise<void> {
  // The entity-prediction tests need a model: trained once through the worker (kept in test-results/).
  const trained = Date.now();
  if (process.env.FINLABEL_NO_TINY_MODEL && process.env.FINLABEL_TEST_GREP)
    print('entity model for the prediction tests: not trained (FINLABEL_NO_TINY_MODEL)');
  else print(`entity model for the prediction tests: ${await ensureTrainedModel(undefined, print)} (${((Date.now() - trained) / 1000).toFixed(1)} s)`);
  const server = await h.startServer(createProfile(join(h.scratchDir, 'server')));
  const authority = await remoteAuthority(server.origin);
  print(`code-server ${server.origin} ready after ${secondsSince(h.started)} s (remote authority "${authority}")`);

  // 1. The mocha suites, inside the extension host.
  const workspace = prepareWorkspace(h.repo, join(h.scratchDir, 'workspace'), { ...interpreterSettings(h.repo), ...SUITE_SETTINGS });
  const run = await runExtensionTests({
    chromium: h.tools.chromium,
    profileDir: join(h.scratchDir, 'chromium-tests'),
    origin: server.origin,
    folder: workspace,
    payload: developmentPayload(authority, h.repo, testsModule),
    timeoutMs: h.remainingMs(150_000),
    print,
    verbose: h.verbose,
  });
  h.recordRun(run, { label: 'extension tests', showCounts: true, logsFolder: 'vscode-logs' });

  // 2. The end-to-end UI check, in a fresh window on a fresh copy of the samples (skipped when
  // FINLABEL_TEST_GREP picks some of the suites: a developer's quick run).
  if (process.env.FINLABEL_TEST_GREP) return;
  const uiOk = await uiCheck(h.repo, server, authority, join(h.scratchDir, 'ui'), h.verbose);
  if (uiOk) h.tally.passed += 1;
  else h.tally.failed += 1;
  // 3. The annotation view: select with the mouse, press a key, save (its own fresh window).
  const annotationOk = await checkAnnotationView(h.repo, server, authority, join(h.scratchDir, 'ui-annotation'), h.verbose);
  if (annotationOk) h.tally.passed += 1;
  else h.tally.failed += 1;
}

/** How the Evaluate picker names the model that ships in models/default-entities. */
const SHIPPED_MODEL_ROW = 'default-entities (shipped with FinLabel)';

/**
 * The end-to-end check in a real workbench: the sample's gold decorations drawn in their colours, then
 * the Command Palette's Evaluate Model offering the shipped model.
 */
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
    if (!result.passed) return false;
    // The Evaluate picker lists the shipped default model beside the workspace's (none here) and Browse.
    const deadline = Date.now() + 60_000;
    const rows = await quickPickRowsOfCommand(workbench.page, 'FinLabel: Evaluate Model', SHIPPED_MODEL_ROW, () => Math.max(1000, deadline - Date.now()));
    const browse = rows.some((r) => r.includes('Browse for a model folder'));
    print(`ui check: ${browse ? 'passed' : 'FAILED'}: Evaluate Model offers ${rows.join(' | ')}`);
    return browse;
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
  const line =
    readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.trim()) ?? '';
  try {
    const text = (JSON.parse(line) as { text?: unknown }).text;
    if (typeof text === 'string' && text) return JSON.stringify(Array.from(text).slice(0, 8).join('')).slice(1, -1);
  } catch {
    // Not JSON: look for the raw line instead.
  }
  return line.slice(0, 16);
}

runHarness(
  {
    scratchPrefix: 'finlabel-vscode-',
    defaultTimeoutS: 600,
    prepare: (repo) => {
      const testsModule = join(repo, 'out', 'test', 'integration', 'index.js');
      checkBuilt([join(repo, 'dist', 'extension.js'), testsModule]);
      return testsModule;
    },
  },
  main,
);
