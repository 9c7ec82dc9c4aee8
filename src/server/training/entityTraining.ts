import { createHash } from 'node:crypto';
import type { LabelSchema } from '../../common/labelSchema';
import type { BaseModel, EntityTrainParams, TrainHyperparameters } from '../../common/workerProtocol';
import { planSplit } from '../analysis/split';
import { parseDataset } from '../dataset/datasetFile';
import { BioScheme } from '../entities/bioScheme';
import { encodeEntitySplit, type EncodedEntitySplit } from '../entities/entityDataset';
import type { EntityLabel } from '../entities/entityEncoding';
import { spanShapesOf } from '../entities/spanShapes';
import { scratchRegularisation, scratchSchedule } from './scratchSchedule';
import { baseWordSegmenter } from './baseModels';
import { WORD_SEGMENTER_FILE } from '../tokenization/wordSegmenter';
import { DEFAULT_WINDOW_OPTIONS, type WindowOptions } from '../entities/tokenWindows';
import { BertTokenizer } from '../tokenization/bertTokenizer';
import { loadTokenizerFolder, TOKENIZER_CONFIG_FILE, TOKENIZER_FILE } from '../tokenization/tokenizerFolder';
import type { LabelledText } from './labelledRecordScores';

/** labels.json of an entity model: the BIO tag of each label id and the schema types behind them. */
export interface EntityModelLabels {
  bio: string[];
  /**
   * For a type with training labels, `shortestSpan`: the fewest code points of its spans there, and
   * `numeralInEverySpan` when each held a digit or numeral (spanShapes.ts).
   */
  types: { name: string; tag: string; color: string; shortestSpan?: number; numeralInEverySpan?: true }[];
}

/** labels.json for a model of `schema`'s types trained on `train`. */
export function modelLabels(schema: LabelSchema, train: readonly { text: string; labels: readonly EntityLabel[] }[]): EntityModelLabels {
  const shapes = spanShapesOf(train, schema);
  return {
    bio: [...new BioScheme(schema.types).names],
    types: schema.types.map((t) => {
      const shape = shapes.get(t.tag);
      return {
        name: t.name,
        tag: t.tag,
        color: t.color,
        ...(shape ? { shortestSpan: shape.shortest } : {}),
        ...(shape?.numeral ? { numeralInEverySpan: true as const } : {}),
      };
    }),
  };
}

export interface EntityTrainingInput {
  jobId: string;
  /** The dataset JSONL's text and its path (for messages and the card). */
  content: string;
  file: string;
  schema: LabelSchema;
  /** Folder with tokenizer.json + tokenizer_config.json: the base model's, or models/tokenizers/bert-base-chinese. */
  tokenizerDir: string;
  base: BaseModel;
  outDir: string;
  hyper?: TrainHyperparameters;
  /** Share of records held out to pick the best epoch (stratified by entity type). Default 0.1. */
  devRatio?: number;
  /** A dataset JSONL to pick the best epoch with instead of a share of `content` (which then all trains). */
  devContent?: string;
  seed?: number;
  export?: { onnx: boolean; quantize: boolean };
  windows?: WindowOptions;
}

export interface PreparedEntityTraining {
  params: EntityTrainParams;
  dev: EncodedEntitySplit;
  /** The dev split's records as written (text and labels): what the trained model is calibrated on. */
  devRecords: LabelledText[];
  /** Labels left out of training, each with its record's line in the file. */
  problems: string[];
  summary: { records: number; trainRecords: number; devRecords: number; trainExamples: number; devExamples: number };
}

/** An input that cannot be trained on; the message says what is wrong and where. */
export class TrainingInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingInputError';
  }
}

interface NumberedRecord {
  line: number;
  text: string;
  labels: EntityLabel[];
}

/** The records of a split's content (parseDataset's); "labels" that is not a list counts as none. */
function parseRecords(content: string, schema: LabelSchema): NumberedRecord[] {
  return parseDataset(content, schema).records.map(({ line, record }) => ({
    line,
    text: record.text,
    labels: Array.isArray(record.labels) ? (record.labels as EntityLabel[]) : [],
  }));
}

