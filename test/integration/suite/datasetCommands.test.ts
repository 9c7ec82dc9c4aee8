import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetRecord } from '../../../src/common/dataset';
import type { AgreementReport, DatasetStats, SplitSummary } from '../../../src/common/datasetReports';
import type { DatasetCommandOutcome } from '../../../src/extension/datasetCommands';
import { finlabelApi, workspaceFile } from './helpers';

const lines = (text: string): string[] => text.split(/\r?\n/).filter((l) => l.trim() !== '');
const labelsOf = (line: string): { entity: string }[] => (JSON.parse(line) as DatasetRecord).labels ?? [];
const countEntity = (all: readonly string[], entity: string): number => all.reduce((n, l) => n + labelsOf(l).filter((x) => x.entity === entity).length, 0);

function assertShown<T>(outcome: DatasetCommandOutcome<T> | undefined): asserts outcome is Extract<DatasetCommandOutcome<T>, { ok: true }> {
  assert.ok(outcome, 'the command ran to the end');
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
  assert.equal(outcome.shown.languageId, 'markdown');
  assert.equal(outcome.shown.uri.scheme, 'untitled');
  assert.ok(
    vscode.window.visibleTextEditors.some((e) => e.document === outcome.shown),
    'the report is shown in an editor',
  );
  assert.equal(outcome.shown.getText(), outcome.markdown);
}

