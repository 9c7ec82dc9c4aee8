import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AnnotationViewCommands } from '../../../src/extension/annotationView/commands';
import type { RenderReport } from '../webviewProbeProtocol';
import { rendered, snapshot, VIEW_TYPE } from './annotationViewHelpers';
import { cp, finlabelApi } from './helpers';
import type { DatasetRecord } from '../../../src/common/dataset';

/** A record whose labels are found in its text and given code-point offsets, as the format wants. */
function record(id: string, text: string, labels: [entity: string, value: string, nth?: number][]): DatasetRecord {
  return {
    id,
    text,
    labels: labels.map(([entity, value, nth = 0]) => {
      let at = -1;
      for (let k = 0; k <= nth; k++) at = text.indexOf(value, at + 1);
      assert.ok(at >= 0, `${value} is in ${text}`);
      const start = cp(text.slice(0, at)).length;
      return { entity, value, start, end: start + cp(value).length };
    }),
  };
}

const R1 = record('av-1', '借款金额500万元,担保方式为抵押,还款期限3年', [
  ['借款金额', '500万元'],
  ['担保方式', '抵押'],
  ['还款期限', '3年'],
]);
// Characters outside the BMP before the spans (code points != UTF-16 units) and a \r\n in the text.
const R2 = record('av-2', '甲方：𠀋𠀋科技有限公司\r\n借款人😀同意：借款金额人民币伍佰万元整，以连带责任保证方式担保。', [
  ['LOAN_AMOUNT', '人民币伍佰万元整'],
  ['担保方式', '连带责任保证'],
]);
const R3_MALFORMED = '{"id":"av-3","text":"未闭合的记录';
// Two spans of one type over the same characters.
const R4 = record('av-4', '还款期限为36个月，按月付息', [
  ['还款期限', '36个月'],
  ['还款期限', '36'],
]);
const LINES = [JSON.stringify(R1), JSON.stringify(R2), R3_MALFORMED, JSON.stringify(R4)];

/** Checks that the page drew `expected` exactly: its text, and each label over the right characters. */
function assertDrew(report: RenderReport, expected: DatasetRecord): void {
  assert.equal(report.kind, 'record');
  assert.equal(report.id, expected.id);
  assert.equal(report.text, expected.text, 'the text in the DOM is the record text, \\r\\n and non-BMP characters included');
  assert.equal(report.textLength, cp(expected.text).length);
  const labels = expected.labels ?? [];
  assert.equal(report.spans.length, labels.length, 'one highlight per gold label');
  for (const label of labels) {
    const drawn = report.spans.find((s) => s.start === label.start && s.end === label.end);
    assert.ok(drawn, `a highlight at [${label.start}, ${label.end}) in ${JSON.stringify(report.spans)}`);
    assert.equal(drawn.text, cp(expected.text).slice(label.start, label.end).join(''), 'the highlight covers the labelled code points');
    assert.equal(drawn.text, label.value);
  }
}

