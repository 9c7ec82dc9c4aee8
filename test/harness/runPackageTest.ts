// `npm run test:package`: installs dist-vsix/finlabel-linux-x64.vsix (from `npm run package`) into a
// fresh code-server with `--install-extension`, opens a copy of the samples without the repo as a
// development extension, and checks there that the installed copy activates (packageTests.ts).
// Ends with "N passed, N failed". Environment: FINLABEL_VSCODE_TIMEOUT_S (hard limit, default 300),
// FINLABEL_VERBOSE=1, FINLABEL_KEEP_TMP=1.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProfile, installExtension, remoteAuthority, startCodeServer, type CodeServer } from './codeServer';
import { checkBuilt, checkTools, findRepoRoot, toolPaths } from './paths';
import { createScratch, onInterrupt, print, runExtensionTests, saveLogs, summaryLine, withHardTimeout } from './session';
import { interpreterSettings, prepareWorkspace } from './workspace';
import { developmentPayload } from './workbench';

/**
 * VS Code runs a tests module only for a window with a development extension. This empty one
 * stands in, so FinLabel itself is the copy installed from the VSIX.
 */
function writeProbeExtension(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: 'package-probe',
    displayName: 'FinLabel package test probe',
    publisher: 'finlabel-test',
    version: '0.0.0',
    engines: { vscode: '^1.100.0' },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

async function main(): Promise<number> {
  const started = Date.now();
  const repo = findRepoRoot();
  const tools = toolPaths(repo);
  checkTools(tools);
  const vsix = join(repo, 'dist-vsix', 'finlabel-linux-x64.vsix');
  const testsModule = join(repo, 'out', 'test', 'harness', 'packageTests.js');
  checkBuilt([testsModule]);
  checkBuilt([vsix], 'npm run package');
  const verbose = process.env.FINLABEL_VERBOSE === '1';
  const timeoutMs = Number(process.env.FINLABEL_VSCODE_TIMEOUT_S ?? 300) * 1000;

  let passed = 0;
  let failed = 0;
  let server: CodeServer | undefined;
  const scratch = createScratch('finlabel-package-');
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
    print(`installing ${vsix}`);
    print(installExtension(tools, profile, vsix));
    server = await startCodeServer({ tools, profile, onOutput: verbose ? (l) => print(`[code-server] ${l}`) : undefined });
    const authority = await remoteAuthority(server.origin);
    const workspace = prepareWorkspace(repo, join(scratch.dir, 'workspace'), interpreterSettings(repo));
    const probe = writeProbeExtension(join(scratch.dir, 'probe'));
    const run = await runExtensionTests({
      chromium: tools.chromium,
      profileDir: join(scratch.dir, 'chromium'),
      origin: server.origin,
      folder: workspace,
      payload: developmentPayload(authority, probe, testsModule),
      timeoutMs: Math.max(10_000, timeoutMs - (Date.now() - started) - 20_000),
      print,
      verbose,
    });
    passed += run.counts?.passed ?? 0;
    failed += run.counts?.failed ?? 0;
    const ok = run.exitCode === 0 && run.counts !== undefined && run.counts.failed === 0;
    if (!ok && (run.counts?.failed ?? 0) === 0) failed += 1;
    print(`package checks: exit ${run.exitCode ?? 'none'}${run.timedOut ? ' (timed out)' : ''}`);
    if (!ok && run.logs.length > 0) {
      const dir = join(repo, 'test-results', 'package-logs');
      saveLogs(run.logs, dir);
      print(`workbench logs saved to ${dir}`);
    }
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

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    print(`error: ${(error as Error).stack ?? String(error)}`);
    print(summaryLine(0, 1));
    process.exit(1);
  },
);
