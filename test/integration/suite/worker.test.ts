import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WorkerStatus } from '../../../src/common/workerProtocol';
import { finlabelApi, waitFor } from './helpers';

/** python3 on PATH: an interpreter without the worker's packages on these machines. */
function bareSystemPython(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'python3');
    if (dir && fs.existsSync(candidate) && !candidate.includes('.venv')) return candidate;
  }
  return undefined;
}

describe('The Python worker seen from the editor', function () {
  this.timeout(120_000);

  it('starts on the configured interpreter and the status bar shows its device', async () => {
    const api = await finlabelApi();
    const status = await api.workerStatusNow(true);
    if (status.state === 'unavailable') assert.fail(`worker unavailable: ${status.message}\n${status.stderr}`);
    const ready = await waitFor(
      'the worker to be ready',
      () => {
        const s = api.workerStatus();
        return s.state === 'ready' ? s : undefined;
      },
      90_000,
    );
    assert.equal(ready.device.device, 'cpu', 'CI has no GPU');
    assert.match(api.statusBarText(), /FinLabel: CPU/);
    assert.match(ready.device.torchVersion, /^\d+\.\d+/);
  });

  it('says so when the interpreter lacks torch, and recovers when the setting is fixed', async () => {
    const api = await finlabelApi();
    const bare = bareSystemPython();
    assert.ok(bare, 'python3 is on PATH');
    const config = vscode.workspace.getConfiguration('finlabel');
    const original = config.inspect<string>('python.interpreterPath')?.workspaceValue;
    try {
      await config.update('python.interpreterPath', bare, vscode.ConfigurationTarget.Workspace);
      const missing = await waitFor(
        'the worker to report the missing package',
        () => {
          const s: WorkerStatus = api.workerStatus();
          return s.state === 'unavailable' ? s : undefined;
        },
        60_000,
      );
      assert.equal(missing.problem, 'missing-package');
      assert.match(missing.message, /torch/);
      assert.match(missing.message, /Create Python Environment/);
      assert.match(api.statusBarText(), /missing Python package/);
    } finally {
      await config.update('python.interpreterPath', original, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('the worker to be ready again', () => api.workerStatus().state === 'ready', 90_000);
  });
});
