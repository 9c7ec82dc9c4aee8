import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetRecord } from '../../../src/common/dataset';
import { AnnotationViewCommands } from '../../../src/extension/annotationView/commands';
import { AnnotationViewTestCommands } from '../testApi';
import type { DrawnSuggestion } from '../../../src/extension/modelLoop/suggestionDecorations';
import { rendered, VIEW_TYPE } from './annotationViewHelpers';
import { cp, finlabelApi, hoverText, waitFor } from './helpers';

const STRING = '最高额抵押';
/** Record 1 labels the string; records 3 and 4 hold it unlabelled (record 3 after an emoji, 𠀋 and \r\n). */
const TEXTS = [
  '字符串匹配一：借款金额人民币捌拾万元，担保方式为最高额抵押。',
  '字符串匹配二：本笔借款期限十二个月。',
  '😀字符串𠀋匹配三\r\n借款人以最高额抵押方式担保。',
  '字符串匹配四：最高额抵押合同另行签订。',
];

function codePointSpan(text: string, part: string): { start: number; end: number } {
  const start = cp(text.slice(0, text.indexOf(part))).length;
  return { start, end: start + cp(part).length };
}

describe('Suggestions: string matching (a string labelled in one record is suggested where it occurs unlabelled)', function () {
  this.timeout(120_000);
  let dir: string;
  let uri: vscode.Uri;

  before(async () => {
    await finlabelApi();
    const records: DatasetRecord[] = TEXTS.map((text, i) => ({ id: `s${i + 1}`, text, labels: [] }));
    records[0].labels = [{ entity: '担保方式', value: STRING, ...codePointSpan(TEXTS[0], STRING) }];
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finlabel-string-match-'));
    uri = vscode.Uri.file(path.join(dir, 'string-match.jsonl'));
    fs.writeFileSync(uri.fsPath, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('finlabel').update('suggestions.stringMatching', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('finlabel').update('suggestions.stringMatchMinConfidence', undefined, vscode.ConfigurationTarget.Workspace);
    for (const doc of vscode.workspace.textDocuments) if (doc.isDirty && doc.uri.fsPath === uri.fsPath) await doc.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await new Promise((r) => setTimeout(r, 500));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const labelsOf = (document: vscode.TextDocument, line: number): NonNullable<DatasetRecord['labels']> =>
    (JSON.parse(document.lineAt(line).text) as DatasetRecord).labels ?? [];

  it('shows the suggestion in records 3 and 4 without pre-annotating; accepting it writes the label; the hover names the source and its precision in the workspace', async () => {
    const api = await finlabelApi();
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const before = document.getText();
    const onLine = (line: number): DrawnSuggestion[] => api.suggestionsDrawn(uri).filter((d) => d.range.start.line === line);
    const drawn = await waitFor(
      'the string-match suggestions of records 3 and 4',
      () => (onLine(2).length === 1 && onLine(3).length === 1 ? api.suggestionsDrawn(uri) : undefined),
      30_000,
    );
    assert.equal(drawn.length, 2, 'none in record 1 (its own label) nor record 2 (no such string)');
    const target = onLine(2)[0];
    assert.deepEqual(
      {
        source: target.source,
        tag: target.tag,
        entity: target.entity,
        value: target.value,
        start: target.start,
        end: target.end,
        confidence: target.confidence,
      },
      { source: 'stringMatch', tag: 'GUARANTEE_TYPE', entity: '担保方式', value: STRING, ...codePointSpan(TEXTS[2], STRING), confidence: 1 / 3 },
      'labelled once, occurring three times; code points after 😀, 𠀋 and \\r\\n',
    );
    assert.equal(JSON.parse(`"${document.getText(target.range)}"`), STRING, 'the outline sits on the string in the line');
    assert.equal(document.getText(), before, 'suggesting wrote nothing');

    // The hover names the source and its precision, counted from this workspace's accepts and rejects.
    const counts = api.suggestionSourceStats().stringMatch;
    const precision = (accepted: number, decided: number): string =>
      decided === 0
        ? 'string match · none accepted or rejected in this workspace yet'
        : `string match · ${accepted} of ${decided} accepted in this workspace (${Math.round((100 * accepted) / decided)}%)`;
    const hover = async (d: DrawnSuggestion): Promise<string> =>
      hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, d.range.start));
    let text = await hover(target);
    assert.ok(text.includes(precision(counts.accepted, counts.accepted + counts.rejected)), text);
    assert.match(text, /Suggestion: 担保方式/);
    assert.match(text, /labelled 担保方式 1 of the 3 times it occurs in this dataset/);

    // Accept it as VS Code does: the action's edit, then its command (which counts the accept).
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      new vscode.Range(target.range.start, target.range.start),
    );
    const accept = actions.find((a) => a.title === `Accept suggestion: 担保方式 ${JSON.stringify(STRING)}`);
    assert.ok(accept?.edit && accept.command, `an Accept action with an edit and a command: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(accept.edit));
    await vscode.commands.executeCommand(accept.command.command, ...(accept.command.arguments ?? []));
    assert.deepEqual(
      labelsOf(document, 2),
      [{ entity: '担保方式', value: STRING, ...codePointSpan(TEXTS[2], STRING) }],
      'exactly that label, code-point offsets',
    );
    assert.deepEqual(
      api.suggestionSourceStats().stringMatch,
      { accepted: counts.accepted + 1, rejected: counts.rejected },
      'the accept counts for string matching',
    );

    // Record 3's suggestion is now a label; record 4's stays, more confident (2 of 3), and its hover says the new precision.
    const other = await waitFor("record 4's suggestion at 2 of 3", () => {
      const all = api.suggestionsDrawn(uri);
      return all.length === 1 && all[0].range.start.line === 3 && Math.abs((all[0].confidence ?? 0) - 2 / 3) < 1e-9 ? all[0] : undefined;
    });
    text = await waitFor('the hover to count the accept', async () => {
      const t = await hover(other);
      return t.includes(precision(counts.accepted + 1, counts.accepted + counts.rejected + 1)) ? t : undefined;
    });
    assert.match(text, /labelled 担保方式 2 of the 3 times/);
  });

  it('the annotation view shows the suggestion with its source, and Enter accepts it (counted for string matching)', async () => {
    const api = await finlabelApi();
    const document = await vscode.workspace.openTextDocument(uri);
    const counts = api.suggestionSourceStats().stringMatch;
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
    await rendered(uri, 'a record', (r) => r.kind === 'record');
    await vscode.commands.executeCommand(AnnotationViewCommands.goToRecord, 4, uri);
    const shown = await rendered(uri, 'record s4 with its suggestion', (r) => r.id === 's4' && r.suggestions.length === 1);
    assert.deepEqual(
      shown.suggestions.map((s) => [s.source, s.tag, s.start, s.end, s.text]),
      [['stringMatch', 'GUARANTEE_TYPE', ...Object.values(codePointSpan(TEXTS[3], STRING)), STRING]],
    );
    assert.equal(shown.suggestionBar?.source, 'string match', 'the bar names the source');
    await vscode.commands.executeCommand(AnnotationViewTestCommands.pressKey, 'Enter', uri);
    await rendered(uri, 'the accepted suggestion as a label', (r) => r.id === 's4' && r.spans.length === 1 && r.suggestions.length === 0);
    assert.deepEqual(labelsOf(document, 3), [{ entity: '担保方式', value: STRING, ...codePointSpan(TEXTS[3], STRING) }]);
    await waitFor('the accept to be counted', () => api.suggestionSourceStats().stringMatch.accepted === counts.accepted + 1);
  });

  it('finlabel.suggestions.stringMatching off: no string-match suggestions; on again: they are back', async () => {
    const api = await finlabelApi();
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    // A new unlabelled occurrence, so there is something to suggest.
    const edit = new vscode.WorkspaceEdit();
    const line = JSON.stringify({ id: 's5', text: `字符串匹配五：${STRING}。`, labels: [] });
    edit.insert(uri, new vscode.Position(document.lineCount - 1, 0), line + '\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const row = document.lineCount - 2;
    await waitFor("the new record's suggestion", () => api.suggestionsDrawn(uri).some((d) => d.range.start.line === row && d.source === 'stringMatch'));
    await vscode.workspace.getConfiguration('finlabel').update('suggestions.stringMatching', false, vscode.ConfigurationTarget.Workspace);
    await waitFor('no string-match suggestion with the setting off', () => api.suggestionsDrawn(uri).length === 0 && document.lineAt(row).text === line);
    await vscode.workspace.getConfiguration('finlabel').update('suggestions.stringMatching', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('the suggestion back with the setting on', () =>
      api.suggestionsDrawn(uri).some((d) => d.range.start.line === row && d.source === 'stringMatch'),
    );
  });

  it('finlabel.suggestions.stringMatchMinConfidence hides string matches below it, and the default shows them again', async () => {
    const api = await finlabelApi();
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const matches = (): DrawnSuggestion[] => api.suggestionsDrawn(uri).filter((d) => d.source === 'stringMatch');
    const shown = await waitFor('string matches at the default minimum (0.2)', () => (matches().length > 0 ? matches() : undefined));
    const highest = Math.max(...shown.map((d) => d.confidence ?? 0));
    assert.ok(highest < 0.9, `the string is labelled once and occurs several times: confidence ${highest}`);
    await vscode.workspace.getConfiguration('finlabel').update('suggestions.stringMatchMinConfidence', 0.9, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('no string match below 0.9', () => matches().length === 0);
    } finally {
      await vscode.workspace.getConfiguration('finlabel').update('suggestions.stringMatchMinConfidence', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('the string matches back at the default', () => matches().length === shown.length);
  });
});
