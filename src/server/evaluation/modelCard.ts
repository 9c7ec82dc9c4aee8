import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { EpochPoint, TrainingCurves } from '../../common/evaluationReport';

/** A model folder that cannot be evaluated; the message names the file and what is wrong. */
export class EvaluationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationInputError';
  }
}

/** What the evaluation reads from a model folder's card.json (written by training). */
export interface ModelCard {
  task: 'entities' | 'credit';
  data: {
    file: string | null;
    sha256: string | null;
    /** Credit: the split of training. */
    split: { testRatio: number; seed: number } | null;
  };
  training: TrainingCurves | null;
  raw: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function trainingCurves(training: unknown, task: ModelCard['task']): TrainingCurves | null {
  if (!isObject(training) || !Array.isArray(training.epochs)) return null;
  const epochs: EpochPoint[] = training.epochs.flatMap((e: unknown) =>
    isObject(e) && typeof e.epoch === 'number' && typeof e.trainLoss === 'number'
      ? [{ epoch: e.epoch, trainLoss: e.trainLoss, devMetric: typeof e.devMetric === 'number' ? e.devMetric : null }]
      : [],
  );
  const name = typeof training.devMetricName === 'string' ? training.devMetricName : task === 'credit' ? 'ROC-AUC' : 'micro span F1';
  return { devMetricName: name, epochs, bestEpoch: typeof training.bestEpoch === 'number' ? training.bestEpoch : null };
}

/** Reads <dir>/card.json; the task comes from its "task" (entities or credit). */
export function readModelCard(dir: string): ModelCard {
  const file = path.join(dir, 'card.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new EvaluationInputError(`${file}: not found; a FinLabel model folder has the card.json its training wrote`);
  }
  let card: unknown;
  try {
    card = JSON.parse(text);
  } catch (err) {
    throw new EvaluationInputError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(card)) throw new EvaluationInputError(`${file}: must hold a JSON object`);
  const task = card.task;
  if (task !== 'entities' && task !== 'credit') throw new EvaluationInputError(`${file}: "task" is ${JSON.stringify(task)}; expected "entities" or "credit"`);
  const data = isObject(card.data) ? card.data : {};
  const split = isObject(data.split) ? data.split : undefined;
  return {
    task,
    data: {
      file: typeof data.file === 'string' ? data.file : null,
      sha256: typeof data.sha256 === 'string' ? data.sha256 : null,
      split: split && typeof split.testRatio === 'number' && typeof split.seed === 'number' ? { testRatio: split.testRatio, seed: split.seed } : null,
    },
    training: trainingCurves(card.training, task),
    raw: card,
  };
}
