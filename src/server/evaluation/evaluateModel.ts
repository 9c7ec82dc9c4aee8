import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { EvaluationReport, ModelSummary } from '../../common/evaluationReport';
import { CreditConfigError } from '../credit/creditColumns';
import { CsvEncodingError } from '../credit/csvBytes';
import { CsvSyntaxError } from '../credit/csvTable';
import { decodeUtf8File, NotUtf8Error } from '../encoding/utf8File';
import { CreditModelError, loadCreditModel } from '../creditScoring/creditModelFolder';
import type { ScoreBatch } from '../creditScoring/creditProbabilities';
import type { WorkerJobs } from '../worker/workerJobs';
import { evaluateCreditModel } from './creditEvaluation';
import { evaluateEntityModel, type PredictTokenScores } from './entityEvaluation';
import { EntityModelError, loadEntityModelFolder, onnxFileFor, type EntityModelFolder } from '../inference/entityModelFolder';
import { OnnxTokenClassifier } from '../inference/onnxTokenClassifier';
import { EvaluationInputError, readModelCard } from './modelCard';

/** Where predictions come from: ONNX Runtime for entity models (what the editor serves), the worker for credit models. */
export interface ModelPredictors {
  entities(modelDir: string): PredictTokenScores;
  credit(modelDir: string): ScoreBatch;
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
  return err instanceof EvaluationInputError || err instanceof CreditModelError || err instanceof CreditConfigError || err instanceof CsvEncodingError || err instanceof NotUtf8Error || err instanceof CsvSyntaxError;
}

/** The model's training file, read for the credit baseline: as written in card.json, else relative to the model's workspace. */
function trainingFileReader(modelDir: string): (file: string) => Uint8Array | undefined {
  return (file) => {
    // <workspace>/.finlabel/models/<task>/<name>: relative paths in the card are the workspace's or the shell's.
    const candidates = path.isAbsolute(file) ? [file] : [path.resolve(file), path.resolve(modelDir, '..', '..', '..', '..', file)];
    const found = candidates.find((c) => existsSync(c));
    return found ? readFileSync(found) : undefined;
  };
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
    return evaluateEntityModel(model, summary, decodeUtf8File(input.bytes, input.file), input.file, predictors.entities(dir), input.minConfidence);
  }
  const model = loadCreditModel(dir);
  return evaluateCreditModel(model, card, summary, input.bytes, input.file, predictors.credit(dir), {
    threshold: input.threshold,
    labelColumn: input.labelColumn,
    readTrainingFile: trainingFileReader(dir),
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
      return async (batch) => {
        classifier ??= (async () => {
          const model = loadEntityModelFolder(modelDir);
          return OnnxTokenClassifier.create(onnxFileFor(model, 'auto'), model.scheme.names.length, model.tokenizer.special.pad);
        })();
        return (await (await classifier).run(batch)).logProbs;
      };
    },
    credit: (modelDir) => async (batch) => (await jobs.scoreCredit({ modelDir, batch })).probabilities,
  };
}
