import { runFinlabel as run } from '../support/cliRun';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/tinyEntityModel';

describe('finlabel CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finlabel-cli-'));

  it('prints help listing its commands', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /validate/);
    assert.match(r.stdout, /samples/);
  });

  it("prints package.json's version, the one place it is written", async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) assert.deepEqual(await run([flag]), { code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('validate --json prints one {"line","code","message"} object per problem and exits 1', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ text: '借款金额500万元,担保方式为抵押,还款期限3年', labels: [{ entity: '借款金额', value: '500万元', start: 4, end: 8 }] }),
        'not json',
        '',
      ].join('\n'),
    );
    const r = await run(['validate', file, '--json']);
    assert.equal(r.code, 1);
    const problems = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      problems.map((p) => Object.keys(p)),
      [
        ['line', 'code', 'message'],
        ['line', 'code', 'message'],
      ],
    );
    assert.deepEqual(
      problems.map((p) => [p.line, p.code]),
      [
        [1, 'value-mismatch'],
        [2, 'malformed-json'],
      ],
    );
  });

  it('validate exits 0 with nothing on stdout for a clean file', async () => {
    const file = join(dir, 'good.jsonl');
    writeFileSync(file, JSON.stringify({ text: '还款期限3年', labels: [{ entity: 'REPAY_PERIOD', value: '3年', start: 4, end: 6 }] }) + '\n');
    const r = await run(['validate', file, '--json']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
  });

  it('validate says which file it cannot read and exits 2', async () => {
    const r = await run(['validate', join(dir, 'missing.jsonl')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read .*missing\.jsonl: ENOENT/);
  });

  it('rejects unknown commands and options with usage', async () => {
    assert.equal((await run(['frobnicate'])).code, 2);
    const r = await run(['validate', 'x.jsonl', '--nope']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Usage: finlabel validate/);
  });
});