describe('Dataset commands: statistics, split, agreement', function () {
  this.timeout(60_000);
  // Copies of the sample dataset in a folder of the workspace; the originals stay as they are.
  const folder = workspaceFile('dataset-commands').fsPath;
  const sample = fs.readFileSync(workspaceFile('due_diligence.jsonl').fsPath, 'utf8');
  const sampleLines = lines(sample);
  const copy = (name: string, content = sample): vscode.Uri => {
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, name);
    fs.writeFileSync(file, content);
    return vscode.Uri.file(file);
  };

  before(async () => {
    await finlabelApi();
  });

  it('Dataset Statistics shows the figures of the open document, unsaved edits included', async () => {
    const uri = copy('stats.jsonl');
    const editor = await vscode.window.showTextDocument(uri);
    const added = JSON.stringify({ id: 'unsaved', text: '𠀋借款金额500万元', labels: [{ entity: '借款金额', value: '500万元', start: 5, end: 10 }] });
    await editor.edit((e) => e.insert(editor.document.lineAt(editor.document.lineCount - 1).range.end, `${sample.endsWith('\n') ? '' : '\n'}${added}\n`));
    assert.ok(editor.document.isDirty);

    const outcome = await vscode.commands.executeCommand<DatasetCommandOutcome<DatasetStats>>('finlabel.datasetStatistics', uri);
    assertShown(outcome);
    const records = sampleLines.length + 1;
    assert.equal(outcome.result.records, records);
    const loan = countEntity(sampleLines, '借款金额') + 1;
    const text = outcome.shown.getText();
    assert.match(text, new RegExp(`Records: \\*\\*${records}\\*\\*`));
    assert.match(text, new RegExp(`\\| 借款金额 +\\| LOAN_AMOUNT +\\| +${loan} \\|`));
    for (const [name, tag] of [
      ['担保方式', 'GUARANTEE_TYPE'],
      ['还款期限', 'REPAY_PERIOD'],
    ]) {
      assert.match(text, new RegExp(`\\| ${name} +\\| ${tag} +\\| +${countEntity(sampleLines, name)} \\|`));
    }
    assert.match(text, /## Span length histogram/);

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.ok(!editor.document.isDirty);
  });

  it('Split Dataset writes train/dev/test files made of the input lines and shows the summary', async () => {
    const uri = copy('split.jsonl');
    const outDir = path.join(folder, 'split');
    const outcome = await vscode.commands.executeCommand<DatasetCommandOutcome<SplitSummary>>('finlabel.splitDataset', uri, {
      ratios: [0.8, 0.1, 0.1],
      seed: 42,
      outDir,
    });
    assertShown(outcome);
    const written = ['train', 'dev', 'test'].map((name) => lines(fs.readFileSync(path.join(outDir, `${name}.jsonl`), 'utf8')));
    assert.deepEqual(written.flat().sort(), [...sampleLines].sort(), 'every input line is in exactly one split, byte for byte');
    assert.deepEqual(
      outcome.result.parts.map((p) => p.records),
      written.map((w) => w.length),
    );
    for (const [i, ratio] of [0.8, 0.1, 0.1].entries()) {
      for (const entity of ['借款金额', '担保方式', '还款期限']) {
        const share = countEntity(written[i], entity) / countEntity(sampleLines, entity);
        assert.ok(Math.abs(share - ratio) < 0.03, `${entity}: ${share} of its labels in split ${i}, ratio ${ratio}`);
      }
    }
    const text = outcome.shown.getText();
    for (const [i, name] of ['train', 'dev', 'test'].entries()) {
      assert.match(
        text,
        new RegExp(`\\| ${name} +\\| ${path.join(outDir, `${name}.jsonl`).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +\\| +[\\d.]+ \\| +${written[i].length} \\(`),
      );
    }

    // Again without force: refused, nothing overwritten; bad ratios: refused with the reason.
    const before = fs.readFileSync(path.join(outDir, 'train.jsonl'), 'utf8');
    const refused = await vscode.commands.executeCommand<DatasetCommandOutcome<SplitSummary>>('finlabel.splitDataset', uri, {
      ratios: '0.5,0.5',
      seed: 1,
      outDir,
      force: false,
    });
    assert.ok(refused && !refused.ok);
    assert.match(refused.message, /train\.jsonl, .*test\.jsonl already exist and would be overwritten/);
    assert.equal(fs.readFileSync(path.join(outDir, 'train.jsonl'), 'utf8'), before);
    const badRatios = await vscode.commands.executeCommand<DatasetCommandOutcome<SplitSummary>>('finlabel.splitDataset', uri, {
      ratios: '0.8,0.3',
      seed: 1,
      outDir,
    });
    assert.ok(badRatios && !badRatios.ok);
    assert.match(badRatios.message, /the ratios must sum to 1/);
  });

  it('Annotator Agreement compares two files: the type B dropped has recall 0, the others agree fully', async () => {
    const a = copy('annotator-a.jsonl');
    const withoutGuarantee = sampleLines.map((l) => {
      const r = JSON.parse(l) as DatasetRecord;
      return JSON.stringify({ ...r, labels: (r.labels ?? []).filter((x) => x.entity !== '担保方式') });
    });
    const b = copy('annotator-b.jsonl', [...withoutGuarantee, JSON.stringify({ id: 'only-in-b', text: '只在B' })].join('\n') + '\n');
    const outcome = await vscode.commands.executeCommand<DatasetCommandOutcome<AgreementReport>>('finlabel.annotatorAgreement', a, { other: b });
    assertShown(outcome);
    assert.equal(outcome.result.matchedRecords, sampleLines.length);
    assert.deepEqual(outcome.result.onlyInB, [{ line: sampleLines.length + 1, id: 'only-in-b' }]);
    const text = outcome.shown.getText();
    const loan = countEntity(sampleLines, '借款金额');
    const guarantee = countEntity(sampleLines, '担保方式');
    assert.match(
      text,
      new RegExp(`\\| 借款金额 +\\| LOAN_AMOUNT +\\| +${loan} \\| +${loan} \\| +${loan} \\| +1\\.000 \\| +1\\.000 \\| +1\\.000 \\| +1\\.000 \\|`),
    );
    assert.match(text, new RegExp(`\\| 担保方式 +\\| GUARANTEE_TYPE +\\| +${guarantee} \\| +0 \\| +0 \\| +— \\| +0\\.000 \\| +0\\.000 \\| +0\\.000 \\|`));

    // The explorer's two-file selection gives the same comparison.
    const fromExplorer = await vscode.commands.executeCommand<DatasetCommandOutcome<AgreementReport>>('finlabel.annotatorAgreement', a, [a, b]);
    assertShown(fromExplorer);
    assert.deepEqual(fromExplorer.result.types, outcome.result.types);
  });

  it('Annotator Agreement compares two annotators of one file', async () => {
    // alice has every label; bob every label but the 还款期限 ones.
    const team = sampleLines.map((l) => {
      const r = JSON.parse(l) as DatasetRecord;
      const labels = r.labels ?? [];
      return JSON.stringify({
        ...r,
        labels: [
          ...labels.map((x) => ({ ...x, annotator: 'alice' })),
          ...labels.filter((x) => x.entity !== '还款期限').map((x) => ({ ...x, annotator: 'bob' })),
        ],
      });
    });
    const uri = copy('team.jsonl', team.join('\n') + '\n');
    const outcome = await vscode.commands.executeCommand<DatasetCommandOutcome<AgreementReport>>('finlabel.annotatorAgreement', uri, {
      annotators: ['alice', 'bob'],
    });
    assertShown(outcome);
    const repay = outcome.result.types.find((t) => t.tag === 'REPAY_PERIOD');
    assert.deepEqual([repay?.spansA, repay?.spansB, repay?.recall], [countEntity(sampleLines, '还款期限'), 0, 0]);
    assert.match(outcome.shown.getText(), /annotator \*\*alice\*\*[\s\S]*annotator \*\*bob\*\*/);

    const typo = await vscode.commands.executeCommand<DatasetCommandOutcome<AgreementReport>>('finlabel.annotatorAgreement', uri, {
      annotators: ['alice', 'bobby'],
    });
    assertShown(typo);
    assert.match(typo.shown.getText(), /## Problems[\s\S]*no label has "annotator": "bobby" \(annotators in the file: alice, bob\)/);
  });
});
