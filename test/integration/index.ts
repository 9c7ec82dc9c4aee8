// The tests module the workbench loads in the extension host (under code-server through the URL
// payload's extensionTestsPath, under @vscode/test-electron through --extensionTestsPath).
// Runs mocha over every compiled suite file next to it and reports the counts.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { formatResultLine, type MochaCounts } from '../harness/mochaResult';

function suiteFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...suiteFiles(path));
    else if (name.endsWith('.test.js')) files.push(path);
  }
  return files;
}

export async function run(): Promise<void> {
  // FINLABEL_TEST_GREP runs only the tests whose full title matches (a regular expression).
  const grep = process.env.FINLABEL_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', ...(grep ? { grep: new RegExp(grep) } : {}) });
  const files = suiteFiles(join(__dirname, 'suite'));
  for (const file of files) mocha.addFile(file);
  console.log(`mocha: ${files.length} suite files in ${join(__dirname, 'suite')}`);
  const counts = await new Promise<MochaCounts>((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        const stats = runner.stats;
        resolve({ passed: stats?.passes ?? 0, failed: stats?.failures ?? 0, pending: stats?.pending ?? 0 });
      });
    } catch (error) {
      // A suite file that throws while loading: nothing ran.
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  }).catch((error: Error) => {
    console.error(`mocha could not run the suites: ${error.stack ?? error.message}`);
    return { passed: 0, failed: 1, pending: 0 };
  });
  console.log(formatResultLine(counts));
  console.log(`${counts.passed} passing, ${counts.failed} failing${counts.pending ? `, ${counts.pending} pending` : ''}`);
  if (counts.failed > 0) throw new Error(`${counts.failed} of ${counts.passed + counts.failed} tests failed`);
  if (counts.passed === 0) throw new Error('no tests ran');
}
