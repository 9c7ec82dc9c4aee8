import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WorkerStatus } from '../../src/common/workerProtocol';
import { PipProgress } from '../../src/server/worker/pipProgress';
import { findOnPath, locatePython, type PythonLocation } from '../../src/server/worker/pythonLocator';
import { createWorkerEnvironment, venvPython } from '../../src/server/worker/pythonEnvironment';
import { WorkerExitedError } from '../../src/server/worker/workerProcess';
import { WorkerSupervisor, WorkerUnavailableError, type WorkerSupervisorOptions } from '../../src/server/worker/workerSupervisor';
import { workerPython } from './workerPython';

// Tests run from the repo root.
const workerDir = path.resolve('src/server/worker/python');
const venvPythonPath = path.resolve('.venv/bin/python');

function hasTorch(python: string): boolean {
  return spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'finlabel-worker-test-'));
}

/** An executable shell script standing in for an interpreter. */
function fakePython(dir: string, body: string): string {
  const file = path.join(dir, 'fake-python');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** PIDs whose command line mentions `text` (Linux /proc). */
function processesMentioning(text: string): number[] {
  if (!existsSync('/proc/self/cmdline')) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function waitForStatus(supervisor: WorkerSupervisor, predicate: (s: WorkerStatus) => boolean, timeoutMs = 60_000): Promise<WorkerStatus> {
  if (predicate(supervisor.status)) return Promise.resolve(supervisor.status);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`status not reached in ${timeoutMs} ms; last: ${JSON.stringify(supervisor.status)}`));
    }, timeoutMs);
    const listener = supervisor.onDidChangeStatus((status) => {
      if (!predicate(status)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(status);
    });
  });
}

describe('worker client: pythonLocator', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects a setting path that does not exist, is a folder, or is not executable', async () => {
    const missing = await locatePython({ settingPath: path.join(dir, 'nope', 'python') });
    assert.equal(missing.ok, false);
    assert.ok(!missing.ok && missing.problem === 'python-not-found');
    assert.match(!missing.ok ? missing.message : '', /finlabel\.python\.interpreterPath .* does not exist/);

    const folder = await locatePython({ settingPath: dir });
    assert.match(!folder.ok ? folder.message : '', /is not a file/);

    const plain = path.join(dir, 'python');
    writeFileSync(plain, '');
    chmodSync(plain, 0o644);
    const notExecutable = await locatePython({ settingPath: plain });
    assert.match(!notExecutable.ok ? notExecutable.message : '', /is not executable/);
  });

  it('prefers the setting, then the managed environment, then python3 on PATH', async () => {
    const setting = fakePython(dir, 'exit 0');
    const bin = path.join(dir, 'bin');
    const onPath = fakePython(dir, 'exit 0');
    const managed = path.join(dir, 'managed-python');
    writeFileSync(managed, '#!/bin/sh\n');
    chmodSync(managed, 0o755);
    mkdirSync(bin);
    copyFileSync(onPath, path.join(bin, 'python3'));
    chmodSync(path.join(bin, 'python3'), 0o755);

    assert.deepEqual(await locatePython({ settingPath: setting, managedPython: managed, envPath: bin }), { ok: true, python: setting, source: 'setting' });
    assert.deepEqual(await locatePython({ settingPath: '', managedPython: managed, envPath: bin }), { ok: true, python: managed, source: 'managed' });
    assert.deepEqual(await locatePython({ managedPython: path.join(dir, 'gone'), envPath: `/nonexistent:${bin}` }), {
      ok: true,
      python: path.join(bin, 'python3'),
      source: 'path',
    });
    const none = await locatePython({ envPath: path.join(dir, 'empty') });
    assert.equal(none.ok, false);
    assert.match(!none.ok ? none.message : '', /python3 is not on PATH/);
  });

  it('builds Windows venv paths', () => {
    assert.equal(venvPython('C:\\envs\\w', 'win32'), 'C:\\envs\\w\\Scripts\\python.exe');
    assert.equal(venvPython('/envs/w', 'linux'), '/envs/w/bin/python');
  });
});

