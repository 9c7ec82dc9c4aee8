// Control characters from a file (ESC, BEL, bidi overrides, ...) reach the terminal escaped as \uXXXX;
// JSON output parses to the same characters, and written data files keep them as they are.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeForTerminal } from '../../src/server/cli/terminalText';
import { runFinlabel as run } from '../support/cliRun';
import { BEL, ESC, RAW_CONTROL, RED_ID, writeEvilDataset } from '../support/terminalControls';

const RLO = '\u202e';

describe('control characters from files in what the CLI prints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finlabel-terminal-'));
  const { evil, file } = writeEvilDataset(dir);

  it('validate prints ESC and BEL of an entity name as \\u001b and \\u0007', async () => {
    const r = await run(['validate', file]);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout + r.stderr, RAW_CONTROL);
    assert.match(r.stdout, /evil\.jsonl:1: unknown-entity: label 1: unknown entity type "\\u001b\[31m借款金额\\u0007"/);
  });

  it('validate --json keeps them as JSON escapes that parse back to the characters', async () => {
    const r = await run(['validate', file, '--json']);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout, RAW_CONTROL);
    assert.match(r.stdout, /\\u001b\[31m借款金额\\u0007/);
    const messages = r.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { message: string }).message);
    assert.ok(
      messages.some((m) => m.includes(`"${ESC}[31m借款金额${BEL}"`)),
      messages.join('\n'),
    );
  });

  it('export escapes the record id in its reports and writes the data as it is', async () => {
    const out = join(dir, 'evil.doccano');
    const r = await run(['export', file, '--to', 'doccano', '-o', out]);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, RAW_CONTROL);
    assert.match(r.stdout, /\[\\u001b\[31mEVIL\\u0007\]/);
    const written = JSON.parse(readFileSync(out, 'utf8').trim()) as { id: string; text: string };
    assert.equal(written.id, RED_ID);
    assert.equal(written.text, evil.text);
    const json = await run(['export', file, '--to', 'doccano', '-o', out, '--json']);
    assert.ok(
      json.stdout
        .trim()
        .split('\n')
        .some((l) => (JSON.parse(l) as { id?: unknown }).id === RED_ID),
      json.stdout,
    );
  });

  it('escapes a file name, and bidi overrides and line separators in --json output still parse back', async () => {
    const missing = await run(['stats', join(dir, `a${ESC}[2J${RLO}b.jsonl`)]);
    assert.equal(missing.code, 2);
    assert.doesNotMatch(missing.stderr, RAW_CONTROL);
    assert.match(missing.stderr, /cannot read .*a\\u001b\[2J\\u202eb\.jsonl: ENOENT/);

    const bidi = join(dir, 'bidi.jsonl');
    const entity = `A${RLO}B\u2028C\u2066D`;
    writeFileSync(bidi, `${JSON.stringify({ id: 'x', text: '借款金额500万元', labels: [{ entity, value: '500万元', start: 4, end: 9 }] })}\n`);
    const r = await run(['validate', bidi, '--json']);
    assert.doesNotMatch(r.stdout, RAW_CONTROL);
    assert.ok((JSON.parse(r.stdout.trim()) as { message: string }).message.includes(entity), r.stdout);
  });
});

describe('escapeForTerminal', () => {
  it('escapes C0 and C1 controls, DEL, U+2028/2029, bidi controls and lone surrogates; keeps tab, newline and any other text', () => {
    assert.equal(escapeForTerminal(`${ESC}[31m${BEL}\u0000\r`), '\\u001b[31m\\u0007\\u0000\\u000d');
    assert.equal(escapeForTerminal('\u007f\u0085\u009b'), '\\u007f\\u0085\\u009b');
    assert.equal(escapeForTerminal('\u2028\u2029\u202a\u202e\u2066\u2069'), '\\u2028\\u2029\\u202a\\u202e\\u2066\\u2069');
    assert.equal(escapeForTerminal('a\ud800b\udc00'), 'a\\ud800b\\udc00');
    const plain = '借款\t金额 500万元 😀 𠀋 "quoted" \\u001b\n';
    assert.equal(escapeForTerminal(plain), plain);
  });
});
