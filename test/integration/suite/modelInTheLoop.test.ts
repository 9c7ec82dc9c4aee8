import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetRecord } from '../../../src/common/dataset';
import { AnnotationViewCommands } from '../../../src/extension/annotationView/commands';
import type { UncertainTarget } from '../../../src/extension/modelLoop/uncertainRecordCommand';
import { EntityPredictor } from '../../../src/server/inference/entityPredictor';
import { disagreements } from '../../../src/server/predictions/disagreements';
import { rendered, VIEW_TYPE } from './annotationViewHelpers';
import { finlabelApi, waitFor } from './helpers';

/** Texts the shipped model finds entities in, with non-BMP characters and \r\n among them. */
const TEXTS = [
  '借款金额500万元,担保方式为抵押,还款期限3年',
  '😀甲方𠀋记商贸有限公司\r\n申请流动资金贷款，金额约为三百万左右，期限待定。',
  '本合同项下的保证方式为连带责任保证，保证期间为主债务履行期届满之日起两年。',
  '天气很好，我们去公园散步吧。',
  '借款人向贷款人申请借款人民币伍佰万元整，借款期限为36个月，担保方式为抵押加连带责任保证。',
  '利率按LPR加50个基点执行，按季结息，到期一次还本。',
  '贷款金额为人民币壹仟万元，期限十二个月，以房产抵押担保。',
];

