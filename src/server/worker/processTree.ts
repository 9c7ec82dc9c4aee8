import { spawn, type ChildProcess } from 'node:child_process';

/**
 * On POSIX, children are spawned as leaders of their own process group (`detached`), so that
 * killing them also kills what they started (venv's ensurepip, pip's build backends, later the
 * worker's data-loader processes), which would otherwise be left running as orphans.
 */
export const ownProcessGroup = process.platform !== 'win32';

export function killProcessTree(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  const pid = child.pid;
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => child.kill());
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    child.kill(signal);
  }
}
