import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtFile } from '../support/builtFile';

describe('finlabel CLI as a process', () => {
  it('stops quietly when the reader of its output goes away (finlabel validate … | head)', async () => {
    const { spawn } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'finlabel-cli-pipe-'));
    const file = join(dir, 'many-problems.jsonl');
    const bad = JSON.stringify({ text: '借款金额500万元', labels: [{ entity: '借款金额', value: '500万', start: 4, end: 9 }] });
    writeFileSync(file, `${Array.from({ length: 20_000 }, () => bad).join('\n')}\n`);
    const cli = builtFile('dist', 'cli.js');
    const child = spawn(process.execPath, [cli, 'validate', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.doesNotMatch(stderr, /EPIPE|Unhandled|at .*cli\.js/);
    assert.equal(code, 1, 'exit code 1: the file has problems');
  });
});
