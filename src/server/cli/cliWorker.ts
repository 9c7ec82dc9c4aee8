import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { locatePython, type PythonLocation } from '../worker/pythonLocator';
import { WorkerSupervisor } from '../worker/workerSupervisor';

/** The environment variable naming the interpreter the CLI runs the worker with. */
export const PYTHON_ENV = 'FINLABEL_PYTHON';

/** Folders from `from` up to the filesystem root. */
function ancestors(from: string): string[] {
  const out: string[] = [];
  for (let d = path.resolve(from); ; d = path.dirname(d)) {
    out.push(d);
    if (path.dirname(d) === d) return out;
  }
}

/** The worker's Python package next to the bundled CLI (dist/worker), else in the repository's sources. */
export function workerDirFrom(from: string): string | undefined {
  for (const d of ancestors(from)) {
    for (const candidate of [path.join(d, 'worker'), path.join(d, 'src', 'server', 'worker', 'python')]) {
      if (existsSync(path.join(candidate, 'finlabel_worker', '__main__.py'))) return candidate;
    }
  }
  return undefined;
}

/** The repository's .venv interpreter (scripts/setup.sh makes it), when the CLI runs from a checkout. */
function repoVenvPython(from: string): string | undefined {
  for (const d of ancestors(from)) {
    const python = path.join(d, '.venv', process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
    if (existsSync(python)) return python;
  }
  return undefined;
}

/** FINLABEL_PYTHON, else the repository's .venv, else python3 on PATH. */
export async function cliPython(from: string): Promise<PythonLocation> {
  const fromEnv = process.env[PYTHON_ENV]?.trim();
  if (fromEnv) {
    const found = await locatePython({ settingPath: fromEnv });
    return found.ok ? found : { ...found, message: `${PYTHON_ENV} is set to "${fromEnv}", which cannot be run: ${found.message}` };
  }
  return locatePython({ managedPython: repoVenvPython(from) });
}

/** A worker for one CLI run; the caller disposes it. Undefined when the worker's package is not found. */
export function cliWorker(from: string = __dirname): WorkerSupervisor | undefined {
  const workerDir = workerDirFrom(from);
  if (!workerDir) return undefined;
  return new WorkerSupervisor({ workerDir, locatePython: () => cliPython(from), restartPolicy: { maxRestarts: 0, windowMs: 60_000, backoffMs: () => 0 } });
}
