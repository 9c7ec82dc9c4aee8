import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The worker's Python in the repository's .venv (made by scripts/setup.sh). These suites exist to
 * run the worker: without it they fail, so a run without .venv never passes by skipping them.
 */
export function workerPython(repo: string): string {
  const python = join(repo, '.venv', 'bin', 'python');
  if (!existsSync(python)) throw new Error(`${python} is missing: run scripts/setup.sh (the worker-backed tests need the worker's environment)`);
  return python;
}
