import { createHash } from 'node:crypto';
import type { BaseModel, CreditTrainParams, LoraSettings, TrainHyperparameters } from '../../common/workerProtocol';
import { prepareCreditDataset, type CreditDatasetOptions, type CreditPromptSettings, type PreparedCreditDataset } from '../credit/creditDataset';
import { loadTokenizerFolder, TOKENIZER_CONFIG_FILE, TOKENIZER_FILE } from '../tokenization/tokenizerFolder';
import { TrainingInputError } from './entityTraining';

/** The file of a credit model folder that turns new rows into prompts exactly as in training. */
export const PROMPT_SETTINGS_FILE = 'prompt.json';

export interface CreditTrainingInput {
  jobId: string;
  /** The CSV's bytes (UTF-8, UTF-8 with BOM or GBK) and its path. */
  bytes: Uint8Array;
  file: string;
  /** Folder with tokenizer.json: the Qwen base's own, or models/tokenizers/qwen2 for a tiny base. */
  tokenizerDir: string;
  base: BaseModel;
  outDir: string;
  dataset?: CreditDatasetOptions;
  lora?: LoraSettings;
  hyper?: TrainHyperparameters;
  memory?: CreditTrainParams['memory'];
}

export interface PreparedCreditTraining {
  params: CreditTrainParams;
  dataset: PreparedCreditDataset;
  /** Rows left out or cells imputed, each naming its line and column. */
  problems: string[];
}

/**
 * Turns a credit CSV into the worker's `train/credit` request: the 8:2 stratified split, prompts
 * built from the template with imputation fitted on the training rows only, the Qwen token ids, and
 * the files that let the model score new rows the same way (prompt.json, the tokenizer).
 */
export function prepareCreditTraining(input: CreditTrainingInput): PreparedCreditTraining {
  const tokenizer = loadTokenizerFolder(input.tokenizerDir);
  const dataset = prepareCreditDataset(input.bytes, input.file, tokenizer, input.dataset);
  if (dataset.train.length === 0) throw new TrainingInputError(`${input.file}: no usable rows to train on`);
  if (new Set(dataset.train.map((e) => e.label)).size < 2)
    throw new TrainingInputError(`${input.file}: the training rows hold only one class; the model needs both 0 and 1`);
  const settings: CreditPromptSettings = {
    columns: dataset.columns,
    template: dataset.template,
    imputation: dataset.imputation,
    labelTokenIds: dataset.labelTokenIds,
  };
  const count = (rows: readonly { label: 0 | 1 }[], label: 0 | 1): number => rows.filter((r) => r.label === label).length;
  const params: CreditTrainParams = {
    jobId: input.jobId,
    base: input.base,
    labelTokenIds: dataset.labelTokenIds,
    train: dataset.train,
    dev: dataset.dev,
    lora: input.lora ?? {},
    hyper: { seed: input.dataset?.seed ?? 42, ...input.hyper },
    memory: input.memory ?? {},
    output: {
      dir: input.outDir,
      files: {
        [PROMPT_SETTINGS_FILE]: `${JSON.stringify(settings, null, 2)}\n`,
        [TOKENIZER_FILE]: tokenizer.files[TOKENIZER_FILE],
        [TOKENIZER_CONFIG_FILE]: tokenizer.files[TOKENIZER_CONFIG_FILE],
      },
      card: {
        task: 'credit',
        data: {
          file: input.file,
          encoding: dataset.encoding,
          sha256: createHash('sha256').update(input.bytes).digest('hex'),
          split: {
            testRatio: input.dataset?.testRatio ?? 0.2,
            seed: input.dataset?.seed ?? 42,
            train: { rows: dataset.train.length, defaults: count(dataset.train, 1) },
            dev: { rows: dataset.dev.length, defaults: count(dataset.dev, 1) },
          },
          rowsLeftOut: dataset.problems.length,
        },
        labelColumn: dataset.columns.label.name,
        features: dataset.columns.features.map((f) => f.name),
        tokenizer: input.tokenizerDir,
      },
    },
  };
  return { params, dataset, problems: dataset.problems.map((p) => p.message) };
}
