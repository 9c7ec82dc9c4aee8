import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import { serverInfoRequest } from '../../../src/common/lspProtocol';
import { finlabelApi, waitFor, workspaceFile } from './helpers';

describe('A crash of the language server', function () {
  this.timeout(90_000);

  it('is restarted, and the open dataset is decorated again with nothing lost', async () => {
    const api = await finlabelApi();
    const client = api.languageClient();
    const uri = workspaceFile('due_diligence.jsonl');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await waitFor('gold spans', () => api.spansDrawn(uri).length > 0);
    const spans = api.spansDrawn(uri).length;
    const text = document.getText();
    const before = await client.sendRequest(serverInfoRequest);

    process.kill(before.pid, 'SIGKILL');

    const after = await waitFor(
      'a new server process',
      async () => {
        if (client.state !== State.Running) return undefined;
        const info = await client.sendRequest(serverInfoRequest).catch(() => undefined);
        return info && info.pid !== before.pid ? info : undefined;
      },
      60_000,
    );
    assert.notEqual(after.pid, before.pid);
    assert.equal(document.getText(), text, 'the document is untouched');
    // The next edit goes to the new server, which answers with the spans of the new version.
    let drawnAfterEdit = false;
    const listener = api.onDidDrawSpans((drawnUri) => {
      if (drawnUri === uri.toString()) drawnAfterEdit = true;
    });
    try {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, document.lineAt(0).range.end, ' ');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor('spans drawn by the restarted server', () => drawnAfterEdit, 30_000);
      assert.equal(api.spansDrawn(uri).length, spans);
    } finally {
      listener.dispose();
    }
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), text);
    await document.save();
  });
});
