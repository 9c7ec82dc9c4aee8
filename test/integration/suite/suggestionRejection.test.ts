import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetRecord } from '../../../src/common/dataset';
import { AnnotationViewCommands } from '../../../src/extension/annotationView/commands';
import { AnnotationViewTestCommands } from '../testApi';
import type { RejectionStep } from '../../../src/extension/modelLoop/rejectionHistory';
import { UNDO_REJECTION_COMMAND } from '../../../src/extension/modelLoop/suggestionRejections';
import { MODEL_SUGGESTION_MIN_CONFIDENCE } from '../../../src/common/lspProtocol';
import type { EntityPredictor } from '../../../src/server/inference/entityPredictor';
import { offeredAsSuggestion } from '../../../src/server/predictions/suggestions';
import type { RenderReport } from '../webviewProbeProtocol';
import { rendered, VIEW_TYPE } from './annotationViewHelpers';
import { finlabelApi, shippedModelReference, waitFor } from './helpers';

/**
 * Texts of their own (rejections are kept per record text in the workspace state, which the other
 * suites' rejections share): the shipped model finds at least two entities in each.
 */
const TEXTS = [
  '拒绝测试一：借款人向贷款人申请借款人民币伍佰万元整，借款期限为36个月，担保方式为抵押加连带责任保证。',
  '拒绝测试二：贷款金额为人民币壹仟万元，期限十二个月，以房产抵押担保。',
  '借款金额500万元,担保方式为抵押,还款期限3年',
];

const enabledButtons = (r: RenderReport): string[] => (r.suggestionBar?.buttons ?? []).filter((b) => b.enabled).map((b) => b.label);

