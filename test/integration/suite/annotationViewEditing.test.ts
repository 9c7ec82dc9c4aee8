import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EntityLabel, DatasetRecord } from '../../../src/common/dataset';
import { AnnotationViewCommands } from '../../../src/extension/annotationView/commands';
import type { EditResult } from '../webviewProbes';
import { AnnotationViewTestCommands } from '../testApi';
import { rendered, snapshot, VIEW_TYPE } from './annotationViewHelpers';
import { cp, finlabelApi, waitFor } from './helpers';

/** The label of the first `value` in `text`, with code-point offsets. */
function labelOf(entity: string, text: string, value: string): EntityLabel {
  const at = text.indexOf(value);
  assert.ok(at >= 0, `${value} is in ${text}`);
  const start = cp(text.slice(0, at)).length;
  return { entity, value, start, end: start + cp(value).length };
}

// Non-BMP characters (𠀋, 😀) before the spans and a \r\n in the text: UTF-16 indexes differ from code points.
const TEXT_1 = '甲方：𠀋𠀋科技有限公司😀\r\n借款金额人民币伍佰万元整，以连带责任保证方式担保，还款期限36个月。';
const R1: DatasetRecord = { id: 'ed-1', text: TEXT_1, labels: [labelOf('借款金额', TEXT_1, '人民币伍佰万元整')], meta: { source: '合同' } };
const R2: DatasetRecord = { id: 'ed-2', text: '借款金额300万元，抵押担保。', labels: [] };
// value does not match the text at its offsets: a problem.
const R3: DatasetRecord = { id: 'ed-3', text: '还款期限3年', labels: [{ entity: '还款期限', value: '5年', start: 4, end: 6 }] };
const R4 = { id: 'ed-4', text: '保证人承担连带责任。' };
const R5: DatasetRecord = { id: 'ed-5', text: '期限12个月', labels: [labelOf('REPAY_PERIOD', '期限12个月', '12个月')] };
const LINES = [JSON.stringify(R1), JSON.stringify(R2), JSON.stringify(R3), JSON.stringify(R4), JSON.stringify(R5)];

async function edits(uri: vscode.Uri): Promise<EditResult[]> {
  return (await snapshot(uri))?.edits ?? [];
}

/** Waits for edit number `n` (1-based) the page asked for, and returns how it went. */
async function editNumber(uri: vscode.Uri, n: number): Promise<EditResult> {
  return waitFor(`edit ${n} to be applied or refused`, async () => (await edits(uri))[n - 1]);
}

function command<T = boolean>(name: string, ...args: unknown[]): Thenable<T> {
  return vscode.commands.executeCommand<T>(name, ...args);
}