describe('Model in the loop: uncertainty and the model\'s filters (shipped default model)', function () {
  this.timeout(180_000);
  let reference: EntityPredictor;
  let dir: string;
  let uri: vscode.Uri;
  let lines: string[];
  /** Unlabelled records' lines, most uncertain first (computed here with the same model). */
  let uncertainOrder: number[];
  /** Labelled records whose labels differ from the model's predictions. */
  let disagreeing: number[];

  before(async () => {
    const api = await finlabelApi();
    await vscode.workspace.getConfiguration('finlabel').update('entityModel.path', undefined, vscode.ConfigurationTarget.Workspace);
    const shipped = path.join(vscode.extensions.getExtension('finlabel.finlabel')!.extensionPath, 'models', 'default-entities');
    await waitFor('the shipped model to be active', () => api.predictionModel().state === 'ready' && path.resolve(api.predictionModel().dir ?? '') === path.resolve(shipped), 60_000);
    reference = await EntityPredictor.load(shipped, { threads: 1 });

    const predicted = await Promise.all(TEXTS.map(async (text) => ({ text, ...(await reference.predict(text)) })));
    // The text the model is least sure of is a labelled record: the command must skip it.
    const leastSure = [...predicted].sort((a, b) => a.minMargin! - b.minMargin!)[0];
    const agree = predicted.find((p) => p !== leastSure && p.spans.length >= 2)!;
    const records: DatasetRecord[] = [
      { id: 'wrong', text: leastSure.text, labels: [{ entity: '借款金额', value: Array.from(leastSure.text).slice(0, 2).join(''), start: 0, end: 2 }] },
      ...predicted.filter((p) => p !== leastSure && p !== agree).map((p, i) => ({ id: `u${i}`, text: p.text, labels: [] })),
      { id: 'agree', text: agree.text, labels: agree.spans.map((s) => ({ entity: s.entity, value: s.value, start: s.start, end: s.end })) },
    ];
    lines = records.map((r) => JSON.stringify(r));
    uncertainOrder = records
      .map((r, line) => ({ r, line }))
      .filter(({ r }) => r.labels!.length === 0)
      .map(({ r, line }) => ({ line, margin: predicted.find((p) => p.text === r.text)!.minMargin! }))
      .sort((a, b) => a.margin - b.margin || a.line - b.line)
      .map((e) => e.line);
    disagreeing = records.flatMap((r, line) => {
      if (r.labels!.length === 0) return [];
      const spans = predicted.find((p) => p.text === r.text)!.spans;
      const gold = r.labels!.map((l) => ({ tag: reference.model.scheme.types.find((t) => t.name === l.entity)!.tag, entity: l.entity, start: l.start, end: l.end, value: l.value }));
      return disagreements(gold, spans).length > 0 ? [line] : [];
    });
    assert.deepEqual(disagreeing, [0], 'the wrong label disagrees, the copied predictions agree');

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finlabel-model-loop-'));
    uri = vscode.Uri.file(path.join(dir, 'loop.jsonl'));
    fs.writeFileSync(uri.fsPath, lines.join('\n') + '\n');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('finlabel').update('predictions.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    await reference?.release();
    await new Promise((r) => setTimeout(r, 500));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('"Go to Next Most Uncertain Record" selects the unlabelled record with the lowest token margin, then the next one', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const first = await vscode.commands.executeCommand<UncertainTarget | undefined>('finlabel.goToNextUncertainRecord');
    assert.equal(first?.kind, 'record');
    assert.notEqual(uncertainOrder[0], 0);
    assert.equal(editor.selection.start.line, uncertainOrder[0], 'the most uncertain unlabelled record (the labelled least-sure one is skipped)');
    assert.equal(editor.selection.end.line, uncertainOrder[0]);
    assert.equal(editor.document.getText(editor.selection), lines[uncertainOrder[0]], 'the whole record line is selected');

    await vscode.commands.executeCommand('finlabel.goToNextUncertainRecord');
    assert.equal(editor.selection.start.line, uncertainOrder[1], 'then the second most uncertain');
  });

  it('in the annotation view, "Disagrees with the model" steps to the records whose labels differ from the predictions', async () => {
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
    await rendered(uri, 'the first record', (r) => r.kind === 'record');
    // Start on the agreeing record (the last one): the filter must move off it.
    await vscode.commands.executeCommand(AnnotationViewCommands.lastRecord, uri);
    await rendered(uri, 'the last record', (r) => r.index === lines.length - 1);
    assert.equal(await vscode.commands.executeCommand(AnnotationViewCommands.setFilter, 'disagrees', uri), true);
    const shown = await rendered(uri, 'the disagreeing record', (r) => r.filter === 'disagrees' && r.filterNote !== '' && r.line === disagreeing[0]);
    assert.equal(shown.id, 'wrong');
    assert.match(shown.filterNote, /1 labelled record where .* differs from the labels/);
    assert.equal(shown.filterInfo, '1 match');
    assert.equal(shown.canNext, false);
    assert.equal(shown.canPrevious, false);
  });

  it('"Most uncertain first" starts at the most uncertain unlabelled record and Next follows the ranking; the command moves the focused view', async () => {
    assert.equal(await vscode.commands.executeCommand(AnnotationViewCommands.setFilter, 'uncertain', uri), true);
    let shown = await rendered(uri, 'the most uncertain record', (r) => r.filter === 'uncertain' && r.line === uncertainOrder[0]);
    assert.match(shown.filterNote, new RegExp(`^${uncertainOrder.length} unlabelled records, most uncertain first`));
    const visited = [shown.line];
    while (shown.canNext) {
      const from = shown.sequence;
      await vscode.commands.executeCommand(AnnotationViewCommands.nextRecord, uri);
      shown = await rendered(uri, 'the next record in the ranking', (r) => r.sequence > from && r.kind === 'record' && r.line !== visited[visited.length - 1]);
      visited.push(shown.line!);
    }
    assert.deepEqual(visited, uncertainOrder);

    // The command, with the view focused: from the least uncertain (last) it wraps to the most uncertain.
    await vscode.commands.executeCommand(AnnotationViewCommands.setFilter, 'all', uri);
    await rendered(uri, 'all records', (r) => r.filter === 'all');
    const target = await vscode.commands.executeCommand<UncertainTarget | undefined>('finlabel.goToNextUncertainRecord');
    assert.equal(target?.kind, 'record');
    await rendered(uri, 'the most uncertain record again', (r) => r.line === uncertainOrder[0]);
  });

  it('with no entity model active, the model\'s filters say so instead of showing nothing', async () => {
    const api = await finlabelApi();
    await vscode.workspace.getConfiguration('finlabel').update('predictions.enabled', false, vscode.ConfigurationTarget.Workspace);
    await waitFor('predictions to be off', () => api.predictionModel().state === 'off');
    await vscode.commands.executeCommand(AnnotationViewCommands.setFilter, 'disagrees', uri);
    const shown = await rendered(uri, 'the filter to say why it keeps nothing', (r) => r.filter === 'disagrees' && /No entity model is active/.test(r.filterNote));
    assert.match(shown.notice, /No records where the model disagrees/);
    await vscode.workspace.getConfiguration('finlabel').update('predictions.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('the model to be back', () => api.predictionModel().state === 'ready', 60_000);
  });
});