describe('Suggestions: Reject all and its undo (shipped default model)', function () {
  this.timeout(180_000);
  let reference: EntityPredictor;
  let dir: string;
  let uri: vscode.Uri;
  let lines: string[];
  /** line -> the number of suggestions the model makes in that unlabelled record (its predictions at finlabel.suggestions.modelMinConfidence's default). */
  const expected = new Map<number, number>();

  before(async () => {
    reference = await shippedModelReference();
    const records: DatasetRecord[] = [
      { id: 'r0', text: TEXTS[0], labels: [] },
      { id: 'r1', text: TEXTS[1], labels: [] },
      { id: 'r2', text: TEXTS[2], labels: [{ entity: '借款金额', value: '500万元', start: 4, end: 9 }] },
    ];
    for (const line of [0, 1])
      expected.set(
        line,
        (await reference.predict(records[line].text)).spans.filter((s) => offeredAsSuggestion(s.confidence, MODEL_SUGGESTION_MIN_CONFIDENCE)).length,
      );
    assert.ok(
      [...expected.values()].every((n) => n >= 2),
      `the model suggests several labels in each unlabelled record: ${JSON.stringify([...expected])}`,
    );
    lines = records.map((r) => JSON.stringify(r));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finlabel-reject-all-'));
    uri = vscode.Uri.file(path.join(dir, 'reject.jsonl'));
    fs.writeFileSync(uri.fsPath, lines.join('\n') + '\n');
  });

  after(async () => {
    for (const doc of vscode.workspace.textDocuments) if (doc.isDirty && doc.uri.fsPath === uri.fsPath) await doc.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await reference?.release();
    await new Promise((r) => setTimeout(r, 500));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const drawnOn = async (line: number): Promise<readonly string[]> =>
    (await finlabelApi())
      .suggestionsDrawn(uri)
      .filter((d) => d.range.start.line === line)
      .map((d) => d.key);

  it('in the text editor, Reject all hides every suggestion of the record in one step, one undo brings all of them back, and an edit made after it is undone first', async () => {
    const api = await finlabelApi();
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const before = document.getText();
    const outcome = await vscode.commands.executeCommand<{ suggestions?: number } | undefined>('finlabel.preAnnotate');
    assert.equal(outcome?.suggestions, expected.get(0)! + expected.get(1)!);
    const keys0 = await waitFor("record r0's suggestions", async () => ((await drawnOn(0)).length === expected.get(0) ? drawnOn(0) : undefined), 30_000);
    const keys1 = await waitFor("record r1's suggestions", async () => ((await drawnOn(1)).length === expected.get(1) ? drawnOn(1) : undefined));

    const rejectAll = async (): Promise<RejectionStep> => {
      const first = api.suggestionsDrawn(uri).find((d) => d.range.start.line === 0)!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        new vscode.Range(first.range.start, first.range.start),
      );
      const action = actions.find((a) => a.title === `Reject all suggestions in this record (${keys0.length})`);
      assert.ok(action?.command, `a Reject all action: ${actions.map((a) => a.title).join(' | ')}`);
      const step = await vscode.commands.executeCommand<RejectionStep | false>(action.command.command, ...(action.command.arguments ?? []));
      assert.ok(step, 'the rejection was made');
      return step;
    };

    const step = await rejectAll();
    assert.deepEqual([...step.keys].sort(), [...keys0].sort(), 'one step holds every suggestion of the record');
    await waitFor('every suggestion of r0 to be hidden', async () => (await drawnOn(0)).length === 0);
    assert.deepEqual(await drawnOn(1), keys1, 'the other record keeps its suggestions');
    for (const k of keys0) assert.ok(api.rejectedSuggestions().includes(k), 'each rejection is kept in the workspace state');
    assert.equal(document.getText(), before, 'rejecting wrote nothing');
    assert.equal(document.isDirty, false);
    assert.equal(api.latestRejection(uri)?.id, step.id, 'Ctrl+Z would undo the rejection (its latest action)');

    const undone = await vscode.commands.executeCommand<RejectionStep | undefined>(UNDO_REJECTION_COMMAND);
    assert.equal(undone?.id, step.id);
    await waitFor("all of r0's suggestions back after one undo", async () => (await drawnOn(0)).length === keys0.length);
    assert.deepEqual([...(await drawnOn(0))].sort(), [...keys0].sort());
    for (const k of keys0) assert.ok(!api.rejectedSuggestions().includes(k), 'no longer rejected');
    assert.equal(api.latestRejection(uri), undefined, "nothing left for Ctrl+Z but the document's own edits");
    assert.equal(document.getText(), before);

    // Reject all again, then accept a suggestion of r1: undo takes back the accept (an edit) first, then the rejection.
    const again = await rejectAll();
    await waitFor("r0's suggestions hidden again", async () => (await drawnOn(0)).length === 0);
    const target = api.suggestionsDrawn(uri).find((d) => d.range.start.line === 1)!;
    const onIt = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      new vscode.Range(target.range.start, target.range.start),
    );
    const accept = onIt.find((a) => a.title.startsWith('Accept suggestion: ') && a.edit);
    assert.ok(accept?.edit);
    assert.ok(await vscode.workspace.applyEdit(accept.edit));
    assert.notEqual(document.lineAt(1).text, lines[1]);
    assert.equal(api.latestRejection(uri), undefined, 'the accept came after the rejection: Ctrl+Z undoes it first');
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    await waitFor('the accept to be undone', () => document.lineAt(1).text === lines[1]);
    assert.equal(api.latestRejection(uri)?.id, again.id, 'then the rejection is the latest action again');
    await vscode.commands.executeCommand(UNDO_REJECTION_COMMAND, uri);
    await waitFor("all of r0's suggestions back", async () => (await drawnOn(0)).length === keys0.length);
    assert.equal(document.getText(), before);
  });

  it("in the annotation view, Reject all (Shift+Backspace) clears the record's suggestions in one step and one undo restores them; a record without suggestions has no button to press", async () => {
    const api = await finlabelApi();
    const document = await vscode.workspace.openTextDocument(uri);
    const text = document.getText();
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
    await rendered(uri, 'a record', (r) => r.kind === 'record');
    await vscode.commands.executeCommand(AnnotationViewCommands.goToRecord, 2, uri);
    const count = expected.get(1)!;
    let shown = await rendered(uri, 'record r1 with its suggestions', (r) => r.id === 'r1' && r.suggestions.length === count);
    assert.equal(shown.suggestionBar?.summary, `${count} suggestions`);
    assert.deepEqual(enabledButtons(shown), ['Accept', 'Reject', 'Accept all', 'Reject all']);
    const keys = shown.suggestions.map((s) => s.key);

    await vscode.commands.executeCommand(AnnotationViewTestCommands.pressKey, { key: 'Backspace', shift: true }, uri);
    shown = await rendered(uri, 'every suggestion of r1 rejected', (r) => r.id === 'r1' && r.suggestions.length === 0);
    assert.equal(shown.suggestionBar?.summary, 'No suggestions for this record');
    assert.deepEqual(enabledButtons(shown), [], 'an empty bar has no button to press');
    assert.equal(shown.focusedSuggestion, null);
    assert.match(shown.notice, new RegExp(`Rejected ${count} suggestions of this record`));
    const step = await waitFor('the rejection to be recorded', () => api.latestRejection(uri));
    assert.deepEqual([...step.keys].sort(), [...keys].sort(), 'one step holds all of them');
    assert.equal(document.getText(), text, 'the file is not touched');

    // The keys do nothing on an empty bar.
    const rejectedBefore = [...api.rejectedSuggestions()].sort();
    for (const key of ['Enter', 'Backspace', { key: 'Backspace', shift: true }])
      await vscode.commands.executeCommand(AnnotationViewTestCommands.pressKey, key, uri);
    await rendered(uri, 'the notice of the empty bar', (r) => r.id === 'r1' && /No suggestions for this record|Click a label/.test(r.notice));
    assert.equal(document.getText(), text, 'Enter on an empty bar writes nothing');
    assert.deepEqual([...api.rejectedSuggestions()].sort(), rejectedBefore, 'Backspace on an empty bar rejects nothing');
    assert.equal(api.latestRejection(uri)?.id, step.id);

    // What Ctrl+Z runs in the view while the rejection is the latest action.
    assert.equal((await vscode.commands.executeCommand<RejectionStep | undefined>(UNDO_REJECTION_COMMAND))?.id, step.id);
    shown = await rendered(uri, "all of r1's suggestions back", (r) => r.id === 'r1' && r.suggestions.length === count);
    assert.deepEqual(
      shown.suggestions.map((s) => s.key),
      keys,
    );
    assert.deepEqual(enabledButtons(shown), ['Accept', 'Reject', 'Accept all', 'Reject all']);

    // The labelled record of this pre-annotated file: the bar says there is nothing, and Shift+Backspace rejects nothing.
    await vscode.commands.executeCommand(AnnotationViewCommands.goToRecord, 3, uri);
    shown = await rendered(uri, 'record r2', (r) => r.id === 'r2');
    assert.equal(shown.suggestionBar?.summary, 'No suggestions for this record');
    assert.deepEqual(enabledButtons(shown), []);
    await vscode.commands.executeCommand(AnnotationViewTestCommands.pressKey, { key: 'Backspace', shift: true }, uri);
    await rendered(uri, 'the notice', (r) => r.id === 'r2' && r.notice === 'No suggestions for this record.');
    assert.equal(api.latestRejection(uri), undefined, 'nothing was rejected');
  });
});