/**
 * Turns a dataset into the worker's `train/entities` request: a stratified train/dev split (the
 * same planner as `finlabel split`), the tokenizer's ids with BIO label ids per token, and the files
 * the model folder needs besides the weights (tokenizer, labels.json, the card's data section).
 */
export function prepareEntityTraining(input: EntityTrainingInput): PreparedEntityTraining {
  const devRatio = input.devContent === undefined ? (input.devRatio ?? 0.1) : 0;
  const seed = input.seed ?? 42;
  let trainPart: NumberedRecord[];
  let devPart: NumberedRecord[];
  if (input.devContent === undefined) {
    const split = planSplit(input.content, { file: input.file, outDir: '', ratios: [1 - devRatio, devRatio], seed, schema: input.schema });
    if (!split.ok) throw new TrainingInputError(split.message);
    // Each part's records carry their line in the input, so that problems name the user's file:line.
    [trainPart, devPart] = split.plan.files.map((f) => parseRecords(f.content, input.schema).map((r, k) => ({ ...r, line: f.sourceLines[k] })));
  } else {
    trainPart = parseRecords(input.content, input.schema);
    devPart = parseRecords(input.devContent, input.schema);
  }
  if (trainPart.length === 0) throw new TrainingInputError(`${input.file}: no records to train on`);

  const loaded = loadTokenizerFolder(input.tokenizerDir);
  const tokenizer = BertTokenizer.from(loaded);
  const scheme = new BioScheme(input.schema.types);
  const windows = input.windows ?? DEFAULT_WINDOW_OPTIONS;
  const segmenter = baseWordSegmenter(input.base);
  const train = encodeEntitySplit(tokenizer, scheme, trainPart, windows, segmenter);
  const dev = encodeEntitySplit(tokenizer, scheme, devPart, windows, segmenter);
  const problems = [
    ...train.problems.map((p) => `${input.file}:${trainPart[p.record].line}: ${p.message}`),
    ...dev.problems.map((p) => `${input.file}:${devPart[p.record].line}: ${p.message}`),
  ];

  const labels = modelLabels(input.schema, trainPart);
  const summary = {
    records: trainPart.length + devPart.length,
    trainRecords: trainPart.length,
    devRecords: devPart.length,
    trainExamples: train.examples.length,
    devExamples: dev.examples.length,
  };
  const params: EntityTrainParams = {
    jobId: input.jobId,
    // The small BiLSTM is regularised for its data's size unless the base says otherwise (scratchSchedule.ts).
    base: input.base.kind === 'tiny' && input.base.architecture === 'bilstm' ? { ...scratchRegularisation(train.examples.length), ...input.base } : input.base,
    labels: [...scheme.names],
    train: train.examples,
    dev: dev.examples,
    // A model from random weights gets a schedule sized in steps for its data (scratchSchedule.ts).
    hyper: { seed, ...(input.base.kind === 'tiny' ? scratchSchedule(train.examples.length, input.hyper) : input.hyper) },
    export: input.export ?? { onnx: true, quantize: false },
    output: {
      dir: input.outDir,
      files: {
        [TOKENIZER_FILE]: loaded.files[TOKENIZER_FILE],
        [TOKENIZER_CONFIG_FILE]: loaded.files[TOKENIZER_CONFIG_FILE],
        'labels.json': `${JSON.stringify(labels, null, 2)}\n`,
        // The model reads the segmenter's words: it travels with the model, as its tokenizer does.
        ...(segmenter ? { [WORD_SEGMENTER_FILE]: segmenter.fileText } : {}),
      },
      card: {
        task: 'entities',
        data: {
          file: input.file,
          sha256: createHash('sha256').update(input.content).digest('hex'),
          split: { devRatio, seed, ...summary },
          labelsLeftOut: problems.length,
        },
        labels: labels.types,
        tokenizer: input.tokenizerDir,
        ...(segmenter ? { wordSegmenter: segmenter.file } : {}),
        windows,
      },
    },
  };
  return { params, dev, devRecords: devPart.map((r) => ({ id: `line ${r.line}`, text: r.text, labels: r.labels })), problems, summary };
}
