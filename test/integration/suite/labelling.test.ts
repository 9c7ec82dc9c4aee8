import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { cp, finlabelApi, hoverText, waitFor, workspaceFile } from './helpers';
import type { DatasetRecord } from '../../../src/common/dataset';

const NON_BMP = /[\u{10000}-\u{10FFFF}]/u;

describe('Labelling the sample dataset in the text editor', function () {
  this.timeout(60_000);
  const uri = workspaceFile('due_diligence.jsonl');
  let editor: vscode.TextEditor;

  before(async () => {
    const api = await finlabelApi();
    const document = await vscode.workspace.openTextDocument(uri);
    editor = await vscode.window.showTextDocument(document);
    await waitFor('gold spans to be drawn', () => api.spansDrawn(uri).length > 0);
  });

  it('draws one decoration per gold label, in the type of the label', async () => {
    const api = await finlabelApi();
    const records = editor.document
      .getText()
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as DatasetRecord);
    const expected = records.reduce((n, r) => n + (r.labels?.length ?? 0), 0);
    const drawn = api.spansDrawn(uri);
    assert.equal(drawn.length, expected);
    const first = records.findIndex((r) => (r.labels?.length ?? 0) > 0);
    const label = records[first].labels![0];
    const span = drawn.find((s) => s.range.start.line === first);
    assert.ok(span);
    assert.equal(span.value, label.value);
    assert.equal(editor.document.getText(span.range), JSON.stringify(label.value).slice(1, -1), 'the decoration covers the value in the raw line');
    assert.deepEqual(new Set(drawn.map((s) => s.entity)), new Set(['借款金额', '担保方式', '还款期限']));
  });

  it('hovering a span shows its Chinese name, tag, value and offsets', async () => {
    const api = await finlabelApi();
    const span = api.spansDrawn(uri).find((s) => s.entity === '借款金额');
    assert.ok(span);
    const inside = span.range.start.translate(0, 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, inside);
    const text = hoverText(hovers);
    assert.match(text, /借款金额/);
    assert.match(text, /LOAN_AMOUNT/);
    assert.ok(text.includes(span.value.replace(/`/g, 'ˋ')), `hover shows the value: ${text}`);
    const record = JSON.parse(editor.document.lineAt(span.range.start.line).text) as DatasetRecord;
    const label = record.labels!.find((l) => l.value === span.value)!;
    assert.ok(text.includes(`[${label.start}, ${label.end})`), `hover shows the offsets: ${text}`);
  });

  it('labels a selection containing a non-BMP character with code-point offsets, as one undoable edit', async () => {
    const api = await finlabelApi();
    const document = editor.document;
    const original = document.getText();
    // A record with a character outside the BMP in its text, selecting it and the character after it.
    const line = Array.from({ length: document.lineCount }, (_, i) => i).find((i) => {
      const t = document.lineAt(i).text;
      return t.trim() !== '' && NON_BMP.test((JSON.parse(t) as DatasetRecord).text);
    });
    assert.ok(line !== undefined, 'the sample has a record with a non-BMP character');
    const before = document.lineAt(line).text;
    const record = JSON.parse(before) as DatasetRecord;
    const chars = cp(record.text);
    const at = chars.findIndex((c) => NON_BMP.test(c));
    const selected = chars.slice(at, at + 2).join('');
    const column = before.indexOf(selected, before.indexOf('"text"'));
    assert.ok(column > 0);
    editor.selection = new vscode.Selection(line, column, line, column + selected.length);

    const spansBefore = api.spansDrawn(uri).length;
    const ok = await vscode.commands.executeCommand<boolean>('finlabel.labelSelection', '担保方式');
    assert.equal(ok, true);

    const after = document.lineAt(line).text;
    const labelled = JSON.parse(after) as DatasetRecord;
    const added = labelled.labels!.find((l) => l.value === selected && l.entity === '担保方式');
    assert.ok(added, `the new label is in the record: ${after}`);
    assert.equal(added.start, at, 'start is a code-point offset');
    assert.equal(added.end, at + 2);
    assert.equal(record.text.indexOf(selected) + selected.length, at + 3, 'in UTF-16 the end would be one more');
    assert.equal(cp(labelled.text).slice(added.start, added.end).join(''), selected);
    // Only an insertion: the old line is the new line minus the inserted label.
    const prefix = commonPrefix(before, after);
    const inserted = after.length - before.length;
    assert.equal(after.slice(0, prefix) + after.slice(prefix + inserted), before);
    assert.equal(
      document
        .getText()
        .split('\n')
        .filter((_, i) => i !== line)
        .join('\n'),
      original
        .split('\n')
        .filter((_, i) => i !== line)
        .join('\n'),
      'other lines untouched',
    );

    await document.save();
    const saved = fs.readFileSync(uri.fsPath, 'utf8').split('\n')[line];
    assert.equal(saved, after);
    await waitFor('the new span to be drawn', () => api.spansDrawn(uri).length === spansBefore + 1);

    await vscode.commands.executeCommand('undo');
    assert.equal(document.lineAt(line).text, before, 'undo restores the line byte for byte');
    assert.equal(document.getText(), original);
    await document.save();
    assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), original);
    await waitFor('the span to disappear after undo', () => api.spansDrawn(uri).length === spansBefore);
  });

  it('reports a value that does not match its text as a diagnostic, and clears it when fixed', async () => {
    const document = editor.document;
    const line = Array.from({ length: document.lineCount }, (_, i) => i).find((i) => document.lineAt(i).text.includes('"value"'))!;
    const text = document.lineAt(line).text;
    const valueAt = text.indexOf('"value"');
    const edit = new vscode.WorkspaceEdit();
    const open = text.indexOf('"', valueAt + 7) + 1;
    edit.insert(uri, new vscode.Position(line, open), 'X');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const found = await waitFor('a value-mismatch diagnostic', () =>
      vscode.languages.getDiagnostics(uri).find((d) => d.code === 'value-mismatch' && d.range.start.line === line),
    );
    assert.equal(found.severity, vscode.DiagnosticSeverity.Error);
    assert.match(found.message, /does not match the text/);
    await vscode.commands.executeCommand('undo');
    await waitFor('the diagnostic to clear', () => !vscode.languages.getDiagnostics(uri).some((d) => d.range.start.line === line));
    await document.save();
  });

  it("refuses to label outside a record's text and says why", async () => {
    const document = editor.document;
    const original = document.getText();
    editor.selection = new vscode.Selection(0, 0, 0, 5);
    const ok = await vscode.commands.executeCommand<boolean>('finlabel.labelSelection', '借款金额');
    assert.equal(ok, false);
    assert.equal(document.getText(), original);
  });

  it('warns on the lines of a file that is not valid UTF-8, and leaves its bytes alone', async () => {
    const bad = workspaceFile('not-utf8.jsonl');
    // line 2 holds the bytes FF FE, which no UTF-8 text has: VS Code shows them as U+FFFD
    const bytes = Buffer.concat([
      Buffer.from('{"text":"借款金额人民币5万元","labels":[]}\n{"text":"', 'utf8'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('abc","labels":[]}\n{"text":"保证","labels":[]}\n', 'utf8'),
    ]);
    fs.writeFileSync(bad.fsPath, bytes);
    try {
      const document = await vscode.workspace.openTextDocument(bad);
      await vscode.window.showTextDocument(document);
      const warnings = await waitFor('a not-utf8 warning', () => {
        const found = vscode.languages.getDiagnostics(bad).filter((d) => d.code === 'not-utf8');
        return found.length > 0 && found;
      });
      assert.deepEqual(
        warnings.map((d) => d.range.start.line),
        [1],
        'only the line with the bad bytes',
      );
      assert.equal(warnings[0].severity, vscode.DiagnosticSeverity.Warning);
      assert.match(warnings[0].message, /not valid UTF-8/);
      assert.match(warnings[0].message, /finlabel validate/);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      assert.ok(fs.readFileSync(bad.fsPath).equals(bytes), 'the file keeps its bytes');
    } finally {
      fs.rmSync(bad.fsPath, { force: true });
    }
  });
});

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
