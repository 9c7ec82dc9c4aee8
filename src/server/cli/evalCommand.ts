import { readFile, writeFile } from 'node:fs/promises';
import { standaloneReportHtml } from '../../common/evaluationReportHtml';
import type { EvaluationReport } from '../../common/evaluationReport';
import { evaluateModel, isEvaluationInputError, standardPredictors } from '../evaluation/evaluateModel';
import { evaluationMarkdown } from '../evaluation/evaluationMarkdown';
import { WorkerJobs } from '../worker/workerJobs';
import { cliWorker, PYTHON_ENV } from './cliWorker';
import type { CliCommand, CliIo, ExitCode } from './command';
import { parseOptions } from './parseOptions';

const usage = `Usage: finlabel eval MODEL DATA [--label COLUMN] [--threshold T] [--min-confidence T] [--json] [--html OUT.html]

Evaluates a trained model folder on a data file; card.json in the folder says which kind of model.

entities  DATA is a dataset JSONL. Strict span precision/recall/F1 per type (type and both offsets
          must match), micro and macro; the confusion between types (same span, other type; and
          boundary errors, where a prediction overlaps a gold span); every miss and false alarm
          with its line, code-point span and text. Predicted spans are those the editor shows:
          the best valid BIO tagging, at the confidence threshold of the model card (chosen on
          the model's dev split; 0 for a model without calibration) or --min-confidence; the
          report says which threshold.
credit    DATA is a CSV with a 0/1 label column. ROC-AUC, KS, Gini, Brier score, precision/recall/F1
          of the default class at the threshold, confusion matrix, ROC and reliability curves; and a
          logistic-regression baseline on the same features, trained on the model's training split,
          next to the LLM. On the CSV the model was trained on, the rows are training's dev split;
          on another file, every labelled row.

Both show the training run's loss and dev figure per epoch (from card.json).

  --label COLUMN   credit: the 0/1 column (default: the model's label column)
  --threshold T    credit: P(违约) at which a row is called a default (default 0.5)
  --min-confidence T
                   entities: keep predicted spans with a calibrated confidence of at least T (0 to 1)
                   instead of the card's threshold
  --json           print every figure as JSON on stdout (default: Markdown tables)
  --html OUT.html  also write the report as a standalone HTML file (charts included, no script)

Entity predictions come from the graph the editor serves (ONNX Runtime: model.int8.onnx when the
folder has one, else model.onnx); credit scores
from the Python worker (${PYTHON_ENV}, else the repository's .venv, else python3).

Exit codes: 0 evaluated, 1 evaluated but some records, labels or rows were not evaluated as written
(listed in the report), 2 nothing was evaluated (usage, unreadable model or data, data not UTF-8, worker not available).
`;

class EvalError extends Error {}

async function evaluateWithWorker(
  modelDir: string,
  file: string,
  bytes: Uint8Array,
  threshold: number | undefined,
  labelColumn: string | undefined,
  minConfidence: number | undefined,
): Promise<EvaluationReport> {
  const worker = cliWorker();
  if (!worker) throw new EvalError(`the worker's Python package (finlabel_worker) was not found next to ${__dirname}`);
  const jobs = new WorkerJobs(worker);
  try {
    const predictors = standardPredictors(jobs);
    // Only a credit model needs the worker (entity predictions run in ONNX Runtime here). It starts
    // when evaluateModel asks for the credit predictor, so the data is checked while it starts.
    const creditAfterStart = (dir: string): ReturnType<typeof predictors.credit> => {
      const started = worker.ensureStarted().then((status) => {
        if (status.state !== 'ready')
          throw new EvalError(`the Python worker is not available: ${status.state === 'unavailable' ? status.message : status.state}`);
      });
      // Handled when a prediction awaits it; this keeps a failure before the first prediction from going unhandled.
      started.catch(() => undefined);
      const score = predictors.credit(dir);
      return async (batch) => {
        await started;
        return score(batch);
      };
    };
    return await evaluateModel(
      { modelDir, file, bytes, threshold, labelColumn, minConfidence },
      // The GBDT baseline runs after the LLM's scores, so the worker has started by then.
      { entities: (dir) => predictors.entities(dir), credit: creditAfterStart, gbdt: predictors.gbdt },
    );
  } finally {
    jobs.dispose();
    await worker.dispose();
  }
}

export const evalCommand: CliCommand = {
  summary: 'evaluate a trained entity or credit model on a dataset (figures as tables, JSON or HTML)',
  usage,
  async run(args: string[], io: CliIo): Promise<ExitCode> {
    const stop = (message: string): ExitCode => {
      io.stderr.write(`finlabel eval: ${message}\n`);
      return 2;
    };
    const parsed = parseOptions(args, {
      label: { type: 'string' },
      threshold: { type: 'string' },
      'min-confidence': { type: 'string' },
      json: { type: 'boolean' },
      html: { type: 'string' },
    });
    if (!parsed.ok) return stop(`${parsed.message}\n\n${usage}`);
    if (parsed.positionals.length !== 2) return stop(`expected MODEL and DATA\n\n${usage}`);
    const [modelDir, file] = parsed.positionals;
    const thresholdText = parsed.values.threshold as string | undefined;
    const threshold = thresholdText === undefined ? undefined : Number(thresholdText);
    if (threshold !== undefined && (!(threshold >= 0 && threshold <= 1) || thresholdText!.trim() === ''))
      return stop(`--threshold must be a number from 0 to 1, got "${thresholdText}"`);

    const minText = parsed.values['min-confidence'] as string | undefined;
    const minConfidence = minText === undefined ? undefined : Number(minText);
    if (minConfidence !== undefined && (minText!.trim() === '' || !(minConfidence >= 0 && minConfidence <= 1)))
      return stop(`--min-confidence must be a number from 0 to 1, got "${minText}"`);

    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (err) {
      return stop(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    let report: EvaluationReport;
    try {
      report = await evaluateWithWorker(modelDir, file, bytes, threshold, parsed.values.label as string | undefined, minConfidence);
    } catch (err) {
      if (err instanceof EvalError || isEvaluationInputError(err)) return stop((err as Error).message);
      return stop(`evaluation failed: ${(err as Error).message}`);
    }
    if (report.kind === 'entities' && threshold !== undefined) io.stderr.write('finlabel eval: --threshold is for credit models; ignored\n');
    if (report.kind === 'credit' && minConfidence !== undefined) io.stderr.write('finlabel eval: --min-confidence is for entity models; ignored\n');
    if (report.kind === 'entities') {
      const c = report.confidence;
      io.stderr.write(
        `finlabel eval: predicted spans at confidence threshold ${c.threshold.toFixed(3)} (${c.source === 'option' ? '--min-confidence' : c.source === 'card' ? "the model card's, calibrated on its dev split" : 'the model has no calibration: every span'})\n`,
      );
    }
    const html = parsed.values.html as string | undefined;
    if (html !== undefined) {
      try {
        await writeFile(html, standaloneReportHtml(report), 'utf8');
      } catch (err) {
        return stop(`cannot write ${html}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      io.stderr.write(`finlabel eval: wrote ${html}\n`);
    }
    for (const p of [...report.problems, ...report.notes]) io.stderr.write(`${p}\n`);
    io.stdout.write(parsed.values.json ? `${JSON.stringify(report, null, 2)}\n` : evaluationMarkdown(report));
    return report.problems.length > 0 ? 1 : 0;
  },
};
