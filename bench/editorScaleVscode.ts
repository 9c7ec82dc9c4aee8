// Editor scale in a real VS Code: `node out/bench/editorScaleVscode.js` (after `npm run build` and
// scripts/setup-vscode.sh). Starts code-server and Chromium as the integration tests do and runs
// bench/vscodeScale inside the extension host, which prints its table. FINLABEL_BENCH_RECORDS sets
// the dataset's size (default 100,000).
import { join } from 'node:path';
import { createProfile, remoteAuthority } from '../test/harness/codeServer';
import { runHarness } from '../test/harness/harnessRun';
import { checkBuilt } from '../test/harness/paths';
import { print, runExtensionTests } from '../test/harness/session';
import { developmentPayload } from '../test/harness/workbench';
import { interpreterSettings, prepareWorkspace } from '../test/harness/workspace';

runHarness(
  {
    scratchPrefix: 'finlabel-bench-',
    defaultTimeoutS: 900,
    prepare: (repo) => {
      const module = join(repo, 'out', 'bench', 'vscodeScale', 'index.js');
      checkBuilt([join(repo, 'dist', 'extension.js'), module]);
      return module;
    },
  },
  async (h, benchModule) => {
    const server = await h.startServer(createProfile(join(h.scratchDir, 'server')));
    const authority = await remoteAuthority(server.origin);
    const workspace = prepareWorkspace(h.repo, join(h.scratchDir, 'workspace'), {
      ...interpreterSettings(h.repo),
      'finlabel.worker.startOnActivation': false,
      'editor.minimap.enabled': false,
    });
    const run = await runExtensionTests({
      chromium: h.tools.chromium,
      profileDir: join(h.scratchDir, 'chromium'),
      origin: server.origin,
      folder: workspace,
      payload: developmentPayload(authority, h.repo, benchModule),
      timeoutMs: h.remainingMs(30_000),
      print,
      verbose: h.verbose,
    });
    h.recordRun(run, { label: 'editor scale benchmark', logsFolder: 'bench-logs' });
  },
);
