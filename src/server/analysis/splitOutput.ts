import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SplitPlan } from './split';

export type WriteSplitResult = { ok: true } | { ok: false; message: string; wouldOverwrite: string[] };

async function sizeOf(path: string): Promise<{ kind: 'missing' } | { kind: 'file'; size: number } | { kind: 'other' }> {
  try {
    const s = await stat(path);
    return s.isFile() ? { kind: 'file', size: s.size } : { kind: 'other' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw err;
  }
}

/**
 * Writes a planned split. Refuses to overwrite a non-empty split file unless `force`, and always
 * refuses to overwrite the input itself. Each file is written next to its target and renamed over
 * it, so an interrupted run leaves no half-written split.
 */
export async function writeSplit(plan: SplitPlan, options: { force: boolean; inputPath?: string }): Promise<WriteSplitResult> {
  const outDir = plan.summary.outDir;
  const dir = await sizeOf(outDir);
  if (dir.kind === 'file') return { ok: false, message: `${outDir} is a file, not a folder`, wouldOverwrite: [] };
  const input = options.inputPath === undefined ? undefined : resolve(options.inputPath);
  const clash = plan.files.find((f) => resolve(f.path) === input);
  if (clash) return { ok: false, message: `${clash.path} is the input file: choose another output folder`, wouldOverwrite: [] };
  const existing: string[] = [];
  for (const f of plan.files) {
    const target = await sizeOf(f.path);
    if (target.kind === 'other') return { ok: false, message: `${f.path} exists and is not a file`, wouldOverwrite: [] };
    if (target.kind === 'file' && target.size > 0) existing.push(f.path);
  }
  if (existing.length > 0 && !options.force) {
    return {
      ok: false,
      message: `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} and would be overwritten`,
      wouldOverwrite: existing,
    };
  }
  await mkdir(outDir, { recursive: true });
  for (const f of plan.files) {
    const temp = `${f.path}.${process.pid}.tmp`;
    await writeFile(temp, f.content, 'utf8');
    await rename(temp, f.path);
  }
  return { ok: true };
}
