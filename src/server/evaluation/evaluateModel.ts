import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { TRAINING_DATA_NOTE, type EvaluationReport, type ModelSummary } from '../../common/evaluationReport';
import { CreditConfigError } from '../credit/creditColumns';
import { trainingFileReader } from '../credit/trainingSplit';
import { CsvEncodingError } from '../credit/csvBytes';
import { CsvSyntaxError } from '../credit/csvTable';
import { decodeUtf8File, NotUtf8Error } from '../encoding/utf8File';
import { CreditModelError, loadCreditModel } from '../credit/creditModelFolder';
import type { ScoreBatch } from '../credit/creditProbabilities';
import type { WorkerJobs } from '../worker/workerJobs';
import type { FitGbdt } from './creditBaselines';
import { evaluateCreditModel } from './creditEvaluation';
import { evaluateEntityModel, type PredictTokenScores } from './entityEvaluation';
import { EntityModelError, loadEntityModelFolder, onnxFileFor, type EntityModelFolder } from '../inference/entityModelFolder';
import { OnnxTokenClassifier } from '../inference/onnxTokenClassifier';
import { EvaluationInputError, readModelCard } from './modelCard';

/** Where predictions come from: ONNX Runtime for entity models (what the editor serves), the worker for credit models. */
export interface ModelPredictors {
  entities(modelDir: string): PredictTokenScores;
  credit(modelDir: string): ScoreBatch;
  /** The GBDT baseline's LightGBM (in the worker); absent: no GBDT in the report. */
  gbdt?: FitGbdt;
}

export interface EvaluateModelInput {
  modelDir: string;
  /** The data file's path (for messages, and to tell the model's own training file) and its bytes. */
  file: string;
  bytes: Uint8Array;
  threshold?: number;
  /** Entities: a confidence threshold instead of the card's. */
  minConfidence?: number;
  labelColumn?: string;
}

/** Errors that mean "this input cannot be evaluated", with a message naming the file. */
export function isEvaluationInputError(err: unknown): err is Error {
  return (
    err instanceof EvaluationInputError ||
    err instanceof CreditModelError ||
    err instanceof CreditConfigError ||
    err instanceof CsvEncodingError ||
    err instanceof NotUtf8Error ||
    err instanceof CsvSyntaxError
  );
}

/** Evaluates a model folder (entities or credit, as its card.json says) on a data file. */
export async function evaluateModel(input: EvaluateModelInput, predictors: ModelPredictors): Promise<EvaluationReport> {
  const dir = path.resolve(input.modelDir);
  if (!existsSync(dir)) throw new EvaluationInputError(`${dir}: the model folder does not exist`);
  const card = readModelCard(dir);
  const summary: ModelSummary = { dir, task: card.task, trainedOn: card.data.file, training: card.training };
  if (card.task === 'entities') {
    if (input.labelColumn !== undefined) throw new EvaluationInputError('--label is for credit models (the 0/1 column of a CSV)');
    let model: EntityModelFolder;
    try {
      model = loadEntityModelFolder(dir);
    } catch (err) {
      if (err instanceof EntityModelError) throw new EvaluationInputError(err.message);
      throw err;
    }
    const report = await evaluateEntityModel(
      model,
      summary,
      decodeUtf8File(input.bytes, input.file),
      input.file,
      predictors.entities(dir),
      input.minConfidence,
    );
    const trained = trainingDataNote(card.data, input.bytes, input.file);
    return trained ? { ...report, notes: [trained, ...report.notes] } : report;
  }
  const model = loadCreditModel(dir);
  return evaluateCreditModel(model, card, summary, input.bytes, input.file, predictors.credit(dir), {
    threshold: input.threshold,
    labelColumn: input.labelColumn,
    readTrainingFile: trainingFileReader(dir),
    fitGbdt: predictors.gbdt,
  });
}

/**
 * Entity predictions from the folder's model.onnx in ONNX Runtime (the model as the editor serves it;
 * no Python needed), credit scores from the worker's score/credit.
 */
export function standardPredictors(jobs: WorkerJobs): ModelPredictors {
  return {
    entities: (modelDir) => {
      let classifier: Promise<OnnxTokenClassifier> | undefined;
      return async (batch, wordBoundaries) => {
        classifier ??= (async () => {
          const model = loadEntityModelFolder(modelDir);
          return OnnxTokenClassifier.create(
            onnxFileFor(model, 'auto'),
            model.scheme.names.length,
            model.tokenizer.special.pad,
            undefined,
            model.segmenter !== undefined,
          );
        })();
        return (await (await classifier).run(batch, wordBoundaries)).logProbs;
      };
    },
    credit: (modelDir) => async (batch) => (await jobs.scoreCredit({ modelDir, batch })).probabilities,
    gbdt: (params) => jobs.gbdtBaseline(params),
  };
}

/**
 * An entity model evaluated on the file it was trained on (card.json's sha256, or its path) scores
 * its own training records: said first in the report's notes, so the figures are not taken for a test.
 */
export function trainingDataNote(data: { file: string | null; sha256: string | null }, bytes: Uint8Array, file: string): string | undefined {
  const text = Buffer.from(bytes).toString('utf8');
  if (data.sha256 !== null && createHash('sha256').update(text).digest('hex') === data.sha256) {
    return `${TRAINING_DATA_NOTE} this is the data the model was trained on (the bytes card.json's sha256 names): most of these records were training records, so the figures overstate what the model does on new text. Evaluate on records it did not train on (finlabel split keeps a test file apart).`;
  }
  if (data.file !== null && path.resolve(data.file) === path.resolve(file)) {
    return `${TRAINING_DATA_NOTE} the model was trained on an earlier version of this file (${data.file}): the records it had then were training records, so the figures overstate what the model does on new text.`;
  }
  return undefined;
}
