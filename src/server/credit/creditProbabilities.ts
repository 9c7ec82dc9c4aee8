import { RecentCache } from '../dataset/recentCache';

/** Asks the model for P(违约) of each tokenized prompt, in order. */
export type ScoreBatch = (batch: number[][]) => Promise<number[]>;

/** Prompts sent to the worker per request: big enough to keep a GPU busy, small enough to show progress. */
export const SCORE_REQUEST_ROWS = 256;

export interface PromptToScore {
  prompt: string;
  inputIds: number[];
}

/**
 * P(违约) per prompt text for one model: a row whose prompt is unchanged is never scored twice, so
 * an edit rescores only the rows it changed. The prompt is the key because it is all the model sees.
 */
export class CreditProbabilities {
  private readonly cache: RecentCache<string, number>;

  constructor(
    readonly modelKey: string,
    capacity = 200_000,
  ) {
    this.cache = new RecentCache(capacity);
  }

  get(prompt: string): number | undefined {
    return this.cache.get(prompt);
  }

  /**
   * Scores the prompts not cached yet, SCORE_REQUEST_ROWS at a time, calling `afterBatch` after each
   * request (to show the scores so far); stops early when `stale()` says the caller no longer needs them.
   * Returns how many prompts were sent.
   */
  async fill(rows: readonly PromptToScore[], score: ScoreBatch, options: { stale?: () => boolean; afterBatch?: () => void } = {}): Promise<number> {
    const pending = new Map<string, number[]>();
    for (const r of rows) if (!this.cache.has(r.prompt) && !pending.has(r.prompt)) pending.set(r.prompt, r.inputIds);
    const todo = [...pending];
    let sent = 0;
    for (let start = 0; start < todo.length; start += SCORE_REQUEST_ROWS) {
      if (options.stale?.()) break;
      const chunk = todo.slice(start, start + SCORE_REQUEST_ROWS);
      const probabilities = await score(chunk.map(([, ids]) => ids));
      if (probabilities.length !== chunk.length) throw new Error(`the worker returned ${probabilities.length} probabilities for ${chunk.length} prompts`);
      chunk.forEach(([prompt], i) => this.cache.set(prompt, probabilities[i]));
      sent += chunk.length;
      options.afterBatch?.();
    }
    return sent;
  }
}
