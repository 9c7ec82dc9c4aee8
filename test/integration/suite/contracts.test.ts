import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetRecord, EntityLabel } from '../../../src/common/dataset';
import { cp, finlabelApi, hoverText, waitFor, workspaceFile } from './helpers';

const CONTRACT = 'contracts/最高额保证合同.txt';
const OTHER = 'contracts/授信批复通知书.txt';
const DATASET = 'contracts/contracts.labels.jsonl';
const MAP_FILE = '.finlabel/contracts.json';
const AMOUNT = '人民币伍佰捌拾肆万元整';
/** Written before the contract's own text: characters outside the BMP and a "\r\n". */
const PREFIX = '补充：甲方代表𠀋😀签署\r\n';

/** The records of the dataset on disk. */
function recordsOnDisk(): DatasetRecord[] {
  const file = workspaceFile(DATASET).fsPath;
  const lines = fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
    : [];
  return lines.map((l) => JSON.parse(l) as DatasetRecord);
}

/** A contract's record in the dataset on disk: there is at most one per file. */
function recordOnDisk(source = CONTRACT): DatasetRecord | undefined {
  const records = recordsOnDisk().filter((r) => r.meta?.source === source);
  assert.ok(records.length <= 1, `one record per contract: ${records.length}`);
  return records[0];
}

function labelsOnDisk(source = CONTRACT): EntityLabel[] {
  return recordOnDisk(source)?.labels ?? [];
}

/** The code-point offsets of the first occurrence of `value` after `after` (a UTF-16 search) in `text`. */
function codePointSpan(text: string, value: string, after = ''): { start: number; end: number; utf16: number } {
  const utf16 = text.indexOf(value, after ? text.indexOf(after) : 0);
  assert.ok(utf16 >= 0, `"${value}" is in the text`);
  const start = cp(text.slice(0, utf16)).length;
  return { start, end: start + cp(value).length, utf16 };
}

function select(editor: vscode.TextEditor, value: string, after = ''): vscode.Selection {
  const { utf16 } = codePointSpan(editor.document.getText(), value, after);
  const doc = editor.document;
  editor.selection = new vscode.Selection(doc.positionAt(utf16), doc.positionAt(utf16 + value.length));
  return editor.selection;
}

function contractDiagnostics(code: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(workspaceFile(CONTRACT)).filter((d) => d.code === code);
}

async function runCodeAction(range: vscode.Range, title: RegExp): Promise<void> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', workspaceFile(CONTRACT), range);
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action?.command, `a code action ${title}: ${actions.map((a) => a.title).join(' | ')}`);
  const ok = await vscode.commands.executeCommand<boolean>(action.command.command, ...(action.command.arguments ?? []));
  assert.equal(ok, true);
}

