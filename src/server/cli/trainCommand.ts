import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import { WorkerErrorCode, type JobProgress, type TrainHyperparameters, type TrainResult } from '../../common/workerProtocol';
import { CreditConfigError } from '../credit/creditColumns';
import { CsvEncodingError } from '../credit/csvBytes';
import { CsvSyntaxError } from '../credit/csvTable';
import { decodeUtf8File, NotUtf8Error } from '../encoding/utf8File';
import { TokenizerLoadError } from '../tokenization/tokenizerFolder';
import { prepareCreditTraining } from '../training/creditTraining';
import { calibrationBrief, calibrationSummary, reliabilityMarkdown } from '../calibration/calibrationSummary';
import type { EntityCalibration } from '../calibration/entityCalibration';
import { calibrateEntityModelFolder } from '../training/calibrateEntityModel';
import { prepareEntityTraining, TrainingInputError } from '../training/entityTraining';
import { baseTokenizerDir, BaseModelError, TINY_CREDIT_BASE, TINY_BERT_ENTITY_BASE, TINY_CREDIT_LEARNING_RATE, TINY_ENTITY_BASE } from '../training/baseModels';
import { newModelFolder, workspaceOf } from '../training/newModelFolder';
import { checkInsideWorkspace } from '../workspace/workspacePaths';
import { progressLine } from '../training/progressLine';
import { WorkerJobs, type JobOptions } from '../worker/workerJobs';
import { WorkerExitedError } from '../worker/workerProcess';
import { cliSchema, SCHEMA_OPTION, SCHEMA_USAGE } from './cliSchema';
import { cliWorker, PYTHON_ENV } from './cliWorker';
import type { CliCommand, CliIo, ExitCode } from './command';
import { parseOptions } from './parseOptions';

const usage = `Usage: finlabel train ner DATA.jsonl [--base DIR | --tiny] [--out DIR] [--epochs N] [options]
       finlabel train credit DATA.csv [--label COLUMN] [--features A,B,...] [--base DIR | --tiny] [--out DIR] [--epochs N] [options]

Trains a model with the Python worker (on the GPU when there is one) and prints progress on stderr,
then the model folder and its metrics as JSON on stdout.

ner     a token classifier for the label schema's entity types: a BERT-family model from --base, or
        the small character BiLSTM from random weights. 10% of the records (stratified by type) pick
        the best epoch by strict span F1; the model is exported to ONNX.
credit  a Qwen causal LM with a LoRA adapter that answers 0 (正常) or 1 (违约) for a row's prompt.
        8:2 stratified split (seed 42); missing values are filled with values fitted on the
        training rows only and saved with the model; the dev split picks the best epoch by ROC-AUC.

  --base DIR           a local Hugging Face model folder (config.json, safetensors weights,
                       tokenizer.json): a BERT-family model for ner, Qwen2/2.5/3 for credit
  --tiny               a small model built from random weights with the real vocabulary, for a CPU
                       (the default when --base is not given). For ner, a character BiLSTM whose
                       schedule is sized in optimizer steps for the data: small sets get many
                       epochs, and early stopping waits for half of the steps and a dev F1 above 0
  --architecture bilstm|bert
                       ner with --tiny: the small model's shape (default bilstm)
  --word-boundaries on|off
                       the small BiLSTM also reads where words begin and end, as the shipped Qwen2
                       tokenizer cuts the text (default on; the folder gets word-segmenter.json)
  --out DIR            the new model folder (default: .finlabel/models/<task>/<data name>-<time> in
                       the data file's workspace); it must not exist
  --epochs N           training epochs (default: 5 for ner from --base, 3 for credit, sized to the
                       data for --tiny ner; fewer when the dev figure stops improving)
  --batch-size N, --learning-rate X, --device auto|cpu|cuda
  --label COLUMN       credit: the 0/1 label column (default 是否违约)
  --features A,B,...   credit: the feature columns (default: every other column but an id column)
  --quantize           ner: also write model.int8.onnx (int8 dynamic quantization) with its cost

${SCHEMA_USAGE}

The worker runs on ${PYTHON_ENV}, else the repository's .venv, else python3 on PATH. Ctrl+C cancels:
no model folder is left behind.

Exit codes: 0 trained, 1 trained but some labels or rows were left out (listed on stderr),
2 nothing was trained (usage, unreadable data or not UTF-8, no worker, failure, cancelled).
`;

const OPTIONS = {
  base: { type: 'string' },
  tiny: { type: 'boolean' },
  architecture: { type: 'string' },
  'word-boundaries': { type: 'string' },
  out: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  'learning-rate': { type: 'string' },
  device: { type: 'string' },
  label: { type: 'string' },
  features: { type: 'string' },
  quantize: { type: 'boolean' },
  ...SCHEMA_OPTION,
} as const;

class UsageError extends Error {}

function positiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a whole number of at least 1, got "${text}"`);
  return n;
}

function hyperparameters(values: Record<string, string | boolean | undefined>, task: 'ner' | 'credit', tiny: boolean): TrainHyperparameters {
  const hyper: TrainHyperparameters = {};
  const epochs = positiveInt('epochs', values.epochs as string | undefined);
  if (epochs !== undefined) hyper.epochs = epochs;
  const batch = positiveInt('batch-size', values['batch-size'] as string | undefined);
  if (batch !== undefined) hyper.batchSize = batch;
  const lr = values['learning-rate'] as string | undefined;
  if (lr !== undefined) {
    const x = Number(lr);
    if (!(x > 0 && x < 1)) throw new UsageError(`--learning-rate must be a number between 0 and 1, got "${lr}"`);
    hyper.learningRate = x;
  } else if (tiny && task === 'credit') {
    hyper.learningRate = TINY_CREDIT_LEARNING_RATE;
  }
  const device = values.device as string | undefined;
  if (device !== undefined) {
    if (device !== 'auto' && device !== 'cpu' && device !== 'cuda') throw new UsageError(`--device must be auto, cpu or cuda, got "${device}"`);
    hyper.device = device;
  }
  return hyper;
}

/** The tokenizer of the base folder, or the shipped one for a tiny model; a folder that cannot be used is a usage error. */
function tokenizerDir(base: string | undefined, shipped: 'bert-base-chinese' | 'qwen2'): string {
  try {
    return baseTokenizerDir(base, shipped);
  } catch (err) {
    if (err instanceof BaseModelError) throw new UsageError(err.message);
    throw err;
  }
}

/** Prints a progress line at most once a second, and every phase change and epoch end. */
function progressPrinter(io: CliIo): (p: JobProgress) => void {
  let last = 0;
  let lastKey = '';
  return (p) => {
    const key = `${p.phase}:${p.epoch}`;
    const now = Date.now();
    if (key === lastKey && now - last < 1000 && p.step !== p.steps) return;
    last = now;
    lastKey = key;
    io.stderr.write(`${progressLine(p)}\n`);
  };
}

function describeFailure(err: unknown): string {
  if (err instanceof ResponseError) return err.message;
  if (err instanceof WorkerExitedError) return err.message;
  return (err as Error).message ?? String(err);
}

export const trainCommand: CliCommand = {
  summary: 'train an entity (ner) or credit model with the Python worker',
  usage,
  async run(args: string[], io: CliIo): Promise<ExitCode> {
    const stop = (message: string, withUsage = false): ExitCode => {
      io.stderr.write(`finlabel train: ${message}\n${withUsage ? `\n${usage}` : ''}`);
      return 2;
    };
    const parsed = parseOptions(args, OPTIONS);
    if (!parsed.ok) return stop(parsed.message, true);
    const [task, file, ...extra] = parsed.positionals;
    if (task !== 'ner' && task !== 'credit')
      return stop(task === undefined ? 'say what to train: ner or credit' : `unknown task "${task}": ner or credit`, true);
    if (!file || extra.length > 0) return stop(`expected one data file after "${task}"`, true);
    const base = parsed.values.base as string | undefined;
    if (base !== undefined && parsed.values.tiny) return stop('--base and --tiny exclude each other');
    if (task === 'ner' && (parsed.values.label !== undefined || parsed.values.features !== undefined))
      return stop('--label and --features are for credit models');
    if (task === 'credit' && parsed.values.quantize) return stop('--quantize is for ner models (the ONNX export)');
    const architecture = parsed.values.architecture as string | undefined;
    if (architecture !== undefined && (task !== 'ner' || base !== undefined)) return stop('--architecture is for ner models built with --tiny');
    if (architecture !== undefined && architecture !== 'bilstm' && architecture !== 'bert')
      return stop(`--architecture must be bilstm or bert, got "${architecture}"`);
    const wordBoundaries = parsed.values['word-boundaries'] as string | undefined;
    if (wordBoundaries !== undefined && (task !== 'ner' || base !== undefined || architecture === 'bert'))
      return stop('--word-boundaries is for the small BiLSTM (ner with --tiny)');
    if (wordBoundaries !== undefined && wordBoundaries !== 'on' && wordBoundaries !== 'off')
      return stop(`--word-boundaries must be on or off, got "${wordBoundaries}"`);
    const out = path.resolve((parsed.values.out as string | undefined) ?? newModelFolder(file, task === 'ner' ? 'entities' : 'credit'));
    if (parsed.values.out === undefined) {
      // The default folder is the workspace's (.finlabel/models): a .finlabel that links out of it is not followed.
      const inside = checkInsideWorkspace([workspaceOf(file)], out, 'the default model folder');
      if (!inside.ok) return stop(`${inside.message}; choose a folder with --out`);
    }
    if (existsSync(out)) return stop(`${out} already exists; choose a new --out (a model folder is never overwritten)`);

    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      return stop(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const jobId = `${task}-${Date.now()}`;
    type Run = (jobs: WorkerJobs, options: Required<Pick<JobOptions, 'onProgress' | 'onEvaluation' | 'token'>>) => Promise<TrainResult>;
    let run: Run;
    let calibrate: ((modelDir: string) => Promise<EntityCalibration>) | undefined;
    let leftOut: string[];
    let summary: Record<string, unknown>;
    try {
      const hyper = hyperparameters(parsed.values, task, base === undefined);
      if (task === 'ner') {
        const schema = await cliSchema('train', file, parsed.values.schema, io);
        if (!schema) return 2;
        const prepared = prepareEntityTraining({
          jobId,
          content: decodeUtf8File(bytes, file),
          file,
          schema,
          tokenizerDir: tokenizerDir(base, 'bert-base-chinese'),
          base:
            base !== undefined
              ? { kind: 'folder', path: path.resolve(base) }
              : architecture === 'bert'
                ? TINY_BERT_ENTITY_BASE
                : { ...TINY_ENTITY_BASE, wordBoundaries: wordBoundaries !== 'off' },
          outDir: out,
          hyper,
          export: { onnx: true, quantize: parsed.values.quantize === true },
        });
        leftOut = prepared.problems;
        summary = { task: 'ner', ...prepared.summary };
        run = (jobs, options) => jobs.trainEntities(prepared.params, prepared.dev, options);
        calibrate = (modelDir) => calibrateEntityModelFolder(modelDir, prepared.devRecords, schema);
      } else {
        const features = (parsed.values.features as string | undefined)?.split(',').map((f) => f.trim());
        const prepared = prepareCreditTraining({
          jobId,
          bytes,
          file,
          tokenizerDir: tokenizerDir(base, 'qwen2'),
          base: base === undefined ? TINY_CREDIT_BASE : { kind: 'folder', path: path.resolve(base) },
          outDir: out,
          hyper,
          dataset: { labelColumn: parsed.values.label as string | undefined, featureColumns: features },
        });
        leftOut = prepared.problems;
        summary = {
          task: 'credit',
          encoding: prepared.dataset.encoding,
          trainRows: prepared.params.train.length,
          devRows: prepared.params.dev.length,
          features: prepared.dataset.columns.features.map((f) => f.name),
        };
        run = (jobs, options) => jobs.trainCredit(prepared.params, options);
      }
    } catch (err) {
      if (
        err instanceof UsageError ||
        err instanceof TrainingInputError ||
        err instanceof TokenizerLoadError ||
        err instanceof CreditConfigError ||
        err instanceof CsvEncodingError ||
        err instanceof NotUtf8Error ||
        err instanceof CsvSyntaxError
      )
        return stop(err.message);
      throw err;
    }
    for (const p of leftOut) io.stderr.write(`${p}\n`);
    io.stderr.write(`finlabel train: ${JSON.stringify(summary)}\n`);

    const worker = cliWorker();
    if (!worker) return stop(`the worker's Python package (finlabel_worker) was not found next to ${__dirname}`);
    const jobs = new WorkerJobs(worker);
    const cancel = new CancellationTokenSource();
    const onInterrupt = (): void => {
      io.stderr.write('finlabel train: cancelling…\n');
      cancel.cancel();
    };
    process.on('SIGINT', onInterrupt);
    try {
      const status = await worker.ensureStarted();
      if (status.state !== 'ready') return stop(`the Python worker is not available: ${status.state === 'unavailable' ? status.message : status.state}`);
      io.stderr.write(`finlabel train: training on ${status.device.name} (${status.device.device})\n`);
      const result = await run(jobs, {
        onProgress: progressPrinter(io),
        onEvaluation: (epoch, e) => io.stderr.write(`epoch ${epoch}: dev ${e.name} ${e.metric.toFixed(4)}\n`),
        token: cancel.token,
      });
      let calibration: Record<string, unknown> | undefined;
      if (calibrate) {
        try {
          const fitted = await calibrate(result.modelDir);
          io.stderr.write(
            `finlabel train: ${calibrationSummary(fitted)}\nReliability on the dev split (every decoded span):\n\n${reliabilityMarkdown(fitted.reliability, fitted.brier).join('\n')}\n`,
          );
          calibration = calibrationBrief(fitted);
        } catch (err) {
          io.stderr.write(`finlabel train: not calibrated (${(err as Error).message}); the model shows raw span scores with threshold 0\n`);
        }
      }
      io.stdout.write(`${JSON.stringify({ modelDir: result.modelDir, ...summary, result, ...(calibration ? { calibration } : {}) }, null, 2)}\n`);
      return leftOut.length > 0 ? 1 : 0;
    } catch (err) {
      if (err instanceof ResponseError && err.code === WorkerErrorCode.cancelled) return stop('cancelled; no model folder was written');
      return stop(`training failed: ${describeFailure(err)}`);
    } finally {
      process.off('SIGINT', onInterrupt);
      jobs.dispose();
      await worker.dispose();
    }
  },
};
