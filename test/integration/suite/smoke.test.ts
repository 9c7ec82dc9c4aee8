import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'finlabel.finlabel';

describe('FinLabel in a real VS Code', function () {
  this.timeout(60_000);

  it('is installed and activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers its commands', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['finlabel.labelSelection', 'finlabel.openAnnotationView', 'finlabel.showStatus']) {
      assert.ok(commands.includes(command), `${command} is registered`);
    }
  });
});
