export interface RestartPolicy {
  /** Most automatic restarts allowed within `windowMs`. */
  maxRestarts: number;
  windowMs: number;
  /** Delay before the n-th automatic restart (n starts at 1). */
  backoffMs: (attempt: number) => number;
}

export const defaultRestartPolicy: RestartPolicy = {
  maxRestarts: 3,
  windowMs: 2 * 60_000,
  backoffMs: (attempt) => Math.min(1000 * 2 ** (attempt - 1), 10_000),
};

/** Counts automatic restarts in a sliding window. */
export class RestartBudget {
  private times: number[] = [];

  constructor(
    private readonly policy: RestartPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Restarts in the current window. */
  get recent(): number {
    const since = this.now() - this.policy.windowMs;
    this.times = this.times.filter((t) => t > since);
    return this.times.length;
  }

  canRestart(): boolean {
    return this.recent < this.policy.maxRestarts;
  }

  /** Delay before the next restart. */
  nextDelayMs(): number {
    return this.policy.backoffMs(this.recent + 1);
  }

  record(): void {
    this.times.push(this.now());
  }

  reset(): void {
    this.times = [];
  }
}