describe('Labelling a contract file (.txt) into a dataset record', function () {
  this.timeout(90_000);
  const contractUri = workspaceFile(CONTRACT);
  const datasetUri = workspaceFile(DATASET);
  const otherUri = workspaceFile(OTHER);
  let original: string;
  let otherOriginal: string;
  let editor: vscode.TextEditor;

  const drawn = async (): Promise<readonly { value: string; entity: string; range: vscode.Range }[]> => (await finlabelApi()).spansDrawn(contractUri);

  before(async () => {
    await finlabelApi();
    original = fs.readFileSync(contractUri.fsPath, 'utf8');
    otherOriginal = fs.readFileSync(otherUri.fsPath, 'utf8');
    fs.writeFileSync(contractUri.fsPath, PREFIX + original.replace(/\n/g, '\r\n'));
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(contractUri));
  });

  after(async () => {
    for (const doc of vscode.workspace.textDocuments) if (doc.isDirty && [contractUri.fsPath, datasetUri.fsPath].includes(doc.uri.fsPath)) await doc.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.writeFileSync(contractUri.fsPath, original);
    fs.writeFileSync(otherUri.fsPath, otherOriginal);
    fs.rmSync(datasetUri.fsPath, { force: true });
    fs.rmSync(path.dirname(workspaceFile(MAP_FILE).fsPath), { recursive: true, force: true });
  });

  it("chooses the folder's dataset with the command's arguments and remembers it in .finlabel/contracts.json", async () => {
    const chosen = await vscode.commands.executeCommand<string>('finlabel.chooseContractDataset', contractUri, datasetUri);
    assert.equal(vscode.Uri.parse(chosen).fsPath, datasetUri.fsPath);
    assert.deepEqual(JSON.parse(fs.readFileSync(workspaceFile(MAP_FILE).fsPath, 'utf8')), { datasets: { contracts: DATASET } });
    assert.equal(fs.readFileSync(datasetUri.fsPath, 'utf8'), '', 'a new, empty dataset');
  });

  it("labels a selection: a record with the file's text and code-point offsets, a decoration and a hover", async () => {
    const api = await finlabelApi();
    const selection = select(editor, AMOUNT);
    const ok = await vscode.commands.executeCommand<boolean>('finlabel.labelSelection', '借款金额');
    assert.equal(ok, true);

    const record = recordOnDisk();
    assert.ok(record, 'the dataset on disk has the record');
    const fileText = fs.readFileSync(contractUri.fsPath, 'utf8');
    assert.equal(record.text, fileText, 'the record holds the file\'s text, "\\r\\n" included');
    assert.equal(record.id, CONTRACT);
    assert.deepEqual(record.meta, { source: CONTRACT });
    const span = codePointSpan(fileText, AMOUNT);
    assert.deepEqual(record.labels, [{ entity: '借款金额', value: AMOUNT, start: span.start, end: span.end }]);
    assert.equal(span.utf16, span.start + 2, 'the two non-BMP characters before it count once each');
    assert.equal(cp(record.text).slice(span.start, span.end).join(''), AMOUNT);
    assert.match(api.lastContractMessage(), new RegExp(`${AMOUNT}.*借款金额.*${DATASET.replace(/\./g, '\\.')}`));

    const spans = await waitFor('the label to be drawn in the contract', async () => ((await drawn()).length === 1 ? drawn() : undefined));
    assert.ok(spans[0].range.isEqual(selection), 'the decoration covers the selection');
    assert.equal(spans[0].entity, '借款金额');

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', contractUri, selection.start.translate(0, 1));
    const text = hoverText(hovers);
    assert.match(text, /借款金额/);
    assert.match(text, /LOAN_AMOUNT/);
    assert.ok(text.includes(`[${span.start}, ${span.end})`), text);
  });

  it('adds a second label into the same record, and FinLabel: Undo Last Contract Label takes it out', async () => {
    select(editor, '最高额保证', '保证方式为');
    assert.equal(await vscode.commands.executeCommand<boolean>('finlabel.labelSelection', '担保方式'), true);
    const text = editor.document.getText();
    const guarantee = codePointSpan(text, '最高额保证', '保证方式为');
    assert.deepEqual(
      labelsOnDisk().map((l) => [l.entity, l.value, l.start, l.end]),
      [
        ['借款金额', AMOUNT, codePointSpan(text, AMOUNT).start, codePointSpan(text, AMOUNT).end],
        ['担保方式', '最高额保证', guarantee.start, guarantee.end],
      ],
    );
    await waitFor('two labels drawn', async () => (await drawn()).length === 2);

    assert.equal(await vscode.commands.executeCommand<boolean>('finlabel.undoLastContractLabel'), true);
    assert.deepEqual(
      labelsOnDisk().map((l) => l.value),
      [AMOUNT],
    );
    await waitFor('one label drawn after the undo', async () => (await drawn()).length === 1);
  });

  it('moves the decoration with an edit before the label, and writes the re-anchored record on save', async () => {
    const before = (await drawn())[0].range;
    const document = editor.document;
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), '第𠀋号\r\n')));
    const moved = await waitFor('the decoration to move down a line', async () => {
      const s = await drawn();
      return s.length === 1 && s[0].range.start.line === before.start.line + 1 ? s[0] : undefined;
    });
    assert.equal(moved.range.start.character, before.start.character);
    assert.equal(document.getText(moved.range), AMOUNT);
    assert.notEqual(recordOnDisk()?.text, document.getText(), 'the dataset changes when the contract is saved');

    assert.ok(await document.save());
    const text = document.getText();
    const span = codePointSpan(text, AMOUNT);
    await waitFor('the record to hold the saved text and the shifted offsets', () => {
      const r = recordOnDisk();
      return r?.text === text && r.labels?.[0]?.start === span.start;
    });
    assert.deepEqual(labelsOnDisk(), [{ entity: '借款金额', value: AMOUNT, start: span.start, end: span.end }]);
  });

  it('flags a label whose text is edited; validate reports it until the quick fix updates the label', async () => {
    const document = editor.document;
    const label = (await drawn())[0].range;
    assert.ok(await editor.edit((b) => b.insert(label.start.translate(0, 3), '零')));
    const changed = `${AMOUNT.slice(0, 3)}零${AMOUNT.slice(3)}`;
    const diagnostic = await waitFor('a diagnostic on the edited label', () => contractDiagnostics('value-mismatch')[0]);
    assert.equal(document.getText(diagnostic.range), changed);
    assert.ok(diagnostic.message.includes(`from "${AMOUNT}" to "${changed}"`), diagnostic.message);
    assert.equal((await drawn())[0].value, changed, 'still drawn, on its new text');

    // Saved as it is, the record keeps the old value: `finlabel validate` reports the mismatch.
    assert.ok(await document.save());
    await waitFor('the record to be re-anchored on save', () => recordOnDisk()?.text === document.getText());
    const cli = path.join(vscode.extensions.getExtension('finlabel.finlabel')!.extensionPath, 'dist', 'cli.js');
    const validate = spawnSync(process.execPath, [cli, 'validate', datasetUri.fsPath, '--json'], { encoding: 'utf8' });
    assert.equal(validate.status, 1, validate.stderr);
    assert.deepEqual(
      validate.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { code: string }).code),
      ['value-mismatch'],
    );

    await runCodeAction(diagnostic.range, /^Update the label to the new text/);
    const span = codePointSpan(document.getText(), changed);
    assert.deepEqual(labelsOnDisk(), [{ entity: '借款金额', value: changed, start: span.start, end: span.end }]);
    await waitFor('the diagnostic to clear', () => contractDiagnostics('value-mismatch').length === 0);
    assert.equal(spawnSync(process.execPath, [cli, 'validate', datasetUri.fsPath], { encoding: 'utf8' }).status, 0);
  });

  it('keeps a label whose whole text is deleted as a diagnostic at the deletion point; its quick fix removes it', async () => {
    const document = editor.document;
    select(editor, '一年', '单笔借款期限不超过');
    assert.equal(await vscode.commands.executeCommand<boolean>('finlabel.labelSelection', '还款期限'), true);
    await waitFor('two labels drawn', async () => (await drawn()).length === 2);
    const period = (await drawn()).find((s) => s.entity === '还款期限')!.range;
    // Delete the label and the characters around it.
    assert.ok(await editor.edit((b) => b.delete(new vscode.Range(period.start.translate(0, -2), period.end.translate(0, 1)))));
    const diagnostic = await waitFor('a diagnostic where the label was', () => contractDiagnostics('label-text-deleted')[0]);
    assert.ok(diagnostic.range.start.isEqual(period.start.translate(0, -2)), 'at the deletion point');
    assert.match(diagnostic.message, /"一年" was deleted/);
    assert.equal((await drawn()).length, 1);

    await runCodeAction(diagnostic.range, /^Remove the 还款期限 label "一年"/);
    assert.deepEqual(
      labelsOnDisk().map((l) => l.entity),
      ['借款金额'],
    );
    await waitFor('the diagnostic to clear', () => contractDiagnostics('label-text-deleted').length === 0);
    const r = recordOnDisk();
    assert.equal(r?.text, document.getText(), 'the removal also wrote the edited text');
    assert.ok(await document.save());
  });

  it("changes a label's type with a code action on it", async () => {
    const label = (await drawn())[0];
    await runCodeAction(new vscode.Range(label.range.start.translate(0, 1), label.range.start.translate(0, 1)), /^Change the label of .* to 担保方式/);
    assert.deepEqual(
      labelsOnDisk().map((l) => l.entity),
      ['担保方式'],
    );
    await waitFor('the decoration to show the new type', async () => (await drawn())[0]?.entity === '担保方式');
    await runCodeAction(new vscode.Range(label.range.start, label.range.start), /^Change the label of .* to 借款金额/);
    assert.deepEqual(
      labelsOnDisk().map((l) => l.entity),
      ['借款金额'],
    );
  });

  it('undoes a label with Undo in the dataset document itself', async () => {
    select(editor, '最高额保证', '保证方式为');
    assert.equal(await vscode.commands.executeCommand<boolean>('finlabel.labelSelection', '担保方式'), true);
    assert.equal(labelsOnDisk().length, 2);
    const dataset = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(datasetUri));
    await vscode.commands.executeCommand('undo');
    const inEditor = JSON.parse(dataset.document.lineAt(0).text) as DatasetRecord;
    assert.deepEqual(
      inEditor.labels?.map((l) => l.entity),
      ['借款金额'],
      'the label is gone from the dataset document',
    );
    assert.ok(await dataset.document.save());
    assert.deepEqual(
      labelsOnDisk().map((l) => l.entity),
      ['借款金额'],
    );
    editor = await vscode.window.showTextDocument(editor.document);
    await waitFor('one label drawn after the undo', async () => (await drawn()).length === 1);
  });

  it('re-anchors the labels of a file edited outside VS Code when it is opened, and flags what it cannot match', async () => {
    // A record made for another contract file of the folder, which is then edited on disk.
    const labelled = fs.readFileSync(otherUri.fsPath, 'utf8');
    const amount = codePointSpan(labelled, '650.00万元');
    const guarantee = codePointSpan(labelled, '抵押', '担保方式为');
    const record = {
      id: OTHER,
      text: labelled,
      labels: [
        { entity: '借款金额', value: '650.00万元', start: amount.start, end: amount.end },
        { entity: '担保方式', value: '抵押', start: guarantee.start, end: guarantee.end },
      ],
      meta: { source: OTHER },
    };
    fs.appendFileSync(datasetUri.fsPath, `${JSON.stringify(record)}\n`);
    // The dataset is open in the background: wait until VS Code has read the change, as a user would.
    await waitFor('the dataset document to show the new record', () => {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === datasetUri.fsPath);
      return !open || open.getText().includes(OTHER);
    });
    // The file uses "\n" only: VS Code would turn mixed line breaks into one kind.
    const edited = `修订版😀𠀋\n${labelled.replace('650.00万元', '680.00万元').replace('期限4年', '期限4年（可展期）')}`;
    fs.writeFileSync(otherUri.fsPath, edited);

    const other = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(otherUri));
    assert.equal(other.document.getText(), edited);
    const api = await finlabelApi();
    const spans = await waitFor('both labels drawn', () => (api.spansDrawn(otherUri).length === 2 ? api.spansDrawn(otherUri) : undefined));
    const moved = spans.find((s) => s.entity === '担保方式')!;
    assert.equal(other.document.offsetAt(moved.range.start), edited.indexOf('抵押', edited.indexOf('担保方式为')), 'moved to its text');
    const flagged = await waitFor('the changed amount flagged', () => vscode.languages.getDiagnostics(otherUri).find((d) => d.code === 'value-mismatch'));
    assert.equal(other.document.getText(flagged.range), '680.00万元');
    assert.match(flagged.message, /from "650\.00万元" to "680\.00万元"/);
    assert.deepEqual(recordOnDisk(OTHER)?.text, labelled, 'the dataset changes on the next save or label action, not on opening');

    // The next label action writes the re-anchored record together with the new label.
    select(other, '4年（可展期）');
    assert.equal(await vscode.commands.executeCommand<boolean>('finlabel.labelSelection', '还款期限'), true);
    const written = recordOnDisk(OTHER);
    assert.equal(written?.text, edited);
    assert.deepEqual(
      written?.labels?.map((l) => [l.value, l.start, l.end]),
      [
        ['650.00万元', codePointSpan(edited, '680.00万元').start, codePointSpan(edited, '680.00万元').end],
        ['4年（可展期）', codePointSpan(edited, '4年（可展期）').start, codePointSpan(edited, '4年（可展期）').end],
        ['抵押', codePointSpan(edited, '抵押', '担保方式为').start, codePointSpan(edited, '抵押', '担保方式为').end],
      ],
    );
    assert.ok(recordOnDisk(CONTRACT), 'the other record is still there');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    editor = await vscode.window.showTextDocument(editor.document);
  });

  it('redraws the labels when the dataset changes on disk', async () => {
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(contractUri));
    await waitFor("the contract's label drawn", async () => (await drawn()).length === 1);
    const records = recordsOnDisk();
    const lines = records.map((r) => JSON.stringify(r.meta?.source === CONTRACT ? { ...r, labels: [] } : r));
    fs.writeFileSync(datasetUri.fsPath, `${lines.join('\n')}\n`);
    await waitFor('no label drawn', async () => (await drawn()).length === 0);
  });
});
