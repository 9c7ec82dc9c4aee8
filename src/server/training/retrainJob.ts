/**
 * One background retrain, as policy: what it trains from and with which settings (retrainJob), and
 * whether the trained model replaces the active one (reviewRetrained). The language server
 * (backgroundRetraining.ts) and the simulated-annotator benchmark both run exactly this.
 */
import type { TrainingBase } from '../../common/lspProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import type { TrainHyperparameters } from '../../common/workerProtocol';
import { BioScheme } from '../entities/bioScheme';
import { EntityPredictor } from '../inference/entityPredictor';
import { evaluateRecords, type LabelledText } from './labelledRecordScores';
import { retrainBase } from './retrainBase';

/** Steps an active model is trained further for (its time budget usually ends it first on a CPU). */
const CONTINUED_TARGET_STEPS = 400;
const CONTINUED_BATCH_SIZE = 16;
/** Share of those steps that run before early stopping may end the retrain. */
const CONTINUED_MIN_STEPS_SHARE = 0.5;

export interface RetrainJob {
  base: TrainingBase;
  hyper: TrainHyperparameters;
  /** Why this base, for the log. */
  reason: string;
}

/**
 * The retrain of `records` labelled records for `schema`'s types, after the active model `activeDir`:
 * at most `trainingSeconds` of training on one thread. A model from scratch gets the worker's schedule
 * for its size (scratchSchedule.ts); an active model trained further gets about CONTINUED_TARGET_STEPS.
 */
export function retrainJob(activeDir: string | undefined, schema: LabelSchema, records: number, trainingSeconds: number): RetrainJob {
  const base = retrainBase(activeDir, [...new BioScheme(schema.types).names]);
  const hyper: TrainHyperparameters = { maxSeconds: trainingSeconds, threads: 1 };
  if (base.base.kind === 'folder') {
    const stepsPerEpoch = Math.max(1, Math.ceil(records / CONTINUED_BATCH_SIZE));
    const epochs = Math.min(50, Math.max(3, Math.ceil(CONTINUED_TARGET_STEPS / stepsPerEpoch)));
    // A small dev split is flat for epochs at a time: without a minimum, patience ended most retrains after a few dozen steps.
    Object.assign(hyper, { batchSize: CONTINUED_BATCH_SIZE, epochs, patience: 3, minSteps: Math.round(CONTINUED_MIN_STEPS_SHARE * epochs * stepsPerEpoch) });
    if (base.learningRate !== undefined) hyper.learningRate = base.learningRate;
  }
  return { base: base.base, hyper, reason: base.reason };
}

/** The strict micro F1 of a model's predictions (as shown: calibrated, thresholded) on labelled records. */
export async function devF1(records: readonly LabelledText[], schema: LabelSchema, predictor: EntityPredictor): Promise<number> {
  const evaluation = await evaluateRecords(records, schema, async (text) => (await predictor.predict(text)).spans);
  // F1 is undefined when a denominator is 0: nothing to find and nothing found is right; anything else is 0.
  const { f1, precision, recall } = evaluation.micro;
  return f1 ?? (precision === null && recall === null ? 1 : 0);
}

export type RetrainReview =
  { comparable: true; swap: boolean; devF1: { active: number | null; retrained: number }; records: number } | { comparable: false; swap: false; records: 0 };

/**
 * Whether the retrained model in `modelDir` replaces `active`: both predict the retrain's dev records
 * as the editor would, and the retrained one wins unless its strict F1 is lower. Labels of types the
 * schema does not know are left out (training left them out too).
 */
export async function reviewRetrained(
  modelDir: string,
  devRecords: readonly LabelledText[],
  schema: LabelSchema,
  active: EntityPredictor | undefined,
): Promise<RetrainReview> {
  const known = devRecords.map((r) => ({ ...r, labels: r.labels.filter((l) => schema.resolve(l.entity) !== undefined) }));
  if (known.length === 0) return { comparable: false, swap: false, records: 0 };
  const retrainedPredictor = await EntityPredictor.load(modelDir, { precision: 'auto' });
  let retrained: number;
  try {
    retrained = await devF1(known, schema, retrainedPredictor);
  } finally {
    await retrainedPredictor.release();
  }
  const activeF1 = active ? await devF1(known, schema, active) : null;
  return { comparable: true, swap: activeF1 === null || retrained >= activeF1, devF1: { active: activeF1, retrained }, records: known.length };
}
