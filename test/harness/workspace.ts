import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Copies the repo's samples/ to `dest` (tests must not modify the originals) and writes workspace settings. */
export function prepareWorkspace(repoRoot: string, dest: string, settings: Readonly<Record<string, unknown>>): string {
  const samples = join(repoRoot, 'samples');
  mkdirSync(dest, { recursive: true });
  if (existsSync(samples)) cpSync(samples, dest, { recursive: true });
  const settingsFile = join(dest, '.vscode', 'settings.json');
  const existing = existsSync(settingsFile) ? (JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>) : {};
  mkdirSync(join(dest, '.vscode'), { recursive: true });
  writeFileSync(settingsFile, `${JSON.stringify({ ...existing, ...settings }, null, 2)}\n`);
  return dest;
}

/** Workspace settings pointing the worker at the repo's .venv, when there is one. */
export function interpreterSettings(repoRoot: string): Record<string, unknown> {
  const python = join(repoRoot, '.venv', 'bin', 'python');
  return existsSync(python) ? { 'finlabel.python.interpreterPath': python } : {};
}

/**
 * Settings of the suites' workspace: background retraining is off, since a retrain swapping the active
 * model under the other suites would change what they see; its own suite (backgroundRetraining.test.ts)
 * turns it on.
 */
export const SUITE_SETTINGS: Readonly<Record<string, unknown>> = { 'finlabel.backgroundRetraining.enabled': false };