describe('worker client: supervisor against the real worker', function () {
  this.timeout(120_000);
  const supervisors: WorkerSupervisor[] = [];
  let stderrLog = '';

  function supervise(python: string | PythonLocation, extra: Partial<WorkerSupervisorOptions> = {}): WorkerSupervisor {
    const location: PythonLocation = typeof python === 'string' ? { ok: true, python, source: 'setting' } : python;
    const supervisor = new WorkerSupervisor({
      workerDir,
      locatePython: async () => location,
      onStderr: (text) => (stderrLog += text),
      ...extra,
    });
    supervisors.push(supervisor);
    return supervisor;
  }

  afterEach(async () => {
    await Promise.all(supervisors.splice(0).map((s) => s.dispose()));
    stderrLog = '';
  });

  it('reaches ready with the CPU device on the project venv', async function () {
    workerPython(process.cwd());
    const supervisor = supervise(venvPythonPath);
    const seen: string[] = [];
    supervisor.onDidChangeStatus((s) => seen.push(s.state));
    const status = await supervisor.ensureStarted();
    assert.equal(status.state, 'ready', JSON.stringify(status));
    assert.ok(status.state === 'ready');
    assert.equal(status.device.device, 'cpu');
    assert.match(status.device.torchVersion, /^2\.15\.0/);
    assert.equal(status.device.pythonExecutable, venvPythonPath);
    assert.equal(status.restarts, 0);
    assert.deepEqual(seen, ['starting', 'ready']);
    // Already running: no second process.
    const pid = supervisor.pid;
    assert.equal((await supervisor.ensureStarted()).state, 'ready');
    assert.equal(supervisor.pid, pid);
    assert.match(stderrLog, /worker started/);
  });

  it('reports missing-package (torch) on a python without torch, and does not restart it', async function () {
    const python3 = await findOnPath(['python3'], process.env.PATH ?? '');
    if (!python3 || hasTorch(python3)) this.skip();
    const supervisor = supervise(python3!);
    const status = await supervisor.ensureStarted();
    assert.equal(status.state, 'unavailable');
    assert.ok(status.state === 'unavailable');
    assert.equal(status.problem, 'missing-package');
    assert.match(status.message, /'torch'/);
    assert.match(status.message, /FinLabel: Create Python Environment for the Worker/);
    assert.equal(supervisor.pid, undefined, 'the useless worker is stopped');
    await assert.rejects(supervisor.request('deviceInfo'), WorkerUnavailableError);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(supervisor.status.state, 'unavailable');
  });

  it('reports python-not-found for a bogus setting path and for an interpreter that cannot be spawned', async () => {
    const located = await locatePython({ settingPath: '/nonexistent/bin/python3' });
    const fromSetting = await supervise(located).ensureStarted();
    assert.ok(fromSetting.state === 'unavailable' && fromSetting.problem === 'python-not-found', JSON.stringify(fromSetting));
    assert.match(fromSetting.message, /interpreterPath/);

    const spawned = await supervise('/nonexistent/bin/python3').ensureStarted();
    assert.ok(spawned.state === 'unavailable' && spawned.problem === 'python-not-found', JSON.stringify(spawned));
    assert.match(spawned.message, /"\/nonexistent\/bin\/python3" was not found/);
  });

  it('reports start-failed with stderr when the worker dies while starting', async () => {
    const dir = tempDir();
    try {
      const python = fakePython(dir, 'echo "ImportError: something broke" >&2\nexit 2');
      const status = await supervise(python).ensureStarted();
      assert.ok(status.state === 'unavailable' && status.problem === 'start-failed', JSON.stringify(status));
      assert.match(status.message, /exited with code 2 while starting/);
      assert.match(status.message, /something broke/);
      assert.match(status.stderr, /something broke/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('kills a worker that never answers deviceInfo (start timeout)', async () => {
    const dir = tempDir();
    try {
      const python = fakePython(dir, 'exec sleep 60');
      const supervisor = supervise(python, { startTimeoutMs: 500, stopTimeoutMs: 200 });
      const started = supervisor.ensureStarted();
      await waitForStatus(supervisor, (s) => s.state === 'starting');
      const pid = supervisor.pid!;
      const status = await started;
      assert.ok(status.state === 'unavailable' && status.problem === 'start-failed', JSON.stringify(status));
      assert.match(status.message, /no answer within/);
      assert.equal(isAlive(pid), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a crash with exit code and stderr, rejects the pending request, and restarts', async function () {
    workerPython(process.cwd());
    const supervisor = supervise(venvPythonPath);
    assert.equal((await supervisor.ensureStarted()).state, 'ready');
    const firstPid = supervisor.pid!;
    const crashed = waitForStatus(supervisor, (s) => s.state === 'unavailable');

    const pending = supervisor.request('debug/crash', { code: 7 });
    await assert.rejects(pending, (err: Error) => err instanceof WorkerExitedError && /exited with code 7/.test(err.message));

    const crash = await crashed;
    assert.ok(crash.state === 'unavailable');
    assert.equal(crash.problem, 'crashed');
    assert.match(crash.message, /exited with code 7/);
    assert.match(crash.message, /debug\/crash requested/);
    assert.match(crash.stderr, /debug\/crash requested, exiting with code 7/);
    assert.match(crash.message, /Restarting in/);

    const ready = await waitForStatus(supervisor, (s) => s.state === 'ready');
    assert.ok(ready.state === 'ready');
    assert.equal(ready.restarts, 1);
    assert.notEqual(supervisor.pid, firstPid);
    assert.equal(isAlive(firstPid), false);
    assert.equal((await supervisor.request<{ device: string }>('deviceInfo')).device, 'cpu');
  });

  it('stops restarting after 3 restarts in the window, until an explicit restart', async function () {
    workerPython(process.cwd());
    const supervisor = supervise(venvPythonPath, { restartPolicy: { maxRestarts: 3, windowMs: 120_000, backoffMs: () => 50 } });
    assert.equal((await supervisor.ensureStarted()).state, 'ready');
    for (let restart = 1; restart <= 3; restart++) {
      await supervisor.request('debug/crash', { code: 5 }).catch(() => undefined);
      const ready = await waitForStatus(supervisor, (s) => s.state === 'ready');
      assert.equal(ready.state === 'ready' && ready.restarts, restart);
    }
    await supervisor.request('debug/crash', { code: 5 }).catch(() => undefined);
    const final = await waitForStatus(supervisor, (s) => s.state === 'unavailable');
    assert.ok(final.state === 'unavailable' && final.problem === 'crashed');
    assert.equal(final.restarts, 3);
    assert.match(final.message, /restarted 3 times in 120 s, so it stays stopped/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(supervisor.status.state, 'unavailable', 'no automatic restart past the budget');
    assert.equal((await supervisor.ensureStarted()).state, 'unavailable', 'on-demand start does not retry either');

    const again = await supervisor.restart();
    assert.ok(again.state === 'ready' && again.restarts === 0, JSON.stringify(again));
  });

  it('stop shuts the worker down and leaves no child process; restart starts a new one', async function () {
    workerPython(process.cwd());
    const supervisor = supervise(venvPythonPath);
    assert.equal((await supervisor.ensureStarted()).state, 'ready');
    const pid = supervisor.pid!;
    assert.equal(isAlive(pid), true);

    assert.deepEqual(await supervisor.stop(), { state: 'stopped' });
    assert.equal(isAlive(pid), false);
    assert.equal(supervisor.pid, undefined);
    assert.match(stderrLog, /shutdown requested/);

    const restarted = await supervisor.restart();
    assert.ok(restarted.state === 'ready' && restarted.restarts === 0, JSON.stringify(restarted));
    const newPid = supervisor.pid!;
    assert.notEqual(newPid, pid);
    const again = await supervisor.restart();
    assert.equal(again.state, 'ready');
    assert.equal(isAlive(newPid), false);
  });

  it('a stop during start settles as stopped and kills the process', async function () {
    workerPython(process.cwd());
    const supervisor = supervise(venvPythonPath);
    const started = supervisor.ensureStarted();
    await waitForStatus(supervisor, (s) => s.state === 'starting');
    const pid = supervisor.pid!;
    assert.deepEqual(await supervisor.stop(), { state: 'stopped' });
    assert.deepEqual(await started, { state: 'stopped' });
    assert.equal(isAlive(pid), false);
  });
});

describe('worker client: createWorkerEnvironment', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const basePython = (): string => {
    const found = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
    return found.stdout.trim();
  };

  it('creates the venv and installs (nothing to install: empty requirements)', async () => {
    const requirements = path.join(dir, 'requirements.txt');
    writeFileSync(requirements, '# nothing\n');
    const messages: string[] = [];
    const python = await createWorkerEnvironment({
      basePython: basePython(),
      venvDir: path.join(dir, 'venv'),
      requirementsFile: requirements,
      onProgress: (message) => messages.push(message),
    });
    assert.equal(python, path.join(dir, 'venv', 'bin', 'python'));
    assert.equal(spawnSync(python, ['-c', 'import sys; assert sys.prefix != sys.base_prefix']).status, 0);
    assert.match(messages[0], /Creating a virtual environment/);
  });

  it("rejects with pip's last output lines when the install fails", async () => {
    const requirements = path.join(dir, 'requirements.txt');
    writeFileSync(requirements, '--no-index\nfinlabel-surely-not-a-package==0.0.1\n');
    const steps: Array<[string, number | undefined]> = [];
    await assert.rejects(
      createWorkerEnvironment({
        basePython: basePython(),
        venvDir: path.join(dir, 'venv'),
        requirementsFile: requirements,
        onProgress: (message, increment) => steps.push([message, increment]),
      }),
      (err: Error) => /Installing the worker requirements failed \(exit code 1\)/.test(err.message) && /finlabel-surely-not-a-package/.test(err.message),
    );
    assert.ok(steps.some(([m]) => m === 'Virtual environment created'));
  });

  it('rejects a base interpreter that does not exist', async () => {
    await assert.rejects(
      createWorkerEnvironment({ basePython: '/nonexistent/python3', venvDir: path.join(dir, 'venv'), requirementsFile: 'x', onProgress: () => undefined }),
      /cannot run "\/nonexistent\/python3"/,
    );
  });

  it('is cancelled by the signal, killing the running step', async () => {
    const controller = new AbortController();
    const pending = createWorkerEnvironment({
      basePython: basePython(),
      venvDir: path.join(dir, 'venv'),
      requirementsFile: path.join(dir, 'requirements.txt'),
      onProgress: () => undefined,
      signal: controller.signal,
    });
    // Abort while venv runs ensurepip (a grandchild, run by the new venv's python).
    const venvDir = path.join(dir, 'venv');
    const poll = setInterval(() => {
      if (existsSync(venvPython(venvDir))) {
        clearInterval(poll);
        setTimeout(() => controller.abort(), 300);
      }
    }, 20);
    try {
      await assert.rejects(pending, (err: Error) => err.name === 'AbortError');
    } finally {
      clearInterval(poll);
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(processesMentioning(dir), [], 'no process of the cancelled step is left');
  });
});

describe('worker client: pip progress', () => {
  it('turns pip lines into messages whose increments add up to 100', () => {
    const progress = new PipProgress(5);
    const lines = [
      'Collecting torch==2.15.0 (from -r requirements.txt (line 4))',
      '  Downloading torch-2.15.0-cp311-cp311-manylinux_2_28_x86_64.whl (915.3 MB)',
      'Requirement already satisfied: numpy==2.4.6 in ./.venv/lib/python3.11/site-packages',
      'Collecting peft==0.21.2',
      'Installing collected packages: torch, peft',
      'Successfully installed peft-0.21.2 torch-2.15.0',
    ];
    const steps = lines.map((l) => progress.line(l));
    assert.deepEqual(
      steps.map((s) => s?.message),
      [
        'Collecting torch==2.15.0',
        'Downloading torch-2.15.0-cp311-cp311-manylinux_2_28_x86_64.whl (915.3 MB)',
        'Already installed: numpy==2.4.6',
        'Collecting peft==0.21.2',
        'Installing 2 packages…',
        'Installed 2 packages',
      ],
    );
    const total = steps.reduce((sum, s) => sum + (s?.increment ?? 0), 5);
    assert.ok(Math.abs(total - 100) < 1e-9, String(total));
    assert.equal(progress.line('some other output'), undefined);
  });
});
