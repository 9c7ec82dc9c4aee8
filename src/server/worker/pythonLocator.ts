import { constants, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where the chosen interpreter came from. */
export type PythonSource = 'setting' | 'managed' | 'path';

export type PythonLocation = { ok: true; python: string; source: PythonSource } | { ok: false; problem: 'python-not-found'; python: string; message: string };

export interface LocatePythonOptions {
  /** finlabel.python.interpreterPath; '' or undefined when not set. */
  settingPath?: string;
  /** Interpreter of the environment made by "Create Python Environment", when one was made. */
  managedPython?: string;
  /** Defaults to process.env.PATH. */
  envPath?: string;
  /** Defaults to process.platform. */
  platform?: NodeJS.Platform;
}

const SETTING = 'finlabel.python.interpreterPath';

/**
 * Choose the worker's interpreter: the explicit setting (validated; an invalid one is an error,
 * never silently skipped) > the managed environment (when it exists) > python3 on PATH.
 */
export async function locatePython(options: LocatePythonOptions): Promise<PythonLocation> {
  const platform = options.platform ?? process.platform;
  const setting = options.settingPath?.trim();
  if (setting) {
    const python = expandHome(setting);
    const problem = await checkExecutable(python, platform);
    if (problem) {
      return { ok: false, problem: 'python-not-found', python, message: `${SETTING} is set to "${python}", which ${problem}.` };
    }
    return { ok: true, python, source: 'setting' };
  }
  if (options.managedPython && (await checkExecutable(options.managedPython, platform)) === undefined) {
    return { ok: true, python: options.managedPython, source: 'managed' };
  }
  const names = platform === 'win32' ? ['python.exe', 'python3.exe'] : ['python3'];
  const found = await findOnPath(names, options.envPath ?? process.env.PATH ?? '', platform);
  if (found) return { ok: true, python: found, source: 'path' };
  return {
    ok: false,
    problem: 'python-not-found',
    python: names[0],
    message:
      `No Python interpreter was found: ${names.join(' / ')} is not on PATH. Install Python 3, or set ${SETTING} ` +
      'to the interpreter that should run the worker.',
  };
}

/** Resolve a command name through a PATH string; undefined when no directory has it. */
export async function findOnPath(names: readonly string[], envPath: string, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  const separator = platform === 'win32' ? ';' : ':';
  for (const dir of envPath.split(separator)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      if ((await checkExecutable(candidate, platform)) === undefined) return candidate;
    }
  }
  return undefined;
}

/** Why `file` cannot be run as an interpreter, or undefined when it can. */
async function checkExecutable(file: string, platform: NodeJS.Platform): Promise<string | undefined> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    return 'does not exist';
  }
  if (!stat.isFile()) return 'is not a file';
  if (platform === 'win32') return undefined;
  try {
    await fs.access(file, constants.X_OK);
  } catch {
    return 'is not executable';
  }
  return undefined;
}

function expandHome(p: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(os.homedir(), p.slice(2));
  return p;
}
