/** The line the tests module prints with mocha's counts, and the runners that read it. */
export const RESULT_MARKER = 'FINLABEL_MOCHA_RESULT';

export interface MochaCounts {
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
}

export function formatResultLine(counts: MochaCounts): string {
  return `${RESULT_MARKER} ${JSON.stringify(counts)}`;
}

/** The counts from a line printed by formatResultLine (possibly with a log prefix), else undefined. */
export function parseResultLine(line: string): MochaCounts | undefined {
  const at = line.indexOf(RESULT_MARKER);
  if (at < 0) return undefined;
  const match = /\{[^}]*\}/.exec(line.slice(at + RESULT_MARKER.length));
  if (!match) return undefined;
  try {
    const value = JSON.parse(match[0]) as Partial<Record<keyof MochaCounts, unknown>>;
    const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    return { passed: num(value.passed), failed: num(value.failed), pending: num(value.pending) };
  } catch {
    return undefined;
  }
}
