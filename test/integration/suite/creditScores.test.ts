import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { repoPython, trainTinyCreditModel } from '../../creditModelFixture';
import { ruleCsv } from '../../unit/syntheticTrainingData';
import { finlabelApi, hoverText, waitFor, workspaceFile } from './helpers';

const REPO = resolve(__dirname, '..', '..', '..', '..');
const HINT = /^(正常|高风险) (0|1)\.\d\d$/;

async function hintsOf(doc: vscode.TextDocument, fromLine = 0, toLine = doc.lineCount - 1): Promise<vscode.InlayHint[]> {
  const range = new vscode.Range(fromLine, 0, toLine, doc.lineAt(toLine).text.length);
  return (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, range)) ?? [];
}

const labelOf = (hint: vscode.InlayHint): string => (typeof hint.label === 'string' ? hint.label : hint.label.map((p) => p.value).join(''));

/** Waits until every one of `lines` (0-based) has a score hint at its end. */
async function waitForHints(doc: vscode.TextDocument, lines: number[], ms = 90_000): Promise<Map<number, vscode.InlayHint>> {
  return waitFor(
    `score hints on lines ${lines.map((l) => l + 1).join(', ')} of ${doc.uri.path}`,
    async () => {
      const hints = await hintsOf(doc, Math.min(...lines), Math.max(...lines));
      const byLine = new Map(hints.map((h) => [h.position.line, h]));
      return lines.every((l) => byLine.has(l)) ? byLine : undefined;
    },
    ms,
  );
}

async function hoverAt(doc: vscode.TextDocument, line: number): Promise<string> {
  return hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 2))) ?? []);
}

