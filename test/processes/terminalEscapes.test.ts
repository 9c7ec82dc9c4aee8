// What the CLI process itself prints to a real terminal stream: control characters from a file escaped as \uXXXX.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RAW_CONTROL, writeEvilDataset } from '../support/terminalControls';
import { builtFile } from '../support/builtFile';

describe('control characters from files in what the CLI prints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finlabel-terminal-'));
  const { file } = writeEvilDataset(dir);

  it('escapes what the process prints to a real terminal stream (dist/cli.js)', async () => {
    const { spawnSync } = await import('node:child_process');
    const cli = builtFile('dist', 'cli.js');
    const r = spawnSync(process.execPath, [cli, 'validate', file], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, RAW_CONTROL);
    assert.match(r.stdout, /\\u001b\[31m借款金额\\u0007/);
  });
});
