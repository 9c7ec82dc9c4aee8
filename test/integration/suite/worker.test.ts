import * as assert from 'node:assert/strict';
import { finlabelApi, waitFor } from './helpers';

describe('The Python worker seen from the editor', function () {
  this.timeout(120_000);

  it('starts on the configured interpreter and the status bar shows its device', async () => {
    const api = await finlabelApi();
    const status = await api.workerStatusNow(true);
    if (status.state === 'unavailable') assert.fail(`worker unavailable: ${status.message}\n${status.stderr}`);
    const ready = await waitFor('the worker to be ready', () => {
      const s = api.workerStatus();
      return s.state === 'ready' ? s : undefined;
    }, 90_000);
    assert.equal(ready.device.device, 'cpu', 'CI has no GPU');
    assert.match(api.statusBarText(), /FinLabel: CPU/);
    assert.match(ready.device.torchVersion, /^\d+\.\d+/);
  });
});
