import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { PipProgress } from './pipProgress';
import { killProcessTree, ownProcessGroup } from './processTree';

export interface CreateWorkerEnvironmentOptions {
  /** Interpreter that creates the venv. */
  basePython: string;
  venvDir: string;
  /** The worker's requirements.txt. */
  requirementsFile: string;
  /** VS Code progress style: `increment` is a percent of the whole job. */
  onProgress: (message: string, increment?: number) => void;
  /** Aborting kills the running step and rejects with an AbortError. */
  signal?: AbortSignal;
}

/** The interpreter inside a venv. */
export function venvPython(venvDir: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? path.win32.join(venvDir, 'Scripts', 'python.exe') : path.posix.join(venvDir, 'bin', 'python');
}

/** Percent reported once the venv exists. */
const VENV_DONE = 5;
/** pip's last output lines quoted in a failure message. */
const TAIL_LINES = 15;

/**
 * `basePython -m venv venvDir`, then `pip install -r requirementsFile` in it. Resolves with the
 * venv's interpreter. Running it again over an existing venv is safe (pip skips what is installed).
 */
export async function createWorkerEnvironment(options: CreateWorkerEnvironmentOptions): Promise<string> {
  const { basePython, venvDir, requirementsFile, onProgress, signal } = options;
  onProgress(`Creating a virtual environment in ${venvDir}`);
  await runStep('Creating the virtual environment', basePython, ['-m', 'venv', venvDir], { signal });
  onProgress('Virtual environment created', VENV_DONE);

  const python = venvPython(venvDir);
  const progress = new PipProgress(VENV_DONE);
  onProgress(`Installing the packages in ${path.basename(requirementsFile)}`);
  await runStep('Installing the worker requirements', python, ['-m', 'pip', 'install', '--progress-bar', 'off', '-r', requirementsFile], {
    signal,
    onLine: (line) => {
      const step = progress.line(line);
      if (step) onProgress(step.message, step.increment);
    },
  });
  return python;
}

interface StepOptions {
  signal?: AbortSignal;
  onLine?: (line: string) => void;
}

/** Run one command; reject with its last output lines when it fails. */
function runStep(label: string, command: string, args: string[], options: StepOptions): Promise<void> {
  const { signal, onLine } = options;
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const tail: string[] = [];
    const child = spawn(command, args, {
      env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1', PYTHONUNBUFFERED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: ownProcessGroup,
      windowsHide: true,
    });
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      killProcessTree(child, 'SIGTERM');
      killTimer = setTimeout(() => killProcessTree(child, 'SIGKILL'), 3000);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        onLine?.(line);
      });
    }
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      if (error) reject(error);
      else resolve();
    };
    child.on('error', (err) => finish(new Error(`${label} failed: cannot run "${command}": ${err.message}`)));
    child.on('close', (code, killedBy) => {
      if (signal?.aborted) {
        // Whatever of the group outlived the leader (it got SIGTERM with it) goes now.
        killProcessTree(child, 'SIGKILL');
        finish(abortError());
      } else if (code === 0) finish();
      else {
        const how = code !== null ? `exit code ${code}` : `killed by ${killedBy}`;
        const output = tail.filter((l) => l.trim() !== '').join('\n');
        finish(new Error(`${label} failed (${how}) running ${command} ${args.join(' ')}${output ? `:\n${output}` : '.'}`));
      }
    });
  });
}

function abortError(): Error {
  const error = new Error('Creating the Python environment was cancelled.');
  error.name = 'AbortError';
  return error;
}
