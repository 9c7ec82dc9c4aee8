// `npm run test:package`: installs dist-vsix/finlabel-linux-x64.vsix (from `npm run package`) into a
// fresh code-server with `--install-extension`, opens a copy of the samples without the repo as a
// development extension, and checks there that the installed copy activates (packageTests.ts).
// Ends with "N passed, N failed". Environment: FINLABEL_VSCODE_TIMEOUT_S (hard limit, default 300),
// FINLABEL_VERBOSE=1, FINLABEL_KEEP_TMP=1.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProfile, installExtension, remoteAuthority } from './codeServer';
import { runHarness, type Harness } from './harnessRun';
import { checkBuilt } from './paths';
import { print, runExtensionTests } from './session';
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

/** The two files the run needs: the VSIX to install and the tests module the probe window runs. */
interface PackageFiles {
  readonly vsix: string;
  readonly testsModule: string;
}

async function main(h: Harness, { vsix, testsModule }: PackageFiles): Promise<void> {
  const profile = createProfile(join(h.scratchDir, 'server'));
  print(`installing ${vsix}`);
  print(installExtension(h.tools, profile, vsix));
  const server = await h.startServer(profile);
  const authority = await remoteAuthority(server.origin);
  const workspace = prepareWorkspace(h.repo, join(h.scratchDir, 'workspace'), interpreterSettings(h.repo));
  const probe = writeProbeExtension(join(h.scratchDir, 'probe'));
  const run = await runExtensionTests({
    chromium: h.tools.chromium,
    profileDir: join(h.scratchDir, 'chromium'),
    origin: server.origin,
    folder: workspace,
    payload: developmentPayload(authority, probe, testsModule),
    timeoutMs: h.remainingMs(20_000),
    print,
    verbose: h.verbose,
  });
  h.recordRun(run, { label: 'package checks', logsFolder: 'package-logs' });
}

runHarness(
  {
    scratchPrefix: 'finlabel-package-',
    defaultTimeoutS: 300,
    prepare: (repo): PackageFiles => {
      const vsix = join(repo, 'dist-vsix', 'finlabel-linux-x64.vsix');
      const testsModule = join(repo, 'out', 'test', 'harness', 'packageTests.js');
      checkBuilt([testsModule]);
      checkBuilt([vsix], 'npm run package');
      return { vsix, testsModule };
    },
  },
  main,
);