describe('Annotation view editing (labels through the page, undo/redo, filters, save)', function () {
  this.timeout(120_000);
  let dir: string;
  let uri: vscode.Uri;
  let document: vscode.TextDocument;
  /** Edits the page has asked for so far. */
  let editCount = 0;

  /** Labels code points [start, end) through the page (select, then the type's key), and waits for the edit. */
  async function labelThroughPage(start: number, end: number, key: string): Promise<EditResult> {
    // The page labels the record as it drew it: let it catch up with the latest edit first.
    await rendered(uri, 'the current version', (r) => r.version === document.version);
    assert.equal(await command(AnnotationViewTestCommands.labelRange, start, end, key, uri), true);
    return editNumber(uri, ++editCount);
  }

  /** Sends keys to the page's text, as typed there. */
  async function press(...keys: (string | { key: string; shift?: boolean })[]): Promise<void> {
    for (const key of keys) assert.equal(await command(AnnotationViewTestCommands.pressKey, key, uri), true);
  }

  before(async () => {
    await finlabelApi();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finlabel-annotation-editing-'));
    uri = vscode.Uri.file(path.join(dir, 'editing.jsonl'));
    fs.writeFileSync(uri.fsPath, LINES.join('\n') + '\n');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    document = await vscode.workspace.openTextDocument(uri);
    // The plain text editor beside the view, on the same TextDocument.
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Two, preview: false });
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE, vscode.ViewColumn.One);
    await rendered(uri, 'record 1', (r) => r.kind === 'record' && r.index === 0);
  });

  after(async () => {
    if (!document.isClosed && document.isDirty) await document.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await new Promise((r) => setTimeout(r, 500));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the legend with keys, the progress and the help, under its CSP', async () => {
    const report = await rendered(uri, 'record 1 with its toolbar', (r) => r.index === 0 && r.legend.length > 0);
    assert.deepEqual(report.legend, ['1 借款金额', '2 担保方式', '3 还款期限']);
    assert.equal(report.progress, '3 / 5 labelled', 'records 1, 3 and 5 have labels');
    assert.equal(report.filter, 'all');
    assert.equal(report.canPrevious, false);
    assert.equal(report.canNext, true);
    assert.ok(report.toolkitReady, 'the toolkit (dropdown included) is defined and styled');
    assert.deepEqual((await snapshot(uri))?.cspViolations, []);
  });

  it('labels a selection through the page: the line gets that label and nothing else changes', async () => {
    const before = document.getText();
    const label = labelOf('担保方式', TEXT_1, '连带责任保证');
    assert.notEqual(TEXT_1.indexOf('连带责任保证'), label.start, 'code points, not UTF-16 units');
    const outcome = await labelThroughPage(label.start, label.end, '2');
    assert.ok(outcome.ok, outcome.message);
    assert.match(outcome.message, /连带责任保证.*担保方式/);

    const expected = JSON.stringify({ ...R1, labels: [...R1.labels!, label] });
    assert.equal(document.lineAt(0).text, expected, "the label is inserted in start order, in the line's own style");
    assert.equal(document.getText(), before.replace(LINES[0], expected), 'every other line is unchanged');
    assert.ok(document.isDirty, 'the document is dirty');

    const report = await rendered(uri, 'the new label drawn', (r) => r.spans.length === 2);
    const drawn = report.spans.find((s) => s.labelIndex === 1);
    assert.deepEqual(drawn, { labelIndex: 1, start: label.start, end: label.end, entity: '担保方式', tag: 'GUARANTEE_TYPE', text: '连带责任保证' });
    assert.equal(report.progress, '3 / 5 labelled');
    assert.equal(report.selection, null, 'the selection collapses once it is labelled');

    // The text editor beside the view draws it too.
    const api = await finlabelApi();
    const span = await waitFor('the text editor to draw the new label', () =>
      api.spansDrawn(uri).find((s) => s.range.start.line === 0 && s.value === '连带责任保证'),
    );
    assert.equal(document.getText(span.range), '连带责任保证');
    assert.equal(span.entity, '担保方式');
  });

  it('undo and redo (the workbench commands, on the view) remove and restore the label, and the view follows', async () => {
    const labelled = document.lineAt(0).text;
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE, vscode.ViewColumn.One);
    await waitFor('the view to be active', async () => (await snapshot(uri))?.active);
    await vscode.commands.executeCommand('undo');
    await waitFor('undo to restore line 1', () => document.lineAt(0).text === LINES[0]);
    await rendered(uri, 'the view without the label', (r) => r.spans.length === 1 && r.index === 0);
    const api = await finlabelApi();
    await waitFor('the text editor to drop the decoration', () => !api.spansDrawn(uri).some((s) => s.value === '连带责任保证'));

    await vscode.commands.executeCommand('redo');
    await waitFor('redo to label line 1 again', () => document.lineAt(0).text === labelled);
    const report = await rendered(uri, 'the view with the label again', (r) => r.spans.length === 2);
    assert.ok(report.spans.some((s) => s.text === '连带责任保证' && s.entity === '担保方式'));
  });

  it("changes a label's type and deletes it through the view (click = focus, digit, Delete)", async () => {
    assert.equal(await command(AnnotationViewTestCommands.focusSpan, 1, uri), true);
    const focused = await rendered(uri, 'label 2 focused, with its menu', (r) => r.focusedSpan?.labelIndex === 1);
    assert.match(focused.focusedSpan!.menu, /担保方式 \(GUARANTEE_TYPE\) “连带责任保证”/);

    const beforeRetype = document.lineAt(0).text;
    await press('3');
    const retyped = await editNumber(uri, ++editCount);
    assert.ok(retyped.ok, retyped.message);
    assert.equal(document.lineAt(0).text, beforeRetype.replace('"entity":"担保方式"', '"entity":"还款期限"'), 'only the entity string changed');
    const after = await rendered(uri, 'the retyped label', (r) => r.spans.some((s) => s.labelIndex === 1 && s.entity === '还款期限'));
    assert.equal(after.focusedSpan?.labelIndex, 1, 'the label stays focused');

    await press('Delete');
    const removed = await editNumber(uri, ++editCount);
    assert.ok(removed.ok, removed.message);
    assert.equal(document.lineAt(0).text, LINES[0], 'the label and its comma are gone, nothing else');
    await rendered(uri, 'the view without the label', (r) => r.spans.length === 1 && r.focusedSpan === null);
  });

  it('works from the keyboard alone: caret, Shift+arrows over non-BMP characters, a digit, Tab', async () => {
    // Caret to the start, then right past "甲方：𠀋𠀋" (5 code points, 7 UTF-16 units), then select 6 code points.
    await press('Escape', 'Home', ...Array<string>(5).fill('ArrowRight'));
    const moved = await rendered(uri, 'the caret after 𠀋𠀋', (r) => r.caret === 5 && r.textFocused);
    assert.equal(moved.selection, null);
    await press(...Array(6).fill({ key: 'ArrowRight', shift: true }));
    const selected = await rendered(uri, 'six code points selected', (r) => r.selection?.end === 11);
    assert.deepEqual(selected.selection, { start: 5, end: 11, text: '科技有限公司' });
    await press('2');
    const outcome = await editNumber(uri, ++editCount);
    assert.ok(outcome.ok, outcome.message);
    const record = JSON.parse(document.lineAt(0).text) as DatasetRecord;
    assert.deepEqual(record.labels![0], { entity: '担保方式', value: '科技有限公司', start: 5, end: 11 });
    assert.equal(cp(record.text).slice(5, 11).join(''), '科技有限公司');

    // Tab walks the labels in reading order; Shift+Tab goes back.
    await rendered(uri, 'two labels drawn', (r) => r.spans.length === 2);
    await press('Home', 'Tab');
    assert.equal((await rendered(uri, 'Tab on the first label', (r) => r.focusedSpan !== null)).focusedSpan?.start, 5);
    await press('Tab');
    assert.equal((await rendered(uri, 'Tab on the second label', (r) => r.focusedSpan?.start !== 5)).focusedSpan?.entity, '借款金额');
    await press({ key: 'Tab', shift: true });
    assert.equal((await rendered(uri, 'Shift+Tab back', (r) => r.focusedSpan?.start === 5)).focusedSpan?.entity, '担保方式');
    await press('Delete');
    assert.ok((await editNumber(uri, ++editCount)).ok);
    await waitFor('the keyboard label to be removed', () => document.lineAt(0).text === LINES[0]);
  });

  it('says why an edit is refused (the same label twice) and changes nothing', async () => {
    const text = document.getText();
    const existing = R1.labels![0];
    const outcome = await labelThroughPage(existing.start, existing.end, '1');
    assert.equal(outcome.ok, false);
    assert.match(outcome.message, /already labelled 借款金额/);
    assert.equal(document.getText(), text);
    const report = await rendered(uri, 'the refusal shown', (r) => /already labelled/.test(r.notice));
    assert.equal(report.spans.length, 1);
  });

  it('shows edits made in the text editor', async () => {
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
    assert.ok(editor, 'the text editor is open beside the view');
    const line = document.lineAt(0).text;
    const at = line.indexOf('36个月');
    assert.ok(await editor.edit((b) => b.replace(new vscode.Range(0, at, 0, at + 2), '48')));
    const report = await rendered(uri, 'the edited text', (r) => r.text?.includes('48个月') === true);
    assert.equal(report.text, TEXT_1.replace('36个月', '48个月'));
    assert.equal(report.spans.length, 1);
    assert.ok(await editor.edit((b) => b.replace(new vscode.Range(0, at, 0, at + 2), '36')));
    await rendered(uri, 'the text back', (r) => r.text === TEXT_1);
  });

  it('filters: Previous / Next step through the unlabelled records, or those with problems', async () => {
    assert.equal(await command(AnnotationViewTestCommands.setFilter, 'unlabelled', uri), true);
    let report = await rendered(uri, 'the first unlabelled record', (r) => r.filter === 'unlabelled' && r.id === 'ed-2');
    assert.equal(report.filterInfo, '2 matches');
    assert.equal(report.canPrevious, false);
    assert.equal(report.canNext, true);
    assert.equal(await command(AnnotationViewCommands.nextRecord, uri), true);
    report = await rendered(uri, 'the next unlabelled record (no "labels" at all)', (r) => r.id === 'ed-4');
    assert.equal(report.index, 3, 'record 3 (with labels) was skipped');
    assert.equal(report.canNext, false);
    await command(AnnotationViewCommands.nextRecord, uri);
    report = await rendered(uri, 'the end of the filter said', (r) => /No more unlabelled/.test(r.notice));
    assert.equal(report.id, 'ed-4');

    // Labelling an unlabelled record keeps it on screen and counts it.
    const outcome = await labelThroughPage(5, 9, '2');
    assert.ok(outcome.ok, outcome.message);
    report = await rendered(uri, 'the labelled record, still shown', (r) => r.spans.length === 1);
    assert.equal(report.id, 'ed-4');
    assert.equal(report.progress, '4 / 5 labelled');
    assert.equal(report.filterInfo, '1 match (not this one)');
    const record = JSON.parse(document.lineAt(3).text) as DatasetRecord;
    assert.deepEqual(record.labels, [{ entity: '担保方式', value: '连带责任', start: 5, end: 9 }]);

    assert.equal(await command(AnnotationViewTestCommands.setFilter, 'problems', uri), true);
    report = await rendered(uri, 'the record with problems', (r) => r.filter === 'problems' && r.id === 'ed-3');
    assert.match(report.problems.join('\n'), /does not match the text/);
    assert.equal(report.filterInfo, '1 match');

    assert.equal(await command(AnnotationViewTestCommands.setFilter, 'all', uri), true);
    assert.equal(await command(AnnotationViewCommands.lastRecord, uri), true);
    report = await rendered(uri, 'the last record', (r) => r.filter === 'all' && r.id === 'ed-5');
    assert.equal(report.spans[0].entity, '还款期限');
    assert.equal(report.spans[0].tag, 'REPAY_PERIOD');
  });

  it('retypes a label written as a tag with a tag', async () => {
    assert.equal(await command(AnnotationViewTestCommands.focusSpan, 0, uri), true);
    await rendered(uri, 'the tag label focused', (r) => r.focusedSpan?.labelIndex === 0 && r.id === 'ed-5');
    await press('1');
    const outcome = await editNumber(uri, ++editCount);
    assert.ok(outcome.ok, outcome.message);
    assert.equal(document.lineAt(4).text, LINES[4].replace('"REPAY_PERIOD"', '"LOAN_AMOUNT"'));
  });

  it("saves with the workbench's Save on the view: the file on disk has the labels", async () => {
    assert.ok(document.isDirty);
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE, vscode.ViewColumn.One);
    await waitFor('the view to be active', async () => (await snapshot(uri))?.active);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor('the document to be saved', () => !document.isDirty);
    const saved = fs.readFileSync(uri.fsPath, 'utf8');
    assert.equal(saved, document.getText());
    const lines = saved.split('\n');
    assert.equal(lines[3], JSON.stringify({ ...R4, labels: [{ entity: '担保方式', value: '连带责任', start: 5, end: 9 }] }));
    assert.equal(lines[4], LINES[4].replace('"REPAY_PERIOD"', '"LOAN_AMOUNT"'));
    assert.deepEqual((await snapshot(uri))?.cspViolations, [], 'nothing was blocked by the Content-Security-Policy');
  });
});