describe('Credit scores on CSV rows', function () {
  this.timeout(180_000);
  let modelDir: string;
  let scratch: string;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('finlabel');

  before(async () => {
    await finlabelApi();
    scratch = mkdtempSync(join(tmpdir(), 'finlabel-credit-'));
    modelDir = (await trainTinyCreditModel(REPO, join(scratch, 'model'))).dir;
    await config().update('creditModel.path', modelDir, vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    await config().update('creditModel.path', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('credit.threshold', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('samples/credit.csv: every data row gets 正常/高风险 and P(违约) at its end; the threshold setting moves the class', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('credit.csv'));
    await vscode.window.showTextDocument(doc);
    const lines = Array.from({ length: 30 }, (_, k) => k + 1);
    const hints = await waitForHints(doc, lines);
    for (const line of lines) {
      const hint = hints.get(line)!;
      assert.match(labelOf(hint), HINT);
      assert.equal(hint.position.character, doc.lineAt(line).text.length, 'at the end of the row');
    }
    assert.equal((await hintsOf(doc, 0, 0)).length, 0, 'no hint on the header');
    const last = doc.lineCount - 1 - (doc.lineAt(doc.lineCount - 1).text === '' ? 1 : 0);
    await waitForHints(doc, [last]);

    await config().update('credit.threshold', 0, vscode.ConfigurationTarget.Workspace);
    await waitFor('every hint to say 高风险 at threshold 0', async () => (await hintsOf(doc, 1, 30)).every((h) => labelOf(h).startsWith('高风险 ')));
    await config().update('credit.threshold', 1, vscode.ConfigurationTarget.Workspace);
    await waitFor('every hint to say 正常 at threshold 1', async () => (await hintsOf(doc, 1, 30)).every((h) => labelOf(h).startsWith('正常 ')));
    const api = await finlabelApi();
    assert.equal(api.creditFileStatus(doc.uri)?.encoding, 'utf-8');
    assert.equal(api.creditFileStatus(doc.uri)?.state, 'scored');
  });

  it('hovering a row shows the prompt the model saw, P(正常) and P(违约), and what was imputed', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('credit.csv'));
    await waitForHints(doc, [1, 20]);
    const first = await hoverAt(doc, 1);
    const name = doc.lineAt(1).text.split(',')[0];
    assert.match(first, /企业信贷审批评估/);
    assert.ok(first.includes(`企业名称:${name}`), first);
    const [p0, p1] = [/P\(正常\) = (0\.\d{4})/.exec(first), /P\(违约\) = (0\.\d{4})/.exec(first)];
    assert.ok(p0 && p1, first);
    assert.ok(Math.abs(Number(p0[1]) + Number(p1[1]) - 1) < 2e-4);
    assert.match(first, /encoding UTF-8/);
    // Line 21 of the sample has no 经营年限(年).
    assert.match(doc.lineAt(20).text, /,,/);
    const imputed = await hoverAt(doc, 20);
    assert.match(imputed, /filled with the model's saved values: 经营年限\(年\) = \d+ \(most frequent value of \d+ training rows\)/);
    assert.match(await hoverAt(doc, 0), /FinLabel credit scores.*encoding UTF-8.*scored \d+ of \d+ rows/);
  });

  it('a CSV with bad rows shows a diagnostic on each (line and column) and the other rows keep their scores', async () => {
    const lines = readFileSync(workspaceFile('credit.csv').fsPath, 'utf8').split('\n').slice(0, 7);
    lines[2] = '坏行😀𠀋有限公司,1.0,2.0,华东,0';
    lines[4] = lines[4].replace(/^([^,]*),[^,]*,/, '$1,abc,');
    const file = workspaceFile('credit-bad.csv');
    writeFileSync(file.fsPath, `${lines.join('\r\n')}\r\n`);
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const diagnostics = await waitFor('two diagnostics', () => {
      const d = vscode.languages.getDiagnostics(file);
      return d.length === 2 ? d : undefined;
    });
    const [cells, number] = diagnostics.sort((a, b) => a.range.start.line - b.range.start.line);
    assert.equal(cells.range.start.line, 2);
    assert.match(cells.message, /line 3: 5 cells where the header has 7 columns/);
    assert.equal(number.range.start.line, 4);
    assert.match(number.message, /line 5, column 2: column "纳税额\(万元\)" holds "abc", not a number/);
    assert.equal(doc.getText(number.range), 'abc');
    const hints = await waitForHints(doc, [1, 3, 4, 5, 6]);
    assert.equal(hints.has(2), false, 'the bad row has no score');
    assert.match(await hoverAt(doc, 4), /纳税额\(万元\) = \d+\.\d+ \(mean of \d+ training rows\)/);

    // An edit: the new row is scored, the document's old results are not shown for it.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(file, doc.lineAt(2).range, lines[1].replace(/^[^,]*/, '新行有限公司'));
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForHints(doc, [1, 2, 3, 4, 5, 6]);
    await waitFor('one diagnostic left', () => vscode.languages.getDiagnostics(file).length === 1);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    rmSync(file.fsPath);
  });

  it('a GBK file is detected from its bytes, said so, and scored', async () => {
    const text = readFileSync(workspaceFile('credit.csv').fsPath, 'utf8').split('\n').slice(0, 5).join('\n');
    const file = workspaceFile('credit-gbk.csv');
    writeFileSync(
      file.fsPath,
      execFileSync(repoPython(REPO), ['-c', 'import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().decode("utf-8").encode("gbk"))'], {
        input: `${text}\n`,
      }),
    );
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    await waitForHints(doc, [1, 2, 3, 4]);
    const api = await finlabelApi();
    assert.equal(api.creditFileStatus(file)?.encoding, 'gbk');
    const hover = await hoverAt(doc, 1);
    assert.match(hover, /encoding GBK/);
    assert.ok(hover.includes(`企业名称:${text.split('\n')[1].split(',')[0]}`), 'the prompt has the GBK-decoded name');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    rmSync(file.fsPath);
  });

  it('without a model: one status message, no hints, no diagnostics', async () => {
    await config().update('creditModel.path', undefined, vscode.ConfigurationTarget.Workspace);
    const doc = await vscode.workspace.openTextDocument(workspaceFile('credit.csv'));
    await vscode.window.showTextDocument(doc);
    const api = await finlabelApi();
    const status = await waitFor('the no-model status', () =>
      api.creditFileStatus(doc.uri)?.state === 'no-model' ? api.creditFileStatus(doc.uri) : undefined,
    );
    assert.match(status!.message, /set finlabel\.creditModel\.path/);
    assert.equal((await hintsOf(doc, 1, 30)).length, 0);
    assert.deepEqual(vscode.languages.getDiagnostics(doc.uri), []);

    // The status item's click opens the credit model picker (not the Settings editor, which code-server showed empty).
    const command = await waitFor('the status item to offer the credit model picker', () => api.creditStatusCommand());
    assert.equal(command.command, 'finlabel.selectActiveModel');
    const picking = vscode.commands.executeCommand<string | undefined>(command.command, ...(command.arguments ?? []));
    const picker = await waitFor('the picker', () => (api.lastModelPicker()?.title.includes('credit') ? api.lastModelPicker() : undefined));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await picking, undefined, 'closing the picker selects nothing');
    assert.equal(picker.title, 'FinLabel: the credit model to use');
    assert.ok(
      picker.items.every((i) => !i.model || i.model.task === 'credit'),
      'no entity model is offered',
    );
    const labels = picker.items.map((i) => i.label);
    assert.ok(!labels.includes('Entity models'));
    assert.ok(labels.includes('$(play) Train Credit Model…'), `no credit model in the registry: Train is offered (${labels.join(' | ')})`);
    assert.ok(labels.includes('$(folder-opened) Browse…'));
    await config().update('creditModel.path', modelDir, vscode.ConfigurationTarget.Workspace);
  });
  it("a file whose fields moved away from the training data: the status bar warns naming them, and a row's hover gives its 主要原因", async () => {
    // Drawn unlike samples/credit.csv (tax paid uniform on 0–50, 1–20 years in operation).
    writeFileSync(workspaceFile('credit-shifted.csv').fsPath, ruleCsv(120, 5));
    const doc = await vscode.workspace.openTextDocument(workspaceFile('credit-shifted.csv'));
    await vscode.window.showTextDocument(doc);
    await waitForHints(doc, [1, 120]);
    const api = await finlabelApi();
    const status = await waitFor('the shifted file to be scored', () =>
      api.creditFileStatus(doc.uri)?.state === 'scored' ? api.creditFileStatus(doc.uri) : undefined,
    );
    assert.match(status.shift ?? '', /^Population shift: PSI above 0\.25 against the training split for .*纳税额\(万元\) \(\d+\.\d\d\)/);
    const shown = api.creditStatusShown();
    assert.match(shown.text, /population shift/);
    assert.ok(shown.tooltip.includes(status.shift!), shown.tooltip);
    const hover = await hoverAt(doc, 1);
    assert.match(hover, /主要原因: /);

    // samples/credit.csv is the training file itself: no warning.
    const own = await vscode.workspace.openTextDocument(workspaceFile('credit.csv'));
    await vscode.window.showTextDocument(own);
    await waitFor('credit.csv to be scored', () => api.creditFileStatus(own.uri)?.state === 'scored');
    assert.equal(api.creditFileStatus(own.uri)?.shift, null);
    assert.doesNotMatch(api.creditStatusShown().text, /population shift/);
  });
});
