/** The split ratios' rules, shared by `finlabel split`, the server and the extension's input box. */
import type { SplitName } from './datasetReports';

/** File names by the number of ratios: 2 ratios give train/test, 3 give train/dev/test. */
export function splitNames(count: number): SplitName[] {
  return count === 2 ? ['train', 'test'] : ['train', 'dev', 'test'];
}

/** The ratios' problem, or undefined when they are 2 or 3 positive numbers summing to 1. */
export function ratiosProblem(ratios: readonly number[]): string | undefined {
  if (ratios.length !== 2 && ratios.length !== 3) return `give 2 ratios (train,test) or 3 (train,dev,test), not ${ratios.length}`;
  if (ratios.some((r) => !Number.isFinite(r) || r <= 0)) return `every ratio must be a number above 0, got ${ratios.join(',')}`;
  const sum = ratios.reduce((s, r) => s + r, 0);
  if (Math.abs(sum - 1) > 1e-6) return `the ratios must sum to 1, got ${ratios.join(' + ')} = ${Number(sum.toFixed(6))}`;
  return undefined;
}

/** Parses "0.8,0.1,0.1". */
export function parseRatios(text: string): { ok: true; ratios: number[] } | { ok: false; message: string } {
  const parts = text.split(',').map((p) => p.trim());
  const ratios = parts.map((p) => (/^(\d+(\.\d*)?|\.\d+)$/.test(p) ? Number(p) : NaN));
  const bad = parts.find((_, i) => Number.isNaN(ratios[i]));
  if (bad !== undefined) return { ok: false, message: `"${bad}" in "${text}" is not a number above 0` };
  const problem = ratiosProblem(ratios);
  return problem ? { ok: false, message: problem } : { ok: true, ratios };
}
