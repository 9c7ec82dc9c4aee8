/**
 * Credit model review on real tables (figures in bench/README.md): the tiny LLM (`finlabel train credit --tiny`), the
 * GBDT (LightGBM) and the logistic baseline on the German (Statlog) and Taiwan (UCI default of credit
 * card clients) credit tables in ../shared/data, each with 95% bootstrap intervals and DeLong's test,
 * the PSI of the test file against the training split, run times, the CPU cost of reasons per row,
 * and how the reasons agree with the GBDT's own feature importances.
 *
 *   npm run build && node out/bench/creditModels.js [--data DIR] [--taiwan-rows N] [--epochs E] [--reason-rows R] [--only german|taiwan]
 *
 * Each table is split (seeded, stratified) into a training file, on which `train credit` makes its
 * own 8:2 split, and a test file the models never see. The Taiwan table is subsampled (seeded) to
 * --taiwan-rows rows (default 2,000) so the tiny LLM trains in minutes on a CPU.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CreditEvaluationReport } from '../src/common/evaluationReport';
import { stratifiedSplit } from '../src/server/credit/stratifiedSplit';
import { loadCreditModel } from '../src/server/credit/creditModelFolder';
import { CreditProbabilities } from '../src/server/credit/creditProbabilities';
import { creditFileRows } from '../src/server/credit/creditRows';
import { counterfactuals, MIN_REASON_DELTA, rowReasons } from '../src/server/credit/rowReasons';
import { evaluateModel, standardPredictors } from '../src/server/evaluation/evaluateModel';
import { Rng } from '../src/server/util/prng';
import { prepareCreditTraining } from '../src/server/training/creditTraining';
import { WorkerJobs } from '../src/server/worker/workerJobs';
import { WorkerSupervisor } from '../src/server/worker/workerSupervisor';
import { repoPython, TINY_QWEN_BASE } from '../test/creditModelFixture';

const repo = path.resolve(__dirname, '..', '..');
const LABEL = '是否违约';

interface Table {
  name: string;
  header: string[];
  rows: string[][];
  labels: (0 | 1)[];
}

const GERMAN_COLUMNS = [
  'checking_status',
  'duration_months',
  'credit_history',
  'purpose',
  'credit_amount',
  'savings',
  'employment_since',
  'installment_rate',
  'personal_status_sex',
  'other_debtors',
  'residence_since',
  'property',
  'age',
  'other_installment_plans',
  'housing',
  'existing_credits',
  'job',
  'people_liable',
  'telephone',
  'foreign_worker',
];

function german(dir: string): Table {
  const lines = readFileSync(path.join(dir, 'german-credit', 'german.data'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const cells = lines.map((l) => l.trim().split(/\s+/));
  return { name: 'German (Statlog)', header: GERMAN_COLUMNS, rows: cells.map((c) => c.slice(0, 20)), labels: cells.map((c) => (c[20] === '2' ? 1 : 0)) };
}

const TAIWAN_COLUMNS = [
  'LIMIT_BAL',
  'SEX',
  'EDUCATION',
  'MARRIAGE',
  'AGE',
  'PAY_0',
  'PAY_2',
  'PAY_3',
  'PAY_4',
  'PAY_5',
  'PAY_6',
  'BILL_AMT1',
  'BILL_AMT2',
  'BILL_AMT3',
  'BILL_AMT4',
  'BILL_AMT5',
  'BILL_AMT6',
  'PAY_AMT1',
  'PAY_AMT2',
  'PAY_AMT3',
  'PAY_AMT4',
  'PAY_AMT5',
  'PAY_AMT6',
];

function taiwan(dir: string, rows: number): Table {
  const lines = readFileSync(path.join(dir, 'taiwan-credit-default', 'UCI_Credit_Card_X1-X23_Y.csv'), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const cells = new Rng(7).sample(lines.slice(1), rows).map((l) => l.split(','));
  return {
    name: `Taiwan (UCI default of credit card clients, ${rows} of 30,000 rows)`,
    header: TAIWAN_COLUMNS,
    rows: cells.map((c) => c.slice(1, 24)),
    labels: cells.map((c) => (c[24] === '1' ? 1 : 0)),
  };
}

function csv(table: Table, indexes: number[]): Buffer {
  return Buffer.from([[...table.header, LABEL].join(','), ...indexes.map((i) => [...table.rows[i], table.labels[i]].join(','))].join('\n') + '\n', 'utf8');
}

/** Spearman rank correlation of two score lists over the same items (average ranks for ties). */
function spearman(a: number[], b: number[]): number {
  const rank = (v: number[]): number[] => {
    const order = v.map((_, i) => i).sort((x, y) => v[x] - v[y]);
    const r = new Array<number>(v.length);
    for (let s = 0; s < order.length;) {
      let e = s;
      while (e + 1 < order.length && v[order[e + 1]] === v[order[s]]) e++;
      for (let k = s; k <= e; k++) r[order[k]] = (s + e) / 2;
      s = e + 1;
    }
    return r;
  };
  const ra = rank(a);
  const rb = rank(b);
  const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(ra);
  const mb = mean(rb);
  const cov = ra.reduce((s, x, i) => s + (x - ma) * (rb[i] - mb), 0);
  return cov / Math.sqrt(ra.reduce((s, x) => s + (x - ma) ** 2, 0) * rb.reduce((s, x) => s + (x - mb) ** 2, 0));
}