describe('Annotation view (custom editor)', function () {
  this.timeout(90_000);
  let dir: string;
  let uri: vscode.Uri;
  let emptyUri: vscode.Uri;

  before(async () => {
    await finlabelApi();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finlabel-annotation-view-'));
    uri = vscode.Uri.file(path.join(dir, 'records.jsonl'));
    emptyUri = vscode.Uri.file(path.join(dir, 'empty.jsonl'));
    fs.writeFileSync(uri.fsPath, LINES.join('\n') + '\n');
    fs.writeFileSync(emptyUri.fsPath, '');
  });

  after(async () => {
    // Save what the tests changed so closing asks nothing, then close everything they opened.
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.isDirty && (doc.uri.fsPath === uri.fsPath || doc.uri.fsPath === emptyUri.fsPath)) await doc.save();
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Local history copies a saved file in the background: let it finish before the folder goes.
    await new Promise((r) => setTimeout(r, 500));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens on record 1 and draws its text and gold spans, under its CSP, with the toolkit', async () => {
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
    const report = await rendered(uri, 'record 1 to be drawn', (r) => r.kind === 'record' && r.index === 0);
    assertDrew(report, R1);
    assert.equal(report.total, 4);
    assert.equal(report.header, 'Record 1 / 4');
    assert.deepEqual(report.problems, []);
    assert.deepEqual(
      report.spans.map((s) => s.entity),
      ['借款金额', '担保方式', '还款期限'],
    );
    assert.ok(report.stylesApplied, 'the linked stylesheet was applied');
    assert.ok(report.toolkitReady, 'the webview UI toolkit elements are defined and styled');
    const snap = await snapshot(uri);
    assert.deepEqual(snap?.cspViolations, [], 'nothing was blocked by the Content-Security-Policy');
  });

  it('"next" moves to record 2, with offsets in code points across non-BMP characters and \\r\\n', async () => {
    assert.equal(await vscode.commands.executeCommand(AnnotationViewCommands.nextRecord), true);
    const report = await rendered(uri, 'record 2 to be drawn', (r) => r.index === 1);
    assertDrew(report, R2);
    assert.equal(report.header, 'Record 2 / 4');
    const loan = report.spans.find((s) => s.tag === 'LOAN_AMOUNT');
    assert.equal(loan?.entity, '借款金额', 'a label given by tag is shown under its display name');
    assert.ok(R2.text.indexOf('人民币') > loan!.start, 'the UTF-16 index differs from the code-point offset');
  });

  it('lists the problems of a line that is not a valid record', async () => {
    assert.equal(await vscode.commands.executeCommand(AnnotationViewCommands.goToRecord, 3), true);
    const report = await rendered(uri, 'the malformed record to be drawn', (r) => r.index === 2);
    assert.equal(report.kind, 'record');
    assert.equal(report.text, null);
    assert.deepEqual(report.spans, []);
    assert.ok(report.problems.length > 0, 'its problems are listed');
    assert.match(report.problems.join('\n'), /malformed JSON/);
    assert.equal(report.header, 'Record 3 / 4');
  });

  it('draws overlapping spans, each over its own characters', async () => {
    assert.equal(await vscode.commands.executeCommand(AnnotationViewCommands.lastRecord), true);
    const report = await rendered(uri, 'the last record to be drawn', (r) => r.index === 3);
    assertDrew(report, R4);
    assert.match(report.problems.join('\n'), /overlaps/, 'the overlap is listed as a problem');
  });

  it('shows an edit of the TextDocument (a WorkspaceEdit on record 1) live', async () => {
    assert.equal(await vscode.commands.executeCommand(AnnotationViewCommands.firstRecord), true);
    await rendered(uri, 'record 1 again', (r) => r.index === 0);
    const document = await vscode.workspace.openTextDocument(uri);
    const edited = record('av-1', '借款金额800万元，担保方式为质押。', [
      ['借款金额', '800万元'],
      ['担保方式', '质押'],
    ]);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, document.lineAt(0).range, JSON.stringify(edited));
    assert.ok(await vscode.workspace.applyEdit(edit));
    const report = await rendered(uri, 'the edited record 1 to be drawn', (r) => r.index === 0 && r.text === edited.text);
    assertDrew(report, edited);
    assert.equal(report.total, 4);

    // A label added by typing into the line (a plain insertion) shows up too.
    const line = document.lineAt(0).text;
    const withThird = record('av-1', edited.text, [...edited.labels!.map((l): [string, string] => [l.entity, l.value]), ['借款金额', '借款金额']]);
    const third = withThird.labels![2];
    const insertAt = line.lastIndexOf(']');
    const insert = new vscode.WorkspaceEdit();
    insert.insert(uri, new vscode.Position(0, insertAt), `,${JSON.stringify(third)}`);
    assert.ok(await vscode.workspace.applyEdit(insert));
    const after = await rendered(uri, 'the new label to be drawn', (r) => r.index === 0 && r.spans.length === 3);
    assertDrew(after, withThird);
    await document.save();
  });

  it('draws its record again when the page is restored after being hidden', async () => {
    assert.equal(await vscode.commands.executeCommand(AnnotationViewCommands.goToRecord, 2), true);
    const before = await rendered(uri, 'record 2', (r) => r.index === 1);
    // A text editor on the same file in the same group hides the view's page (it is not retained).
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Active, preview: false });
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
    const restored = await rendered(uri, 'the restored page to draw record 2', (r) => r.pageId !== before.pageId);
    assert.equal(restored.index, 1, 'the restored page shows the record it showed before');
    assertDrew(restored, R2);
    assert.deepEqual((await snapshot(uri))?.cspViolations, []);
  });

  it('says an empty document has no records, and shows the first one once it is typed', async () => {
    await vscode.commands.executeCommand('vscode.openWith', emptyUri, VIEW_TYPE);
    const empty = await rendered(emptyUri, 'the empty state', (r) => r.kind === 'empty');
    assert.equal(empty.header, 'Record 0 / 0');
    assert.equal(empty.text, null);
    assert.ok(empty.status.length > 0, 'it says why nothing is shown');

    const edit = new vscode.WorkspaceEdit();
    edit.insert(emptyUri, new vscode.Position(0, 0), JSON.stringify(R1) + '\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const report = await rendered(emptyUri, 'the typed record', (r) => r.kind === 'record');
    assertDrew(report, R1);
    assert.equal(report.header, 'Record 1 / 1');
    await (await vscode.workspace.openTextDocument(emptyUri)).save();
  });

  it('shows the first record of the sample workspace dataset', async function () {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const sample = folder && vscode.Uri.joinPath(folder.uri, 'due_diligence.jsonl');
    if (!sample || !fs.existsSync(sample.fsPath)) this.skip();
    const first = fs
      .readFileSync(sample.fsPath, 'utf8')
      .split('\n')
      .find((l) => l.trim() !== '');
    assert.ok(first);
    const expected = JSON.parse(first) as DatasetRecord;
    const length = cp(expected.text).length;
    // The view draws the labels whose offsets can be placed (the server reports the others).
    const placeable = (expected.labels ?? []).filter(
      (l) => Number.isInteger(l.start) && Number.isInteger(l.end) && l.start >= 0 && l.start < l.end && l.end <= length,
    );
    await vscode.commands.executeCommand('vscode.openWith', sample, VIEW_TYPE);
    const report = await rendered(sample, 'the sample record 1', (r) => r.kind === 'record' && r.index === 0);
    assert.equal(report.text, expected.text);
    assert.equal(report.spans.length, placeable.length);
    for (const s of report.spans) assert.equal(s.text, cp(expected.text).slice(s.start, s.end).join(''));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
