// `finlabel eval` end to end: models trained in the test by the real Python worker (PyTorch on the
// CPU), predictions through the worker, figures compared with scoring the worker's own predictions.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CreditEvaluationReport, EntityEvaluationReport } from '../../src/common/evaluationReport';
import { LabelSchema } from '../../src/common/labelSchema';
import { EntityPredictor } from '../../src/server/inference/entityPredictor';
import { SpanTally } from '../../src/server/metrics/spanMetrics';
import { SCORE_REQUEST_ROWS } from '../../src/server/credit/creditProbabilities';
import { rocAuc } from '../../src/server/metrics/binaryMetrics';
import { WorkerJobs } from '../../src/server/worker/workerJobs';
import { WorkerSupervisor } from '../../src/server/worker/workerSupervisor';
import { repoPython, trainTinyCreditModel, type TrainedCreditModel } from '../creditModelFixture';
import { runFinlabel } from '../support/cliRun';
import { ruleCsv, syntheticClauses } from '../unit/syntheticTrainingData';
import { oneTorchThreadInThisSuite, workerPython } from './workerPython';

const repo = path.resolve(__dirname, '..', '..', '..');

function workerJobs(): { jobs: WorkerJobs; dispose: () => Promise<void> } {
  const supervisor = new WorkerSupervisor({
    workerDir: path.join(repo, 'src', 'server', 'worker', 'python'),
    locatePython: async () => ({ ok: true, python: repoPython(repo), source: 'setting' }),
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  const jobs = new WorkerJobs(supervisor);
  return {
    jobs,
    dispose: async () => {
      jobs.dispose();
      await supervisor.dispose();
    },
  };
}

describe('finlabel eval', function () {
  this.timeout(300_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'finlabel-eval-cli-'));
  oneTorchThreadInThisSuite();

  it('refuses bad arguments and folders that are not models, saying what is wrong (exit 2)', async () => {
    const data = path.join(dir, 'x.jsonl');
    writeFileSync(data, syntheticClauses(1, 5));
    const cases: [string[], RegExp][] = [
      [['eval', dir], /expected MODEL and DATA/],
      [['eval', dir, path.join(dir, 'missing.jsonl')], /cannot read .*missing\.jsonl: ENOENT/],
      [['eval', path.join(dir, 'nope'), data], /the model folder does not exist/],
      [['eval', dir, data], /card\.json: not found/],
      [['eval', dir, data, '--threshold', '2'], /--threshold must be a number from 0 to 1/],
    ];
    for (const [args, message] of cases) {
      const r = await runFinlabel(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message, args.join(' '));
    }
  });

  describe('an entity model', () => {
    let model: string;
    const data = path.join(dir, 'clauses.jsonl');
    const heldOut = path.join(dir, 'held-out.jsonl');

    before(async function () {
      workerPython(repo);
      writeFileSync(data, syntheticClauses(3, 300));
      writeFileSync(heldOut, syntheticClauses(11, 60));
      model = path.join(dir, 'ner-model');
      const trained = await runFinlabel(['train', 'ner', data, '--tiny', '--epochs', '3', '--out', model]);
      assert.equal(trained.code, 0, trained.stderr);
      // Training calibrated the model on its own dev split, and said so.
      const out = JSON.parse(trained.stdout) as { calibration?: { threshold: number; method: string } };
      assert.ok(out.calibration, 'the output reports the calibration');
      assert.match(trained.stderr, new RegExp(`calibrated on \\d+ dev records .*confidence threshold ${out.calibration.threshold.toFixed(3)}`));
      const card = JSON.parse(readFileSync(path.join(model, 'card.json'), 'utf8')) as { calibration: { threshold: number } };
      assert.equal(card.calibration.threshold, out.calibration.threshold);
    });

    /** Strict micro/macro figures of the predictor's spans (calibrated, thresholded) on the held-out records, without the evaluation module. */
    async function scoreWithPredictor(minConfidence?: number): Promise<{ scores: ReturnType<SpanTally['evaluate']>; threshold: number; predicted: number }> {
      const records = readFileSync(heldOut, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { text: string; labels: { entity: string; start: number; end: number }[] });
      const schema = new LabelSchema();
      const predictor = await EntityPredictor.load(model, { precision: 'auto', threads: 1, minConfidence });
      try {
        const predicted = await predictor.predictMany(records.map((r) => r.text));
        const tally = new SpanTally();
        for (const t of schema.types) tally.type(t.name);
        records.forEach((r, i) =>
          tally.add(
            r.labels.map((l) => ({ type: schema.resolve(l.entity)!.name, start: l.start, end: l.end })),
            predicted[i].spans.map((s) => ({ type: s.entity, start: s.start, end: s.end })),
          ),
        );
        return { scores: tally.evaluate(), threshold: predictor.threshold, predicted: predicted.reduce((n, p) => n + p.spans.length, 0) };
      } finally {
        await predictor.release();
      }
    }

    it("--json gives the same figures as the editor's predictor at the card's threshold (and says which), and lists every miss and false alarm", async () => {
      const r = await runFinlabel(['eval', model, heldOut, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as EntityEvaluationReport;
      assert.equal(report.kind, 'entities');
      assert.equal(report.data.records, 60);

      const direct = await scoreWithPredictor();
      const card = JSON.parse(readFileSync(path.join(model, 'card.json'), 'utf8')) as { calibration: { threshold: number } };
      assert.deepEqual([report.confidence.threshold, report.confidence.source], [card.calibration.threshold, 'card']);
      assert.equal(direct.threshold, card.calibration.threshold);
      assert.match(r.stderr, new RegExp(`confidence threshold ${card.calibration.threshold.toFixed(3).replace('.', '\\.')} \\(the model card's`));
      assert.ok(direct.scores.micro.f1 !== null && direct.scores.micro.f1 > 0, `the tiny model finds some spans (F1 ${direct.scores.micro.f1})`);
      assert.equal(report.micro.f1, direct.scores.micro.f1);
      assert.equal(report.macro.f1, direct.scores.macro.f1);
      assert.deepEqual(
        report.types.map((t) => [t.gold, t.predicted, t.matched]),
        direct.scores.types.map((t) => [t.reference, t.candidate, t.matched]),
      );

      const misses = report.errors.filter((e) => e.kind === 'miss').length;
      const falseAlarms = report.errors.filter((e) => e.kind === 'falseAlarm').length;
      const matched = report.types.reduce((s, t) => s + t.matched, 0);
      assert.equal(misses, report.data.goldSpans - matched);
      assert.equal(falseAlarms, report.data.predictedSpans - matched);
      const lines = readFileSync(heldOut, 'utf8').split('\n');
      for (const e of report.errors) {
        assert.equal([...(JSON.parse(lines[e.line]) as { text: string }).text].slice(e.start, e.end).join(''), e.text);
      }
      assert.equal(report.model.training?.epochs.length, 3, 'the training curve of the run');
    });

    it("--min-confidence replaces the card's threshold: 0 counts every decoded span, 1 nearly none", async () => {
      const all = JSON.parse((await runFinlabel(['eval', model, heldOut, '--json', '--min-confidence', '0'])).stdout) as EntityEvaluationReport;
      assert.deepEqual([all.confidence.threshold, all.confidence.source], [0, 'option']);
      assert.equal(all.data.predictedSpans, all.confidence.candidateSpans);
      assert.equal(
        all.confidence.reliability.reduce((n, b) => n + b.count, 0),
        all.confidence.candidateSpans,
        'the reliability table counts every decoded span',
      );
      const direct = await scoreWithPredictor(0);
      assert.equal(all.data.predictedSpans, direct.predicted);
      assert.equal(all.micro.f1, direct.scores.micro.f1);
      const strict = JSON.parse((await runFinlabel(['eval', model, heldOut, '--json', '--min-confidence', '0.999'])).stdout) as EntityEvaluationReport;
      assert.equal(strict.data.predictedSpans, (await scoreWithPredictor(0.999)).predicted);
      assert.ok(strict.data.predictedSpans < all.data.predictedSpans, `${strict.data.predictedSpans} < ${all.data.predictedSpans}`);
      const bad = await runFinlabel(['eval', model, heldOut, '--min-confidence', 'x']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--min-confidence must be a number from 0 to 1/);
    });

    it('without --json prints Markdown tables with the same F1; --html writes a standalone page', async () => {
      const json = JSON.parse((await runFinlabel(['eval', model, heldOut, '--json'])).stdout) as EntityEvaluationReport;
      const out = path.join(dir, 'ner-report.html');
      const r = await runFinlabel(['eval', model, heldOut, '--html', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`\\| micro +\\|.*\\| +${json.micro.f1!.toFixed(3).replace('.', '\\.')} \\|`));
      assert.match(r.stdout, /## Confusion between types/);
      assert.match(r.stdout, /## Confidence\n[\s\S]*\| confidence +\| spans +\| mean confidence +\| precision \(strict match\) \|/);
      const html = readFileSync(out, 'utf8');
      assert.match(html, new RegExp(`data-figure="micro-f1">${json.micro.f1!.toFixed(3)}<`));
      assert.match(html, new RegExp(`data-figure="threshold">${json.confidence.threshold.toFixed(3)}<`), 'the page names the threshold');
      const bins = json.confidence.reliability.filter((b) => b.count > 0);
      assert.ok(bins.length > 0);
      for (const b of bins)
        assert.match(
          html,
          new RegExp(`<td>${b.from.toFixed(1)}–${b.to.toFixed(1)}</td><td class="num">${b.count}</td>`),
          `the reliability row ${b.from}-${b.to}`,
        );
      assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
      assert.doesNotMatch(r.stdout, /Not a test/, 'held-out data gets no warning');
    });

    it('on its own training file says first that the figures are no test, in Markdown, JSON and HTML; an edited copy of that file at the same path too', async () => {
      const out = path.join(dir, 'own-data.html');
      const r = await runFinlabel(['eval', model, data, '--html', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout.split('\n')[0], /^> \*\*Not a test: this is the data the model was trained on/, 'the first line of the report');
      assert.match(readFileSync(out, 'utf8'), /<p class="not-a-test"><strong>Not a test: this is the data the model was trained on/);
      const json = JSON.parse((await runFinlabel(['eval', model, data, '--json'])).stdout) as EntityEvaluationReport;
      assert.match(json.notes[0], /^Not a test: this is the data the model was trained on/);
      const original = readFileSync(data);
      try {
        writeFileSync(data, `${original.toString('utf8')}${syntheticClauses(12, 1)}`);
        const edited = await runFinlabel(['eval', model, data]);
        assert.match(edited.stdout.split('\n')[0], /^> \*\*Not a test: the model was trained on an earlier version of this file/);
      } finally {
        writeFileSync(data, original);
      }
    });
  });

  describe('a credit model', () => {
    let trained: TrainedCreditModel;

    before(async function () {
      workerPython(repo);
      trained = await trainTinyCreditModel(repo, path.join(dir, 'credit-model'), { epochs: 1 });
    });

    it("on its own CSV: the training run's dev split, with AUC, KS, Gini equal to the worker's dev scores, and the baseline next to it", async () => {
      const csv = path.join(repo, 'samples', 'credit.csv');
      const r = await runFinlabel(['eval', trained.dir, csv, '--json', '--threshold', '0.3']);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      const report = JSON.parse(r.stdout) as CreditEvaluationReport;
      assert.equal(report.data.rows, 'dev-split');
      assert.equal(report.data.evaluated, trained.prepared.params.dev.length);

      const worker = workerJobs();
      const probabilities: number[] = [];
      const dev = trained.prepared.params.dev;
      try {
        // In the requests the evaluation makes (the worker's padding within a batch moves the last digits).
        for (let start = 0; start < dev.length; start += SCORE_REQUEST_ROWS) {
          probabilities.push(
            ...(await worker.jobs.scoreCredit({ modelDir: trained.dir, batch: dev.slice(start, start + SCORE_REQUEST_ROWS).map((e) => e.inputIds) }))
              .probabilities,
          );
        }
      } finally {
        await worker.dispose();
      }
      const labels = dev.map((e) => e.label);
      assert.ok(Math.abs(report.llm.auc! - rocAuc(labels, probabilities)!) < 1e-9, `AUC ${report.llm.auc} vs the dev split's ${rocAuc(labels, probabilities)}`);
      assert.ok(Math.abs(report.llm.gini! - (2 * report.llm.auc! - 1)) < 1e-12);
      assert.ok(report.llm.ks! >= 0 && report.llm.ks! <= 1);
      assert.equal(report.llm.threshold, 0.3);
      assert.equal(report.llm.reliability.length, 10);
      assert.equal(
        report.llm.reliability.reduce((s, b) => s + b.rows, 0),
        report.data.evaluated,
      );

      assert.ok(report.baseline.ok, 'the baseline was trained');
      assert.equal(report.baseline.trainedOnRows, trained.prepared.params.train.length);
      assert.ok(report.baseline.figures.auc! > 0.5, `the baseline learns something on samples/credit.csv (AUC ${report.baseline.figures.auc})`);
      const beats = report.llm.auc! > report.baseline.figures.auc!;
      assert.match(report.verdict, beats ? /^The LLM beats/ : /^The LLM does NOT beat/);
    });

    it("on another CSV: every labelled row, the baseline still trained on the model's training split; Markdown shows the verdict", async () => {
      const other = path.join(dir, 'rule.csv');
      writeFileSync(other, ruleCsv(80, 5));
      const r = await runFinlabel(['eval', trained.dir, other, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as CreditEvaluationReport;
      assert.equal(report.data.rows, 'all');
      assert.equal(report.data.evaluated, 80);
      assert.ok(report.baseline.ok);
      assert.equal(report.baseline.trainedOnRows, trained.prepared.params.train.length);
      const md = await runFinlabel(['eval', trained.dir, other]);
      assert.match(md.stdout, /\*\*The LLM (beats|does NOT beat) the logistic-regression baseline: ROC-AUC \d\.\d{3} \(LLM\) vs \d\.\d{3}/);
      // LLM, GBDT and logistic regression side by side, each AUC with its 95% interval.
      const ci = String.raw`\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]`;
      assert.match(md.stdout, /\| figure +\| +LLM \| +GBDT \| +logistic regression \|/);
      assert.match(md.stdout, new RegExp(String.raw`\| ROC-AUC \[95% CI\] +\| +${ci} \| +${ci} \| +${ci} \|`));
      assert.match(md.stdout, /## Paired tests of ROC-AUC \(DeLong\)/);
      // The rule file is not drawn like samples/credit.csv (tax paid uniform on 0–50, 1–20 years): a shift, named.
      assert.match(md.stdout, /## Stability \(PSI\)/);
      assert.match(md.stdout, /> \*\*Population shift: PSI above 0\.25 against the training split for .*纳税额\(万元\) \(\d+\.\d\d\)/);

      // Both baselines on the same rows, with intervals and the paired test; the GBDT's own importances.
      assert.ok(report.gbdt.ok, report.gbdt.ok ? '' : report.gbdt.reason);
      assert.equal(report.gbdt.trainedOnRows, trained.prepared.params.train.length);
      assert.equal(report.gbdt.figures.confusion.truePositives + report.gbdt.figures.confusion.falseNegatives, report.data.defaults);
      // 企业名称 is a feature of the LLM's prompt but identifier-like: both baselines and the PSI leave it out.
      assert.deepEqual(
        report.gbdtImportances.map((i) => i.column),
        ['纳税额(万元)', '水电费(万元)', '经营年限(年)', '区域', '区域经济指数'],
      );
      for (const b of [report.baseline, report.gbdt]) {
        assert.ok(b.ok && b.intervals && b.comparison);
        assert.ok(b.intervals.auc.low <= b.figures.auc! && b.figures.auc! <= b.intervals.auc.high);
        assert.ok(Math.abs(b.comparison.difference - (report.llm.auc! - b.figures.auc!)) < 1e-9);
      }
      assert.ok(report.llmIntervals && report.llmIntervals.auc.low <= report.llm.auc! && report.llm.auc! <= report.llmIntervals.auc.high);
      assert.equal(report.llmIntervals.replicates, 1000);
      assert.ok(report.stability, report.stabilityNote ?? '');
      assert.deepEqual(
        report.stability.features.map((f) => f.column),
        ['纳税额(万元)', '水电费(万元)', '经营年限(年)', '区域', '区域经济指数'],
      );
      assert.match(report.stability.leftOut.join(), /^企业名称 /);
      assert.equal(report.stability.actualRows, 80);
      assert.ok(report.stability.score && report.stability.score.psi >= 0);
    });
  });
});
