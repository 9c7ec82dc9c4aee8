// The integration suites under @vscode/test-electron, for a workstation that can download VS Code
// (the offline runner is `npm run test:vscode`, on code-server). Suggested script:
//   "test:electron": "node out/test/integration/runTestElectron.js"
// Environment: FINLABEL_VSCODE_VERSION (default "stable"), FINLABEL_VSCODE_EXECUTABLE (an installed VS Code).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runTests } from '@vscode/test-electron';
import { parseResultLine, type MochaCounts } from '../harness/mochaResult';
import { findRepoRoot } from '../harness/paths';
import { interpreterSettings, prepareWorkspace, SUITE_SETTINGS } from '../harness/workspace';

/** Echoes VS Code's output and picks mocha's counts out of it. */
function countingStream(target: NodeJS.WriteStream, onCounts: (counts: MochaCounts) => void): Writable {
  let buffered = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      const text = chunk.toString();
      target.write(text);
      buffered += text;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const counts = parseResultLine(line);
        if (counts) onCounts(counts);
      }
      callback();
    },
  });
}

async function main(): Promise<number> {
  const repo = findRepoRoot(__dirname);
  const scratch = mkdtempSync(join(tmpdir(), 'finlabel-electron-'));
  let counts: MochaCounts | undefined;
  const onCounts = (c: MochaCounts): void => {
    counts = c;
  };
  try {
    const workspace = prepareWorkspace(repo, join(scratch, 'workspace'), { ...interpreterSettings(repo), ...SUITE_SETTINGS });
    const exitCode = await runTests({
      version: process.env.FINLABEL_VSCODE_VERSION ?? 'stable',
      vscodeExecutablePath: process.env.FINLABEL_VSCODE_EXECUTABLE,
      extensionDevelopmentPath: repo,
      extensionTestsPath: join(repo, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--user-data-dir',
        join(scratch, 'user-data'),
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
      stdout: countingStream(process.stdout, onCounts),
      stderr: countingStream(process.stderr, onCounts),
    }).catch((error: unknown) => {
      console.error(`VS Code tests failed: ${(error as Error).message}`);
      return 1;
    });
    const passed = counts?.passed ?? 0;
    const failed = (counts?.failed ?? 0) + (exitCode !== 0 && !counts?.failed ? 1 : 0);
    console.log(`${passed} passed, ${failed} failed`);
    return failed === 0 && passed > 0 ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
