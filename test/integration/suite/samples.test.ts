import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { finlabelApi, workspaceFile } from './helpers';

describe('FinLabel: Regenerate Sample Data', function () {
  this.timeout(60_000);

  it('writes the sample workspace again, byte for byte for the same seed', async () => {
    await finlabelApi();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'finlabel-regen-'));
    const files = await vscode.commands.executeCommand<string[]>('finlabel.regenerateSamples', folder, 42);
    assert.ok(files.includes('due_diligence.jsonl') && files.includes('credit.csv'), files.join(', '));
    // The workspace is a copy of the committed samples/ (made with seed 42); the CSV is never edited by tests.
    for (const name of ['credit.csv', path.join('contracts', '流动资金借款合同.txt')]) {
      assert.ok(fs.readFileSync(path.join(folder, name)).equals(fs.readFileSync(workspaceFile(name).fsPath)), `${name} is identical`);
    }
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'finlabel-regen-'));
    await vscode.commands.executeCommand('finlabel.regenerateSamples', other, 7);
    assert.ok(!fs.readFileSync(path.join(other, 'credit.csv')).equals(fs.readFileSync(path.join(folder, 'credit.csv'))), 'another seed gives other data');
  });
});
