import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerJobs } from '../../src/server/worker/workerJobs';
import { WorkerSupervisor } from '../../src/server/worker/workerSupervisor';

/**
 * The worker's Python in the repository's .venv (made by scripts/setup.sh). These suites exist to
 * run the worker: without it they fail, so a run without .venv never passes by skipping them.
 */
export function workerPython(repo: string): string {
  const python = join(repo, '.venv', 'bin', 'python');
  if (!existsSync(python)) throw new Error(`${python} is missing: run scripts/setup.sh (the worker-backed tests need the worker's environment)`);
  return python;
}

/** A supervisor of the repository's worker (src/server/worker/python, one torch thread) and its job client. */
export function startWorkerJobs(repo: string): { supervisor: WorkerSupervisor; jobs: WorkerJobs } {
  const python = workerPython(repo);
  const supervisor = new WorkerSupervisor({
    workerDir: join(repo, 'src', 'server', 'worker', 'python'),
    locatePython: async () => ({ ok: true, python, source: 'setting' }),
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  return { supervisor, jobs: new WorkerJobs(supervisor) };
}

/**
 * Mocha hooks for the enclosing suite: the workers the CLI starts inherit OMP_NUM_THREADS=1 (one thread
 * trains faster on a busy 2-core machine); the variable is as it was afterwards.
 */
export function oneTorchThreadInThisSuite(): void {
  let saved: string | undefined;
  before(() => {
    saved = process.env.OMP_NUM_THREADS;
    process.env.OMP_NUM_THREADS = '1';
  });
  after(() => {
    if (saved === undefined) delete process.env.OMP_NUM_THREADS;
    else process.env.OMP_NUM_THREADS = saved;
  });
}
