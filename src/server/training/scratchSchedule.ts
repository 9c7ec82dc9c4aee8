/**
 * Training settings for an entity model built from random weights, scaled to the data. A model from
 * scratch needs a few thousand optimizer steps before it finds entities at all: a fixed number of
 * epochs gives a 400-record set a hundred steps and stops there. So the run is sized in steps (small
 * sets get many epochs, large ones few), early stopping may not end it before a share of those steps
 * has run (and the worker never stops while the best dev figure is 0: train_common.should_stop), and
 * the learning rate warms up first. Whatever the user set explicitly wins.
 */
import type { TrainHyperparameters } from '../../common/workerProtocol';

/** Optimizer steps a run from scratch is sized for. */
export const SCRATCH_TARGET_STEPS = 3000;
/** Share of the planned steps that run before early stopping may end the run. */
export const SCRATCH_MIN_STEPS_SHARE = 0.5;
export const SCRATCH_EPOCH_RANGE = { min: 5, max: 100 } as const;
/** The small BiLSTM learns best with a large step (bench/README.md, small CPU model). */
export const SCRATCH_LEARNING_RATE = 5e-3;
/**
 * Epochs judged by their mean dev F1 over this many evaluations: on a few hundred dev records the
 * figure moves several points between epochs by chance, and the best single epoch was often an early,
 * lucky one (bench/README.md, small CPU model).
 */
export const SCRATCH_SELECTION_WINDOW = 3;

export function scratchSchedule(trainExamples: number, asked: TrainHyperparameters = {}): TrainHyperparameters {
  const batchSize = asked.batchSize ?? (trainExamples < 2000 ? 16 : 32);
  const stepsPerEpoch = Math.max(1, Math.ceil(trainExamples / batchSize));
  const epochs = asked.epochs ?? Math.min(SCRATCH_EPOCH_RANGE.max, Math.max(SCRATCH_EPOCH_RANGE.min, Math.ceil(SCRATCH_TARGET_STEPS / stepsPerEpoch)));
  return {
    learningRate: SCRATCH_LEARNING_RATE,
    warmupRatio: 0.06,
    patience: 5,
    minSteps: Math.round(SCRATCH_MIN_STEPS_SHARE * epochs * stepsPerEpoch),
    selectionWindow: SCRATCH_SELECTION_WINDOW,
    ...asked,
    batchSize,
    epochs,
  };
}

/**
 * How strongly the small BiLSTM is regularised for `trainExamples`: strongly for small sets (dropout
 * 0.5, token dropout 0.1), lightly for large ones (0.3 and 0.05), interpolated on the log of the size
 * between the two. On CLUENER (bench/README.md, small CPU model) the light setting lost 0.016 of dev F1
 * from 1,000 records and the strong one 0.025 from all 10,748.
 */
export const SCRATCH_REGULARISATION = {
  small: { examples: 1000, dropout: 0.5, tokenDropout: 0.1 },
  large: { examples: 8000, dropout: 0.3, tokenDropout: 0.05 },
} as const;

export function scratchRegularisation(trainExamples: number): { dropout: number; tokenDropout: number } {
  const { small, large } = SCRATCH_REGULARISATION;
  const t = Math.min(1, Math.max(0, Math.log(trainExamples / small.examples) / Math.log(large.examples / small.examples)));
  const between = (a: number, b: number): number => Number((a + (b - a) * t).toFixed(4));
  return { dropout: between(small.dropout, large.dropout), tokenDropout: between(small.tokenDropout, large.tokenDropout) };
}
