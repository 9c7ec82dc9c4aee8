import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EntityLabel } from '../../../src/common/dataset';
import { AnnotationViewTestCommands } from '../testApi';
import { rendered, snapshot, VIEW_TYPE } from './annotationViewHelpers';
import { cp, finlabelApi, waitFor } from './helpers';

const TEXT = '😀借款金额500万元，担保方式为抵押，还款期限3年';

function label(entity: string, value: string, annotator?: string): EntityLabel {
  const start = cp(TEXT.slice(0, TEXT.indexOf(value))).length;
  return { entity, value, start, end: start + cp(value).length, ...(annotator ? { annotator } : {}) };
}

const ALICE_LOAN = label('借款金额', '500万元', 'alice');
const BOB_LOAN = label('借款金额', '500万元', 'bob');
const ALICE_GUARANTEE = label('担保方式', '抵押', 'alice');
const BOB_PERIOD_ON_GUARANTEE = label('还款期限', '抵押', 'bob');
const BOB_PERIOD = label('还款期限', '3年', 'bob');
const RECORD = { id: 'adj-1', text: TEXT, labels: [ALICE_LOAN, BOB_LOAN, ALICE_GUARANTEE, BOB_PERIOD_ON_GUARANTEE, BOB_PERIOD], meta: { batch: 7 } };
const line = (labels: EntityLabel[]): string => JSON.stringify({ ...RECORD, labels });
const agreed = (l: EntityLabel): EntityLabel => ({ entity: l.entity, value: l.value, start: l.start, end: l.end });

describe('Annotation view adjudication (two annotators side by side, keep A / keep B / edit)', function () {
  this.timeout(90_000);
  let dir: string;
  let uri: vscode.Uri;
  let document: vscode.TextDocument;
  let edits = 0;

  async function command(name: string, ...args: unknown[]): Promise<void> {
    assert.equal(await vscode.commands.executeCommand(name, ...args, uri), true, name);
  }

  /** Waits for the next edit the page asks for, and for it to succeed. */
  async function nextEdit(): Promise<void> {
    const n = ++edits;
    const outcome = await waitFor(`edit ${n}`, async () => (await snapshot(uri))?.edits[n - 1]);
    assert.ok(outcome.ok, outcome.message);
  }

  before(async () => {
    await finlabelApi();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finlabel-adjudication-'));
    uri = vscode.Uri.file(path.join(dir, 'two-annotators.jsonl'));
    fs.writeFileSync(uri.fsPath, `${JSON.stringify(RECORD)}\n`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    document = await vscode.workspace.openTextDocument(uri);
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
    await rendered(uri, 'the record', (r) => r.kind === 'record' && r.spans.length === 5);
  });

  after(async () => {
    if (document.isDirty) await document.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await new Promise((r) => setTimeout(r, 500));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("shows both annotators' labels side by side, with the differences and agreements", async () => {
    assert.ok((await rendered(uri, 'the Compare button', (r) => r.canCompare)).canCompare);
    await command(AnnotationViewTestCommands.compare, true);
    const report = await rendered(uri, 'the comparison', (r) => r.compare !== null);
    const compare = report.compare!;
    assert.equal(compare.a, 'alice');
    assert.equal(compare.b, 'bob');
    assert.equal(compare.agreements, 1);
    assert.deepEqual(compare.differences, [
      `A: 担保方式 “抵押” [${ALICE_GUARANTEE.start}, ${ALICE_GUARANTEE.end}) · B: 还款期限 “抵押” [${ALICE_GUARANTEE.start}, ${ALICE_GUARANTEE.end})`,
      `A: no label · B: 还款期限 “3年” [${BOB_PERIOD.start}, ${BOB_PERIOD.end})`,
    ]);
    assert.deepEqual(compare.panes, [
      [`借款金额 500万元 [${ALICE_LOAN.start}, ${ALICE_LOAN.end})`, `担保方式 抵押 [${ALICE_GUARANTEE.start}, ${ALICE_GUARANTEE.end})`],
      [
        `借款金额 500万元 [${BOB_LOAN.start}, ${BOB_LOAN.end})`,
        `还款期限 抵押 [${BOB_PERIOD_ON_GUARANTEE.start}, ${BOB_PERIOD_ON_GUARANTEE.end})`,
        `还款期限 3年 [${BOB_PERIOD.start}, ${BOB_PERIOD.end})`,
      ],
    ]);
  });

  it('"Keep B" on a difference is one undoable edit: bob\'s label stays (agreed), alice\'s goes', async () => {
    await command(AnnotationViewTestCommands.settleDifference, 0, 'b');
    await nextEdit();
    const settled = line([ALICE_LOAN, BOB_LOAN, agreed(BOB_PERIOD_ON_GUARANTEE), BOB_PERIOD]);
    assert.equal(document.lineAt(0).text, settled);
    assert.equal((await rendered(uri, 'one difference left', (r) => r.compare?.differences.length === 1)).compare!.agreements, 1);

    await vscode.commands.executeCommand('undo');
    await waitFor('undo to bring both back', () => document.lineAt(0).text === JSON.stringify(RECORD));
    await rendered(uri, 'two differences again', (r) => r.compare?.differences.length === 2);
    await vscode.commands.executeCommand('redo');
    await waitFor('redo to settle it again', () => document.lineAt(0).text === settled);
  });

  it('accepts the agreements, and "Edit" puts the keyboard on the label in the text', async () => {
    await rendered(uri, 'the comparison after redo', (r) => r.compare?.differences.length === 1);
    await command(AnnotationViewTestCommands.acceptAgreements);
    await nextEdit();
    assert.equal(document.lineAt(0).text, line([agreed(ALICE_LOAN), agreed(BOB_PERIOD_ON_GUARANTEE), BOB_PERIOD]));
    const report = await rendered(uri, 'no agreements left', (r) => r.compare?.agreements === 0);
    assert.equal(report.compare!.differences.length, 1);

    await command(AnnotationViewTestCommands.settleDifference, 0, 'edit');
    const editing = await rendered(uri, 'the label focused in the text', (r) => r.compare === null && r.focusedSpan !== null);
    assert.equal(editing.focusedSpan!.labelIndex, 2);
    assert.equal(editing.focusedSpan!.entity, '还款期限');
  });

  it('"Keep A" where only B labelled deletes B\'s label; with nothing left to settle the comparison closes', async () => {
    await command(AnnotationViewTestCommands.compare, true);
    await rendered(uri, 'the comparison again', (r) => r.compare?.differences.length === 1);
    await command(AnnotationViewTestCommands.settleDifference, 0, 'a');
    await nextEdit();
    assert.equal(document.lineAt(0).text, line([agreed(ALICE_LOAN), agreed(BOB_PERIOD_ON_GUARANTEE)]));
    const report = await rendered(uri, 'nothing left to compare', (r) => !r.canCompare && r.spans.length === 2);
    assert.equal(report.compare, null);
    assert.deepEqual((await snapshot(uri))?.cspViolations, []);
  });
});
