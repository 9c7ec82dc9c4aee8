import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { finlabelApi, waitFor } from './helpers';

// Line 1: the original blog post's own mistake, "500万元" written at [4, 8) (it is [4, 9)); the value occurs once.
// Line 2: the same label twice. Line 3: a type the schema does not know, text with 😀 and \r\n.
const LINES = [
  '{"id": "s1", "text": "借款金额500万元,担保方式为抵押", "labels": [{"entity": "借款金额", "value": "500万元", "start": 4, "end": 8}], "meta": {"k": 1}}',
  '{"id":"s2","text":"还款期限3年","labels":[{"entity":"还款期限","value":"3年","start":4,"end":6},{"entity":"REPAY_PERIOD","value":"3年","start":4,"end":6}]}',
  '{"id":"s3","text":"😀担保\\r\\n方式为抵押","labels":[{"entity":"GUARANTEE","value":"抵押","start":8,"end":10}],"x":[1]}',
];

describe('Code actions and quick fixes on dataset labels', function () {
  this.timeout(60_000);
  let dir: string;
  let uri: vscode.Uri;
  let document: vscode.TextDocument;

  before(async () => {
    await finlabelApi();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finlabel-code-actions-'));
    uri = vscode.Uri.file(path.join(dir, 'fixes.jsonl'));
    fs.writeFileSync(uri.fsPath, LINES.join('\n') + '\n');
    document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function diagnosticOn(line: number, code: string): Promise<vscode.Diagnostic> {
    return waitFor(`a ${code} diagnostic on line ${line + 1}`, () =>
      vscode.languages.getDiagnostics(uri).find((d) => d.range.start.line === line && d.code === code),
    );
  }

  async function actionsAt(range: vscode.Range): Promise<vscode.CodeAction[]> {
    return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
  }

  async function apply(action: vscode.CodeAction | undefined): Promise<void> {
    assert.ok(action?.edit, 'the code action carries an edit');
    assert.ok(await vscode.workspace.applyEdit(action.edit));
  }

  async function undo(): Promise<void> {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
  }

  it('re-anchors a label whose value occurs in the text, or sets the value; undo restores the line', async () => {
    const diagnostic = await diagnosticOn(0, 'value-mismatch');
    const actions = await actionsAt(diagnostic.range);
    const reanchor = actions.find((a) => a.title.startsWith('Re-anchor label 1'));
    assert.equal(reanchor?.title, 'Re-anchor label 1 to "500万元" at [4, 9)');
    assert.equal(reanchor?.isPreferred, true);
    assert.ok(
      actions.some((a) => a.title.startsWith('Set the value of label 1 to "500万",')),
      actions.map((a) => a.title).join(' | '),
    );
    await apply(reanchor);
    assert.equal(document.lineAt(0).text, LINES[0].replace('"end": 8', '"end": 9'), 'only the end changed, spacing kept');
    await waitFor('the diagnostic to go', () => !vscode.languages.getDiagnostics(uri).some((d) => d.range.start.line === 0) || undefined);
    await undo();
    await waitFor('the line restored', () => document.lineAt(0).text === LINES[0] || undefined);
    await diagnosticOn(0, 'value-mismatch');
  });

  it('removes a duplicate label and nothing else', async () => {
    const diagnostic = await diagnosticOn(1, 'overlapping-spans');
    const remove = (await actionsAt(diagnostic.range)).find((a) => a.title === 'Remove duplicate label 2');
    await apply(remove);
    assert.equal(document.lineAt(1).text, '{"id":"s2","text":"还款期限3年","labels":[{"entity":"还款期限","value":"3年","start":4,"end":6}]}');
    await undo();
    await waitFor('the line restored', () => document.lineAt(1).text === LINES[1] || undefined);
  });

  it('offers the schema types for an unknown entity and writes the form the label used', async () => {
    const diagnostic = await diagnosticOn(2, 'unknown-entity');
    const actions = await actionsAt(diagnostic.range);
    const toGuarantee = actions.find((a) => a.title === 'Change label 1 to 担保方式 (GUARANTEE_TYPE)');
    await apply(toGuarantee);
    // The label wrote a tag-like upper-case entity, so the fix writes the tag; the rest of the line is as it was.
    assert.equal(document.lineAt(2).text, LINES[2].replace('"GUARANTEE"', '"GUARANTEE_TYPE"'));
    await waitFor('the diagnostic to go', () => !vscode.languages.getDiagnostics(uri).some((d) => d.range.start.line === 2) || undefined);
    await undo();
    await waitFor('the line restored', () => document.lineAt(2).text === LINES[2] || undefined);
  });

  it('changes the type of the label under the cursor, or removes it, as one edit', async () => {
    const line = document.lineAt(0).text;
    const inSpan = line.indexOf('500万');
    const actions = await actionsAt(new vscode.Range(0, inSpan + 1, 0, inSpan + 1));
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Change label 1 借款金额 "500万元" to 还款期限 (REPAY_PERIOD)'), titles.join(' | '));
    assert.ok(!titles.some((t) => t.startsWith('Change label 1 借款金额 "500万元" to 借款金额')), 'not to its own type');
    await apply(actions.find((a) => a.title.startsWith('Change label 1 借款金额 "500万元" to 还款期限')));
    assert.equal(document.lineAt(0).text, LINES[0].replace('"entity": "借款金额"', '"entity": "还款期限"'));
    await undo();
    await waitFor('the line restored', () => document.lineAt(0).text === LINES[0] || undefined);

    await apply((await actionsAt(new vscode.Range(0, inSpan + 1, 0, inSpan + 1))).find((a) => a.title === 'Remove label 1 借款金额 "500万元"'));
    assert.equal(document.lineAt(0).text, LINES[0].replace(/"labels": \[.*\]/, '"labels": []'));
    await undo();
    await waitFor('the line restored', () => document.lineAt(0).text === LINES[0] || undefined);
  });

  it('offers nothing that would touch a malformed line', async () => {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(3, 0), '{"text": "借款", "labels": [\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const diagnostic = await diagnosticOn(3, 'malformed-json');
    assert.deepEqual(
      (await actionsAt(diagnostic.range)).map((a) => a.title),
      [],
    );
    await undo();
    await waitFor('the line removed', () => document.lineCount === LINES.length + 1 || undefined);
  });
});
