import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_LABEL_TYPES } from '../../../src/common/labelSchema';
import type { DatasetRecord } from '../../../src/common/dataset';
import type { FinLabelTestApi } from '../testApi';
import type { DrawnSpan } from '../../../src/extension/goldDecorations';
import { cp, finlabelApi, waitFor, workspaceFile } from './helpers';

const DATA_FILE = 'label-schema-test.jsonl';
/** Two records: one with a label of a type the default schema lacks, one with non-BMP characters and \r\n in its text. */
const RECORDS: DatasetRecord[] = [
  {
    id: 'schema-1',
    text: '借款金额500万元,担保方式为抵押,年利率4.35%',
    labels: [
      { entity: '借款金额', value: '500万元', start: 4, end: 9 },
      { entity: 'INTEREST_RATE', value: '4.35%', start: 21, end: 26 },
    ],
  },
  { id: 'schema-2', text: '𠀋😀保证人张三\r\n提供连带责任保证', labels: [] },
];

const CUSTOM_TYPES = [
  { name: '借款金额', tag: 'LOAN_AMOUNT', color: '#123456', key: '1', description: 'Loan amount' },
  { name: '担保方式', tag: 'GUARANTEE_TYPE', color: '#3d9be8', key: '2', description: 'Guarantee type' },
  { name: '还款期限', tag: 'REPAY_PERIOD', color: '#4cbf6b', key: '3', description: 'Repayment period' },
  { name: '利率', tag: 'INTEREST_RATE', color: '#aa22cc', key: '4', description: 'Interest rate' },
];

const schemaJson = (labels: readonly object[]): string => `${JSON.stringify({ labels }, null, 2)}\n`;

