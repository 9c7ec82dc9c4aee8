import { Rng } from '../util/prng';

export interface IndexSplit {
  /** Row indexes, ascending. */
  train: number[];
  test: number[];
}

/**
 * Stratified train/test split of binary labels (the original blog post's 8:2, random seed 42): each class is shuffled with
 * the project's seeded PRNG (mulberry32, class 0 first, then class 1) and round(n_c * testRatio) of its
 * rows go to test. Deterministic on every platform; not the same rows as scikit-learn's split.
 */
export function stratifiedSplit(labels: readonly (0 | 1)[], testRatio = 0.2, seed = 42): IndexSplit {
  if (!(testRatio > 0 && testRatio < 1)) throw new RangeError(`test ratio ${testRatio} must be between 0 and 1`);
  const rng = new Rng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of [0, 1] as const) {
    const members = rng.shuffle(labels.flatMap((l, i) => (l === cls ? [i] : [])));
    const k = Math.round(members.length * testRatio);
    test.push(...members.slice(0, k));
    train.push(...members.slice(k));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}
