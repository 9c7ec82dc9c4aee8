import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './tinyEntityModel';

/**
 * A file of the build (dist/server.js, dist/cli.js) that a test starts as a process. Without
 * it the test fails at once naming the file, instead of skipping or waiting for a process that never answers.
 */
export function builtFile(...path: string[]): string {
  const file = join(repoRoot(), ...path);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build (a test starts it as a process)`);
  return file;
}