describe('Label schema: per-workspace types, applied live', function () {
  this.timeout(90_000);
  let api: FinLabelTestApi;
  let schemaUri: vscode.Uri;
  let dataUri: vscode.Uri;
  let editor: vscode.TextEditor;

  const spanOf = (tag: string): DrawnSpan | undefined => api.spansDrawn(dataUri).find((s) => s.tag === tag);
  const tags = (): string[] => api.labelTypes().map((t) => t.tag);
  const writeSchema = (text: string): void => {
    fs.mkdirSync(path.dirname(schemaUri.fsPath), { recursive: true });
    fs.writeFileSync(schemaUri.fsPath, text);
  };

  before(async () => {
    api = await finlabelApi();
    schemaUri = workspaceFile('.finlabel/labels.json');
    dataUri = workspaceFile(DATA_FILE);
    assert.ok(!fs.existsSync(schemaUri.fsPath), 'the sample workspace has no schema file: other suites rely on the defaults');
    await waitFor('the default schema to be announced', () => tags().join() === DEFAULT_LABEL_TYPES.map((t) => t.tag).join());
    fs.writeFileSync(dataUri.fsPath, RECORDS.map((r) => JSON.stringify(r)).join('\n') + '\n');
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(dataUri));
    await waitFor('the spans of the test file to be drawn', () => api.spansDrawn(dataUri).length === 2);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('finlabel').update('labelSchema.types', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('finlabel').update('labelSchema.file', undefined, vscode.ConfigurationTarget.Workspace);
    fs.rmSync(path.dirname(schemaUri.fsPath), { recursive: true, force: true });
    fs.rmSync(workspaceFile('config').fsPath, { recursive: true, force: true });
    fs.rmSync(dataUri.fsPath, { force: true });
    // Other suites expect the built-in three types.
    await waitFor(
      'the default schema to be back',
      () => tags().join() === DEFAULT_LABEL_TYPES.map((t) => t.tag).join() && api.labelTypes()[0].color === DEFAULT_LABEL_TYPES[0].color,
    );
  });

  it('before any schema file, a type outside the defaults is drawn as unknown and diagnosed', async () => {
    const rate = spanOf('INTEREST_RATE');
    assert.ok(rate);
    assert.equal(rate.style, 'unknown');
    assert.equal(spanOf('LOAN_AMOUNT')?.color, DEFAULT_LABEL_TYPES[0].color);
    await waitFor('an unknown-entity diagnostic', () => vscode.languages.getDiagnostics(dataUri).some((d) => d.code === 'unknown-entity'));
  });

  it('writing a schema file with a new type and a changed colour redraws the open document without reopening it', async () => {
    const document = editor.document;
    const version = document.version;
    writeSchema(schemaJson(CUSTOM_TYPES));
    await waitFor('the new type to be announced', () => tags().includes('INTEREST_RATE'));
    assert.deepEqual(api.labelTypes(), CUSTOM_TYPES);
    assert.equal(api.labelSchemaSource(), schemaUri.fsPath);

    const rate = await waitFor('the new type to be drawn in its colour', () => {
      const s = spanOf('INTEREST_RATE');
      return s?.style === 'plain' && s.color === '#aa22cc' ? s : undefined;
    });
    assert.equal(rate.entity, '利率', 'the tag in the file resolves to the display name');
    assert.equal(rate.value, '4.35%');
    await waitFor('the changed colour to be drawn', () => spanOf('LOAN_AMOUNT')?.color === '#123456');
    await waitFor('the unknown-entity diagnostic to clear', () => !vscode.languages.getDiagnostics(dataUri).some((d) => d.code === 'unknown-entity'));
    assert.equal(editor.document, document, 'the same open document');
    assert.equal(document.version, version, 'the document itself did not change');
  });

  it('typing in the open schema file re-colours at once, before it is saved', async () => {
    const schemaEditor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(schemaUri), vscode.ViewColumn.Beside);
    const text = schemaEditor.document.getText();
    const at = text.indexOf('#aa22cc');
    assert.ok(at > 0);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(schemaUri, new vscode.Range(schemaEditor.document.positionAt(at), schemaEditor.document.positionAt(at + 7)), '#22aacc');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(schemaEditor.document.isDirty, true);
    await waitFor('the colour typed in the editor to be drawn', () => spanOf('INTEREST_RATE')?.color === '#22aacc');
    assert.equal(fs.readFileSync(schemaUri.fsPath, 'utf8'), schemaJson(CUSTOM_TYPES), 'nothing was written to disk');

    // Closing the editor without saving goes back to the file on disk.
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor('the colour on disk to be drawn again', () => spanOf('INTEREST_RATE')?.color === '#aa22cc');
  });

  it('an invalid schema file is reported with its line and column, and the last good schema stays in use', async () => {
    const invalid =
      '{\n  "labels": [\n    {"name": "借款金额", "tag": "loan amount", "color": "#ff0000"},\n    {"name": "利率", "tag": "INTEREST_RATE", "key": "0"}\n  ]\n}\n';
    writeSchema(invalid);
    const diagnostics = await waitFor('diagnostics on the schema file', () => {
      const list = vscode.languages.getDiagnostics(schemaUri);
      return list.length >= 2 ? list : undefined;
    });
    const tag = diagnostics.find((d) => d.message.includes('"tag"'));
    assert.ok(tag, JSON.stringify(diagnostics.map((d) => d.message)));
    assert.equal(tag.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(tag.range.start.line, 2);
    assert.equal(tag.range.start.character, '    {"name": "借款金额", "tag": '.length);
    assert.match(tag.message, /label type 1 \(借款金额\): "tag" must be an upper-case identifier .*did you mean "LOAN_AMOUNT"\?/);
    const key = diagnostics.find((d) => d.message.includes('"key"'));
    assert.ok(key);
    assert.equal(key.range.start.line, 3);

    assert.deepEqual(api.labelTypes(), CUSTOM_TYPES, 'the last good schema is kept');
    assert.equal(spanOf('LOAN_AMOUNT')?.color, '#123456', 'the colour of the invalid file is not drawn');
    assert.equal(spanOf('INTEREST_RATE')?.style, 'plain');

    writeSchema(schemaJson(CUSTOM_TYPES));
    await waitFor('the diagnostics to clear once the file is fixed', () => vscode.languages.getDiagnostics(schemaUri).length === 0);
  });

  it('the JSON schema of the file flags a bad tag while the file is open', async () => {
    writeSchema(schemaJson([...CUSTOM_TYPES.slice(0, 3), { name: '利率', tag: 'interest-rate' }]));
    const schemaEditor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(schemaUri), vscode.ViewColumn.Beside);
    const fromJsonSchema = await waitFor('a diagnostic from the JSON schema (contributes.jsonValidation)', () =>
      vscode.languages.getDiagnostics(schemaUri).find((d) => d.source !== 'finlabel' && d.message.includes('upper-case identifier')),
    );
    assert.equal(schemaEditor.document.getText(fromJsonSchema.range), '"interest-rate"');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    writeSchema(schemaJson(CUSTOM_TYPES));
    await waitFor('the diagnostics to clear once the file is fixed', () => !vscode.languages.getDiagnostics(schemaUri).some((d) => d.source === 'finlabel'));
  });

  it('Alt+2 (finlabel.labelWithKey "2") labels the selection as 担保方式 in one undoable edit', async () => {
    // The editor in column One may be another one on the same document than the one opened first.
    editor = await vscode.window.showTextDocument(editor.document, vscode.ViewColumn.One);
    const document = editor.document;
    const original = document.getText();
    const before = document.lineAt(1).text;
    // The characters after the \r\n escape, in a text that starts with two non-BMP characters.
    const selected = '连带责任保证';
    const column = before.indexOf(selected);
    editor.selection = new vscode.Selection(1, column, 1, column + selected.length);

    assert.equal(await vscode.commands.executeCommand<boolean>('finlabel.labelWithKey', '2'), true);
    const labelled = JSON.parse(document.lineAt(1).text) as DatasetRecord;
    const start = cp(RECORDS[1].text).indexOf('连');
    assert.equal(RECORDS[1].text.indexOf('连'), start + 2, 'in UTF-16 the offset would be two more');
    assert.deepEqual(labelled.labels, [{ entity: '担保方式', value: selected, start, end: start + selected.length }]);
    assert.equal(
      cp(labelled.text)
        .slice(start, start + selected.length)
        .join(''),
      selected,
      'code-point offsets',
    );
    await waitFor('the new span to be drawn', () => api.spansDrawn(dataUri).some((s) => s.tag === 'GUARANTEE_TYPE'));

    await vscode.commands.executeCommand('undo');
    assert.equal(document.lineAt(1).text, before, 'one undo restores the line byte for byte');
    assert.equal(document.getText(), original);
  });

  it('the keys follow the schema: Alt+4 labels as the new type, and a key no type has changes nothing', async () => {
    const document = editor.document;
    const original = document.getText();
    const line = document.lineAt(1).text;
    const column = line.indexOf('张三');
    editor.selection = new vscode.Selection(1, column, 1, column + 2);
    assert.equal(await vscode.commands.executeCommand<boolean>('finlabel.labelWithKey', '4'), true);
    assert.equal((JSON.parse(document.lineAt(1).text) as DatasetRecord).labels?.[0].entity, '利率');
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), original);

    editor.selection = new vscode.Selection(1, column, 1, column + 2);
    assert.equal(await vscode.commands.executeCommand<boolean>('finlabel.labelWithKey', '9'), false);
    assert.equal(document.getText(), original);
    assert.equal(document.isDirty, false);
  });

  it('Edit Label Schema opens the existing file untouched, and writes a missing one from the types in use', async () => {
    const existing = fs.readFileSync(schemaUri.fsPath, 'utf8');
    const opened = await vscode.commands.executeCommand<vscode.Uri>('finlabel.editLabelSchema');
    assert.equal(opened?.fsPath, schemaUri.fsPath);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, schemaUri.fsPath);
    assert.equal(fs.readFileSync(schemaUri.fsPath, 'utf8'), existing, 'never overwritten');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    fs.rmSync(schemaUri.fsPath);
    await waitFor('the defaults to be back when the file is deleted', () => !tags().includes('INTEREST_RATE'));
    await waitFor('the default colour to be drawn again', () => spanOf('LOAN_AMOUNT')?.color === DEFAULT_LABEL_TYPES[0].color);
    const created = await vscode.commands.executeCommand<vscode.Uri>('finlabel.editLabelSchema');
    assert.equal(created?.fsPath, schemaUri.fsPath);
    const written = JSON.parse(fs.readFileSync(schemaUri.fsPath, 'utf8')) as { labels: unknown[] };
    assert.deepEqual(written.labels, DEFAULT_LABEL_TYPES);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    fs.rmSync(schemaUri.fsPath);
  });

  it('the setting finlabel.labelSchema.types applies when there is no file, and the file wins over it', async () => {
    const config = vscode.workspace.getConfiguration('finlabel');
    await config.update(
      'labelSchema.types',
      [
        { name: '利率', tag: 'INTEREST_RATE', color: '#aa22cc' },
        { name: '借款金额', tag: 'LOAN_AMOUNT' },
      ],
      vscode.ConfigurationTarget.Workspace,
    );
    await waitFor("the setting's types", () => tags().join() === 'INTEREST_RATE,LOAN_AMOUNT');
    assert.deepEqual(
      api.labelTypes().map((t) => [t.tag, t.key]),
      [
        ['INTEREST_RATE', '1'],
        ['LOAN_AMOUNT', '2'],
      ],
      'keys filled in',
    );
    assert.match(api.labelSchemaSource(), /finlabel\.labelSchema\.types/);

    writeSchema(schemaJson(CUSTOM_TYPES));
    await waitFor("the file's types", () => tags().length === 4);
    fs.rmSync(schemaUri.fsPath);
    await waitFor("the setting's types again", () => tags().join() === 'INTEREST_RATE,LOAN_AMOUNT');
    await config.update('labelSchema.types', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('the defaults', () => tags().join() === DEFAULT_LABEL_TYPES.map((t) => t.tag).join());
  });

  it('finlabel.labelSchema.file moves the schema file, and the new file is watched', async () => {
    const moved = workspaceFile('config/types.json');
    fs.mkdirSync(path.dirname(moved.fsPath), { recursive: true });
    fs.writeFileSync(moved.fsPath, schemaJson([{ name: '利率', tag: 'INTEREST_RATE', color: '#aa22cc' }]));
    await vscode.workspace.getConfiguration('finlabel').update('labelSchema.file', 'config/types.json', vscode.ConfigurationTarget.Workspace);
    await waitFor("the moved file's types", () => tags().join() === 'INTEREST_RATE');
    assert.equal(api.labelSchemaSource(), moved.fsPath);
    fs.writeFileSync(moved.fsPath, schemaJson([{ name: '利率', tag: 'INTEREST_RATE', color: '#00ff00' }]));
    await waitFor('a change to the moved file to be seen', () => spanOf('INTEREST_RATE')?.color === '#00ff00');
  });

  it('package.json binds Alt+1..Alt+9 to finlabel.labelWithKey with the key as argument', () => {
    const ext = vscode.extensions.getExtension('finlabel.finlabel');
    assert.ok(ext);
    const keybindings = (ext.packageJSON as { contributes: { keybindings: { command: string; key: string; args?: unknown; when?: string }[] } }).contributes
      .keybindings;
    const byKey = keybindings.filter((k) => k.command === 'finlabel.labelWithKey');
    assert.deepEqual(
      byKey.map((k) => [k.key, k.args]),
      Array.from({ length: 9 }, (_, i) => [`alt+${i + 1}`, String(i + 1)]),
    );
    for (const k of byKey) assert.equal(k.when, 'editorTextFocus && editorHasSelection && resourceExtname =~ /^\\.(jsonl|txt|md)$/');
  });
});