const ci = (i: { estimate: number; low: number; high: number } | null | undefined): string =>
  i ? `${i.estimate.toFixed(3)} [${i.low.toFixed(3)}, ${i.high.toFixed(3)}]` : '—';

async function run(table: Table, jobs: WorkerJobs, out: string, epochs: number, reasonRows: number): Promise<string[]> {
  const parts = stratifiedSplit(table.labels, 0.3, 2026);
  const slug = table.name.split(' ')[0].toLowerCase();
  const trainFile = path.join(out, `${slug}-train.csv`);
  const testFile = path.join(out, `${slug}-test.csv`);
  writeFileSync(trainFile, csv(table, parts.train));
  writeFileSync(testFile, csv(table, parts.test));

  let t = Date.now();
  const prepared = prepareCreditTraining({
    jobId: `bench-${slug}`,
    bytes: readFileSync(trainFile),
    file: trainFile,
    tokenizerDir: path.join(repo, 'models', 'tokenizers', 'qwen2'),
    base: TINY_QWEN_BASE,
    outDir: path.join(out, `${slug}-model`),
    hyper: { epochs, batchSize: 32, learningRate: 1e-3, device: 'cpu' },
  });
  const trained = await jobs.trainCredit(prepared.params);
  const trainSeconds = (Date.now() - t) / 1000;

  t = Date.now();
  const report = (await evaluateModel(
    { modelDir: trained.modelDir, file: testFile, bytes: readFileSync(testFile) },
    standardPredictors(jobs),
  )) as CreditEvaluationReport;
  const evalSeconds = (Date.now() - t) / 1000;

  // Reasons: CPU cost per row, and agreement with the GBDT's importances.
  const model = loadCreditModel(trained.modelDir);
  const rows = creditFileRows(readFileSync(testFile), testFile, model);
  const sample = rows.rows.slice(0, reasonRows);
  const probabilities = new CreditProbabilities(model.key);
  const score = async (batch: number[][]): Promise<number[]> => (await jobs.scoreCredit({ modelDir: model.dir, batch })).probabilities;
  t = Date.now();
  await probabilities.fill(sample, score);
  const scoreSeconds = (Date.now() - t) / 1000;
  t = Date.now();
  const reasons = await rowReasons(model, rows.header, sample, probabilities, score, 3);
  const reasonSeconds = (Date.now() - t) / 1000;
  // Each column's importance by the reasons' measure: the mean |P(违约) − P(违约) with it at its reference| over the rows.
  const columns = report.gbdtImportances.map((i) => i.column);
  const absDelta = new Map(columns.map((c) => [c, 0]));
  for (const row of sample) {
    const p = probabilities.get(row.prompt)!;
    for (const c of counterfactuals(model, rows.header, row))
      if (absDelta.has(c.column)) absDelta.set(c.column, absDelta.get(c.column)! + Math.abs(p - probabilities.get(c.prompt)!));
  }
  const meanDelta = columns.map((c) => absDelta.get(c)! / sample.length);
  const withReason = [...reasons.values()].filter((r) => r.length > 0).length;
  const gains = report.gbdtImportances.map((i) => i.gain);
  const top = (v: number[]): Set<string> =>
    new Set(
      columns
        .map((c, i) => [c, v[i]] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([c]) => c),
    );
  const topReasons = top(meanDelta);
  const topGain = top(gains);
  const overlap = [...topReasons].filter((c) => topGain.has(c)).length;

  const models: [string, CreditEvaluationReport['baseline'] | null][] = [
    ['tiny LLM', null],
    ['GBDT', report.gbdt],
    ['logistic', report.baseline],
  ];
  const shifted = report.stability
    ? [...report.stability.features, ...(report.stability.score ? [report.stability.score] : [])]
        .filter((f) => f.psi > 0.1)
        .map((f) => `${f.column} ${f.psi.toFixed(2)}`)
    : [];
  return [
    `### ${table.name}`,
    '',
    `Training file ${parts.train.length} rows (the LLM fits on its 80%, ${prepared.params.train.length} rows; the baselines on the same rows), test file ${report.data.evaluated} rows, ${report.data.defaults} defaults. Tiny LLM: ${epochs} epoch(s), ${trainSeconds.toFixed(0)} s to train; evaluation with both baselines, 3×1000 bootstrap replicates and the PSI: ${evalSeconds.toFixed(0)} s.`,
    '',
    '| model | ROC-AUC [95% CI] | KS [95% CI] | Gini [95% CI] | Brier | DeLong vs LLM (AUC diff, p) |',
    '|---|---|---|---|---|---|',
    ...models.map(([name, b]) => {
      if (b === null)
        return `| ${name} | ${ci(report.llmIntervals?.auc)} | ${ci(report.llmIntervals?.ks)} | ${ci(report.llmIntervals?.gini)} | ${report.llm.brier?.toFixed(3)} | — |`;
      if (!b.ok) return `| ${name} | none: ${b.reason} | | | | |`;
      const c = b.comparison;
      return `| ${name} | ${ci(b.intervals?.auc)} | ${ci(b.intervals?.ks)} | ${ci(b.intervals?.gini)} | ${b.figures.brier?.toFixed(3)} | ${c ? `${c.difference >= 0 ? '+' : ''}${c.difference.toFixed(3)}, p ${c.pValue === null ? '—' : c.pValue < 0.001 ? '< 0.001' : c.pValue.toFixed(3)}` : '—'} |`;
    }),
    '',
    `PSI of the test file against the training split above 0.1: ${shifted.length === 0 ? 'none' : shifted.join(', ')}${report.stability?.warning ? ` (warning: ${report.stability.warning})` : ''}.`,
    '',
    `Reasons on ${sample.length} test rows: scoring them ${((scoreSeconds / sample.length) * 1000).toFixed(1)} ms/row, their reasons ${((reasonSeconds / sample.length) * 1000).toFixed(1)} ms/row more (${(reasonSeconds / Math.max(scoreSeconds, 1e-9)).toFixed(1)}× the scoring; one counterfactual per feature that differs from its reference). ${withReason} of ${sample.length} rows have a reason of +${MIN_REASON_DELTA} or more. Agreement with the GBDT's gain importances over ${columns.length} columns: Spearman ${spearman(meanDelta, gains).toFixed(2)} between each column's mean |contribution| and its gain; top-5 overlap ${overlap}/5 (reasons: ${[...topReasons].join(', ')}; GBDT: ${[...topGain].join(', ')}).`,
    '',
  ];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: string): string => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
  };
  const data = path.resolve(option('--data', path.join(repo, '..', 'shared', 'data')));
  const epochs = Number(option('--epochs', '2'));
  const reasonRows = Number(option('--reason-rows', '200'));
  const out = mkdtempSync(path.join(tmpdir(), 'finlabel-credit-bench-'));
  mkdirSync(out, { recursive: true });
  const supervisor = new WorkerSupervisor({
    workerDir: path.join(repo, 'src', 'server', 'worker', 'python'),
    locatePython: async () => ({ ok: true, python: repoPython(repo), source: 'setting' }),
    env: { ...process.env, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? '1' },
  });
  const jobs = new WorkerJobs(supervisor);
  const lines = [
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), CPU only, OMP_NUM_THREADS=${process.env.OMP_NUM_THREADS ?? '1'}; ${new Date().toISOString().slice(0, 10)}.`,
    '',
  ];
  try {
    const only = option('--only', '');
    const tables = [...(only !== 'taiwan' ? [german(data)] : []), ...(only !== 'german' ? [taiwan(data, Number(option('--taiwan-rows', '2000')))] : [])];
    for (const table of tables) {
      const section = await run(table, jobs, out, epochs, reasonRows);
      process.stdout.write(`${section.join('\n')}\n`);
      lines.push(...section);
    }
  } finally {
    jobs.dispose();
    await supervisor.dispose();
  }
  writeFileSync(path.join(out, 'credit-models.md'), lines.join('\n'));
  process.stdout.write(`\n${lines[0]}\nWritten to ${path.join(out, 'credit-models.md')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
