// What the bad-input suites of both tiers share (test/unit/badInput.test.ts runs the CLI in process,
// test/processes/badInput.test.ts the real CLI, the worker and the language server): the suite's files
// and the checks of what `finlabel` prints.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fiveMegabyteLine, hundredThousandEmptyLines, JSONL_KINDS, Rng, type BadFile, type Badness } from './badInput';
import { runFinlabel } from './cliRun';
import { RAW_CONTROL } from './terminalControls';

export const CRASH_SIGNS = [
  /Maximum call stack/,
  /\[object Object\]/,
  /Cannot read properties/,
  /\bat .*\.[jt]s:\d+:\d+/,
  /TypeError|RangeError|ReferenceError/,
];

export type Run = Awaited<ReturnType<typeof runFinlabel>>;
export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
export const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
export const linesOf = (bad: BadFile['bad'], ...kinds: Badness[]): number[] => bad.filter((b) => kinds.includes(b.badness)).map((b) => b.line);
export const sorted = (xs: Iterable<number>): number[] => [...new Set(xs)].sort((a, b) => a - b);
export const describeBad = (file: BadFile): string => file.bad.map((b) => `line ${b.line}: ${b.what}`).join('; ');

/** Runs `finlabel ARGS` and checks what reaches the terminal: no crash, no stack, no raw control character. */
export async function finlabel(args: string[]): Promise<Run> {
  let r: Run;
  try {
    r = await runFinlabel(args);
  } catch (err) {
    assert.fail(`finlabel ${args.join(' ')} crashed: ${(err as Error).stack ?? String(err)}`);
  }
  const printed = r.stdout + r.stderr;
  const at = RAW_CONTROL.exec(printed);
  assert.equal(
    at,
    null,
    `finlabel ${args[0]} printed a raw U+${at?.[0].charCodeAt(0).toString(16).padStart(4, '0')}: ${JSON.stringify(printed.slice(Math.max(0, (at?.index ?? 0) - 80), (at?.index ?? 0) + 40))}`,
  );
  for (const sign of CRASH_SIGNS) assert.doesNotMatch(printed, sign, `finlabel ${args.join(' ')}:\n${printed.slice(0, 2000)}`);
  assert.ok([0, 1, 2].includes(r.code), `exit ${r.code}`);
  return r;
}

/** The lines `FILE:LINE: ...` of the output name, for `file`. */
export function reportedLines(output: string, file: string): number[] {
  return sorted([...output.matchAll(new RegExp(`^${escapeRe(file)}:(\\d+): `, 'gm'))].map((m) => Number(m[1])));
}

/** The dataset lines of a JSONL file as split, export and import write them (blank lines dropped). */
export const jsonlLines = (text: string): string[] => text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '');

/** A file's first line that is not UTF-8, when it has one: every command refuses the whole file there. */
export const refusedAt = (file: BadFile): number | undefined => linesOf(file.bad, 'not-utf8')[0];

export interface Written {
  path: string;
  file: BadFile;
  sha: string;
}

export function write(dir: string, file: BadFile): Written {
  const path = join(dir, file.name);
  writeFileSync(path, file.bytes);
  return { path, file, sha: sha256(file.bytes) };
}

/** The suite's folder and its JSONL files (made when the suite is defined). */
export function badInputFiles(seed: number): { dir: string; rngFor: (k: number) => Rng; jsonlFiles: BadFile[]; written: Map<string, Written> } {
  const dir = mkdtempSync(join(tmpdir(), 'finlabel-bad-input-'));
  // Each file draws from its own generator: one file is the same whichever tests run.
  const rngFor = (k: number): Rng => new Rng(seed * 97 + k);
  const jsonlFiles: BadFile[] = [...JSONL_KINDS, fiveMegabyteLine, hundredThousandEmptyLines].map((kind, k) => kind(rngFor(k)));
  return { dir, rngFor, jsonlFiles, written: new Map<string, Written>() };
}
