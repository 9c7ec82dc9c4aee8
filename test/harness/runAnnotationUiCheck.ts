// `node out/test/harness/runAnnotationUiCheck.js`: only the annotation view's Chromium check (the
// last phase of `npm run test:vscode`), for working on the view. Ends with "N passed, N failed".
import { join } from 'node:path';
import { checkAnnotationView } from './annotationUiCheck';
import { createProfile, remoteAuthority } from './codeServer';
import { runHarness } from './harnessRun';
import { checkBuilt } from './paths';

runHarness(
  {
    scratchPrefix: 'finlabel-annotation-ui-',
    defaultTimeoutS: 300,
    prepare: (repo) => checkBuilt([join(repo, 'dist', 'extension.js'), join(repo, 'dist', 'webview', 'annotationView.js')]),
  },
  async (h) => {
    const server = await h.startServer(createProfile(join(h.scratchDir, 'server')));
    const authority = await remoteAuthority(server.origin);
    const ok = await checkAnnotationView(h.repo, server, authority, join(h.scratchDir, 'ui-annotation'), h.verbose);
    if (ok) h.tally.passed += 1;
    else h.tally.failed += 1;
  },
);
