import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { finlabelApi } from './helpers';

describe('Large datasets: turning off the merge-conflict scan', function () {
  this.timeout(30_000);
  const keys = ['decorators.enabled', 'codeLens.enabled'] as const;

  before(async () => {
    await finlabelApi();
  });

  after(async () => {
    const config = vscode.workspace.getConfiguration('merge-conflict');
    for (const key of keys) await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('the command writes both merge-conflict settings as false into the workspace settings, leaving user settings alone', async () => {
    const before = vscode.workspace.getConfiguration('merge-conflict');
    assert.ok(vscode.extensions.getExtension('vscode.merge-conflict'), 'the built-in merge-conflict extension is present');
    for (const key of keys) assert.equal(before.get(key), true, `${key} starts on`);

    await vscode.commands.executeCommand('finlabel.turnOffMergeConflictScan');

    const after = vscode.workspace.getConfiguration('merge-conflict');
    for (const key of keys) {
      const inspected = after.inspect<boolean>(key);
      assert.equal(inspected?.workspaceValue, false, `${key} is off in the workspace`);
      assert.equal(inspected?.globalValue, undefined, `${key} is not written to user settings`);
      assert.equal(after.get(key), false);
    }
  });
});
