import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { DatasetRecord } from '../../../src/common/dataset';
import type { DocumentImportReport } from '../../../src/common/documentImportProtocol';
import { makeDocx } from '../../support/contractDocumentFiles';
import { cp, finlabelApi, workspaceFile } from './helpers';

const FOLDER = 'word-contracts';
const DOCX = `${FOLDER}/流动资金借款合同.docx`;
const BROKEN = `${FOLDER}/损坏的合同.pdf`;
const DATASET = `${FOLDER}/contracts.labels.jsonl`;
const MAP_FILE = '.finlabel/contracts.json';
const PARAGRAPHS = ['流动资金借款合同', '借款人：重庆𠀋记贸易有限公司😀', '借款金额：人民币伍佰万元整。', '借款期限：36个月。'];
const AMOUNT = '人民币伍佰万元整';

function recordsOnDisk(): DatasetRecord[] {
  return fs
    .readFileSync(workspaceFile(DATASET).fsPath, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as DatasetRecord);
}

describe('Importing Word and PDF contracts of a folder (FinLabel: Import Word and PDF Contracts…)', function () {
  this.timeout(90_000);
  const folderUri = workspaceFile(FOLDER);
  const docxUri = workspaceFile(DOCX);
  const datasetUri = workspaceFile(DATASET);
  const mapUri = workspaceFile(MAP_FILE);
  let mapBefore: string | undefined;

  before(async () => {
    await finlabelApi();
    mapBefore = fs.existsSync(mapUri.fsPath) ? fs.readFileSync(mapUri.fsPath, 'utf8') : undefined;
    fs.mkdirSync(folderUri.fsPath, { recursive: true });
    fs.writeFileSync(docxUri.fsPath, await makeDocx(PARAGRAPHS));
    fs.writeFileSync(workspaceFile(BROKEN).fsPath, '%PDF-1.7\nnot really a PDF\n');
    const chosen = await vscode.commands.executeCommand<string>('finlabel.chooseContractDataset', folderUri, datasetUri);
    assert.equal(vscode.Uri.parse(chosen).fsPath, datasetUri.fsPath);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folderUri.fsPath, { recursive: true, force: true });
    if (mapBefore === undefined) fs.rmSync(mapUri.fsPath, { force: true });
    else fs.writeFileSync(mapUri.fsPath, mapBefore);
  });

  it('imports the .docx as a record with its paragraphs and meta, and names the damaged PDF with the reason', async () => {
    const report = await vscode.commands.executeCommand<DocumentImportReport>('finlabel.importContractDocuments', folderUri);
    assert.ok(report, 'the command returns its report');
    const docx = report.files.find((f) => f.file === DOCX);
    assert.equal(docx?.outcome, 'added', JSON.stringify(report));
    const broken = report.files.find((f) => f.file === BROKEN);
    assert.equal(broken?.outcome, 'not-imported');
    assert.match(broken?.message ?? '', /^word-contracts\/损坏的合同\.pdf: not imported: it is not a valid PDF/);
    const records = recordsOnDisk();
    assert.equal(records.length, 1, 'the dataset is saved, with no record for the damaged file');
    const record = records[0];
    assert.equal(record.id, DOCX);
    assert.equal(record.text, PARAGRAPHS.join('\n'));
    const meta = record.meta as { source: string; format: string; parts: { paragraph: number; start: number; end: number }[] };
    assert.equal(meta.source, DOCX);
    assert.equal(meta.format, 'docx');
    assert.deepEqual(
      meta.parts.map((p) => [p.paragraph, cp(record.text).slice(p.start, p.end).join('')]),
      PARAGRAPHS.map((p, i) => [i + 1, p]),
    );
    // One edit to the dataset document: its undo takes the import back.
    const dataset = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === datasetUri.fsPath);
    assert.ok(dataset && !dataset.isDirty, 'the dataset is open and saved');
  });

  it('reveals a label of the record in the text view of the document, and a re-import reports where it moved', async () => {
    const dataset = await vscode.workspace.openTextDocument(datasetUri);
    const record = JSON.parse(dataset.lineAt(0).text) as DatasetRecord;
    const start = cp(record.text).join('').indexOf(AMOUNT);
    const cpStart = cp(record.text.slice(0, start)).length;
    const labelled = { ...record, labels: [{ entity: '借款金额', value: AMOUNT, start: cpStart, end: cpStart + cp(AMOUNT).length }] };
    const edit = new vscode.WorkspaceEdit();
    edit.replace(datasetUri, dataset.lineAt(0).range, JSON.stringify(labelled));
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await dataset.save());

    const shown = await vscode.commands.executeCommand<string>('finlabel.showDocumentText', docxUri, 0);
    assert.ok(shown, 'the text view opened');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), shown);
    assert.equal(editor?.document.getText(), record.text);
    assert.equal(editor?.document.getText(editor.selection), AMOUNT, 'the label is selected');
    assert.equal(editor?.selection.start.line, 2, 'on the line of its paragraph');

    // The Word file changes: a paragraph is added before the amount.
    fs.writeFileSync(docxUri.fsPath, await makeDocx([PARAGRAPHS[0], '合同编号：2024-001', ...PARAGRAPHS.slice(1)]));
    const report = await vscode.commands.executeCommand<DocumentImportReport>('finlabel.importContractDocuments', folderUri);
    const docx = report.files.find((f) => f.file === DOCX);
    assert.equal(docx?.outcome, 'updated');
    assert.deepEqual(
      docx?.moved.map((m) => [m.value, m.from.place, m.to?.place]),
      [[AMOUNT, 'paragraph 3', 'paragraph 4']],
    );
    const after = recordsOnDisk()[0];
    const label = after.labels?.[0];
    assert.ok(label);
    assert.equal(cp(after.text).slice(label.start, label.end).join(''), AMOUNT);
    await vscode.commands.executeCommand('finlabel.showDocumentText', docxUri, 0);
    assert.equal(vscode.window.activeTextEditor?.selection.start.line, 3, 'the view shows the new text');
  });
});
