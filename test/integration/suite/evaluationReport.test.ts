import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { CreditEvaluationReport, EntityEvaluationReport } from '../../../src/common/evaluationReport';
import type { EvaluateModelOutcome } from '../../../src/extension/evaluation/evaluateModelCommand';
import { ReportViewTestCommands, type EvaluationReportSnapshot } from '../testApi';
import { trainTinyCreditModel } from '../../creditModelFixture';
import { runFinlabel } from '../../support/cliRun';
import { ruleCsv, syntheticClauses } from '../../unit/syntheticTrainingData';
import { finlabelApi, waitFor, workspaceFile } from './helpers';

const REPO = resolve(__dirname, '..', '..', '..', '..');

async function rendered(): Promise<EvaluationReportSnapshot> {
  const snapshot = await vscode.commands.executeCommand<EvaluationReportSnapshot | undefined>(ReportViewTestCommands.evaluationReport, true);
  assert.ok(snapshot?.rendered, 'the report view drew the report');
  return snapshot;
}

describe('Evaluation report view', function () {
  this.timeout(300_000);
  let scratch: string;
  let savedThreads: string | undefined;

  before(async () => {
    await finlabelApi();
    scratch = mkdtempSync(join(tmpdir(), 'finlabel-evaluation-'));
    savedThreads = process.env.OMP_NUM_THREADS;
    // The CLI's worker inherits it: one torch thread is faster on a small shared machine.
    process.env.OMP_NUM_THREADS = '1';
  });
  after(async () => {
    if (savedThreads === undefined) delete process.env.OMP_NUM_THREADS;
    else process.env.OMP_NUM_THREADS = savedThreads;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('a folder that is not a model gets a message naming the file, and no report', async () => {
    const outcome = await vscode.commands.executeCommand<EvaluateModelOutcome>('finlabel.evaluateModel', scratch, workspaceFile('credit.csv'));
    assert.ok(outcome && !outcome.ok);
    assert.match(outcome.message, /card\.json: not found; a FinLabel model folder has the card\.json its training wrote/);
    assert.equal(await vscode.commands.executeCommand(ReportViewTestCommands.evaluationReport), undefined);
  });

  describe('an entity model', () => {
    let modelDir: string;
    let heldOut: vscode.Uri;
    let cli: EntityEvaluationReport;

    before(async () => {
      // In the workspace: the report view evaluates only data inside the workspace folders.
      const train = workspaceFile('evaluation-train.jsonl').fsPath;
      writeFileSync(train, syntheticClauses(3, 300));
      modelDir = join(scratch, 'ner-model');
      const trained = await runFinlabel(['train', 'ner', train, '--tiny', '--epochs', '3', '--out', modelDir]);
      assert.equal(trained.code, 0, trained.stderr);
      // Held-out clauses, and a record whose gold span no model of this task finds: a sure miss,
      // after an emoji and an escaped \r\n, so the link must select by code points.
      const text = '😀说明\r\n本条𠀋不适用';
      const sure = JSON.stringify({ id: 'sure-miss', text, labels: [{ entity: '担保方式', value: '不适用', start: 8, end: 11 }] });
      heldOut = workspaceFile('evaluation-held-out.jsonl');
      writeFileSync(heldOut.fsPath, `${sure}\n${syntheticClauses(11, 40)}`);
      const r = await runFinlabel(['eval', modelDir, heldOut.fsPath, '--json']);
      assert.equal(r.code, 0, r.stderr);
      cli = JSON.parse(r.stdout) as EntityEvaluationReport;
    });

    it('opens with the same micro F1 as `finlabel eval --json`, with its tables and charts and nothing blocked', async () => {
      const outcome = await vscode.commands.executeCommand<EvaluateModelOutcome>('finlabel.evaluateModel', modelDir, heldOut);
      assert.ok(outcome?.ok, outcome && !outcome.ok ? outcome.message : 'cancelled');
      const report = outcome.report as EntityEvaluationReport;
      assert.equal(report.micro.f1, cli.micro.f1);
      const snapshot = await rendered();
      assert.equal(snapshot.rendered!.figures['micro-f1'], cli.micro.f1!.toFixed(3));
      assert.equal(snapshot.rendered!.figures['macro-f1'], cli.macro.f1!.toFixed(3));
      assert.equal(snapshot.rendered!.figures['errors-total'], String(cli.errorsTotal));
      assert.equal(snapshot.rendered!.errorLinks, cli.errors.length);
      assert.equal(snapshot.rendered!.charts, 2, 'the training loss and dev F1 charts');
      assert.deepEqual(snapshot.cspViolations, []);
      assert.deepEqual(snapshot.rendered!.notATest, [], 'held-out data: no warning');
    });

    it('clicking a miss opens the dataset at the record with the span selected', async () => {
      const index = cli.errors.findIndex((e) => e.kind === 'miss' && e.text === '不适用');
      assert.ok(index >= 0, 'the sure miss is listed');
      assert.equal(await vscode.commands.executeCommand(ReportViewTestCommands.clickError, index), true);
      const editor = await waitFor('the dataset editor with the span selected', () => {
        const e = vscode.window.activeTextEditor;
        return e && e.document.uri.toString() === heldOut.toString() && !e.selection.isEmpty ? e : undefined;
      });
      assert.equal(editor.selection.start.line, cli.errors[index].line);
      assert.equal(editor.document.getText(editor.selection), '不适用');
    });

    it('Save as HTML writes a standalone page with the same figures and no script', async () => {
      const target = join(scratch, 'entity-report.html');
      assert.equal(await vscode.commands.executeCommand(ReportViewTestCommands.saveHtml, target), true, 'Save as HTML wrote the file');
      const html = readFileSync(target, 'utf8');
      assert.match(html, new RegExp(`data-figure="micro-f1">${cli.micro.f1!.toFixed(3)}<`));
      assert.match(html, /<style>/);
      assert.doesNotMatch(html, /<script/i);
    });

    it('on the data the model was trained on, the report says first that it is not a test', async () => {
      const outcome = await vscode.commands.executeCommand<EvaluateModelOutcome>('finlabel.evaluateModel', modelDir, workspaceFile('evaluation-train.jsonl'));
      assert.ok(outcome?.ok, outcome && !outcome.ok ? outcome.message : 'cancelled');
      const snapshot = await rendered();
      assert.equal(snapshot.rendered!.notATest.length, 1);
      assert.match(snapshot.rendered!.notATest[0], /^Not a test: this is the data the model was trained on/);
    });
  });

  describe('a credit model', () => {
    let modelDir: string;

    before(async () => {
      modelDir = (await trainTinyCreditModel(REPO, join(scratch, 'credit-model'), { epochs: 1 })).dir;
    });

    it('on samples/credit.csv shows ROC-AUC, KS and the logistic-regression baseline next to the LLM', async () => {
      const outcome = await vscode.commands.executeCommand<EvaluateModelOutcome>('finlabel.evaluateModel', modelDir, workspaceFile('credit.csv'));
      assert.ok(outcome?.ok, outcome && !outcome.ok ? outcome.message : 'cancelled');
      const report = outcome.report as CreditEvaluationReport;
      assert.equal(report.data.rows, 'dev-split', "the copy of samples/credit.csv is the model's training file, byte for byte");
      assert.ok(report.baseline.ok, 'the baseline was trained');
      const figures = (await rendered()).rendered!.figures;
      assert.equal(figures['llm-auc'], report.llm.auc!.toFixed(3));
      assert.equal(figures['llm-ks'], report.llm.ks!.toFixed(3));
      assert.equal(figures['llm-gini'], report.llm.gini!.toFixed(3));
      assert.equal(figures['baseline-auc'], report.baseline.figures.auc!.toFixed(3));
      assert.match(figures['baseline-auc'], /^0\.\d{3}$/);
      assert.equal(figures.verdict, report.verdict);
      assert.match(figures.verdict, /^The LLM (beats|does NOT beat) the logistic-regression baseline/);
      assert.equal(figures.rows, String(report.data.evaluated));

      const target = join(scratch, 'credit-report.html');
      assert.equal(await vscode.commands.executeCommand(ReportViewTestCommands.saveHtml, target), true, 'Save as HTML wrote the file');
      const html = readFileSync(target, 'utf8');
      assert.match(html, new RegExp(`data-figure="llm-ks">${report.llm.ks!.toFixed(3)}<`));
      assert.match(html, new RegExp(`data-figure="baseline-auc">${report.baseline.figures.auc!.toFixed(3)}<`));
      assert.match(html, /aria-label="ROC curve"/);
    });
    it('on a file drawn unlike the training data: LLM, GBDT and logistic regression side by side with intervals and paired tests, and the population-shift warning naming the fields', async () => {
      writeFileSync(workspaceFile('credit-shifted.csv').fsPath, ruleCsv(120, 5));
      const outcome = await vscode.commands.executeCommand<EvaluateModelOutcome>('finlabel.evaluateModel', modelDir, workspaceFile('credit-shifted.csv'));
      assert.ok(outcome?.ok, outcome && !outcome.ok ? outcome.message : 'cancelled');
      const report = outcome.report as CreditEvaluationReport;
      assert.ok(report.gbdt.ok && report.baseline.ok, 'both baselines were trained');
      const figures = (await rendered()).rendered!.figures;
      assert.equal(figures['llm-auc'], report.llm.auc!.toFixed(3));
      assert.equal(figures['gbdt-auc'], report.gbdt.figures.auc!.toFixed(3));
      assert.equal(figures['baseline-auc'], report.baseline.figures.auc!.toFixed(3));
      for (const model of ['llm', 'gbdt', 'baseline']) {
        assert.match(figures[`${model}-auc-ci`], /^\[0\.\d{3}, (0|1)\.\d{3}\]$/, `${model} AUC interval`);
        assert.match(figures[`${model}-ks-ci`], /^\[0\.\d{3}, (0|1)\.\d{3}\]$/, `${model} KS interval`);
      }
      assert.equal(figures['gbdt-auc-ci'], `[${report.gbdt.intervals!.auc.low.toFixed(3)}, ${report.gbdt.intervals!.auc.high.toFixed(3)}]`);
      assert.match(
        figures['comparison-gbdt'],
        /(No real difference between the LLM and the GBDT|The LLM ranks (better|worse) than the GBDT): AUC difference [+-]\d\.\d{3} \(95% CI .*DeLong p/,
      );
      assert.match(figures['comparison-baseline'], /the logistic regression/);
      assert.match(figures['stability-warning'], /^Population shift: PSI above 0\.25 against the training split for .*纳税额\(万元\) \(\d+\.\d\d\)/);
      assert.equal(figures['stability-warning'], report.stability!.warning);
    });
  });
});
