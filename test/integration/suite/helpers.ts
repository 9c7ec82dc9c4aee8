import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FinLabelTestApi } from '../testApi';
import { EntityPredictor } from '../../../src/server/inference/entityPredictor';

export async function finlabelApi(): Promise<FinLabelTestApi> {
  const ext = vscode.extensions.getExtension<FinLabelTestApi>('finlabel.finlabel');
  assert.ok(ext, 'the FinLabel extension is installed');
  return ext.isActive ? ext.exports : ext.activate();
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Polls until `probe` returns a value that is not undefined/false, or fails after `ms`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

/** The code points of a string: offsets in the dataset format count these. */
export const cp = (s: string): string[] => Array.from(s);

/**
 * The shipped default model, once the editor has it active, loaded here the way the editor serves it
 * (precision auto: the graph its folder serves), so a test can compare what is drawn with what the model predicts.
 */
export async function shippedModelReference(): Promise<EntityPredictor> {
  const api = await finlabelApi();
  const shipped = path.join(vscode.extensions.getExtension('finlabel.finlabel')!.extensionPath, 'models', 'default-entities');
  await waitFor(
    'the shipped model to be active',
    () => api.predictionModel().state === 'ready' && path.resolve(api.predictionModel().dir ?? '') === path.resolve(shipped),
    60_000,
  );
  return EntityPredictor.load(shipped, { threads: 1, precision: 'auto' });
}

/** The processes whose parent is `pid`: [pid, command]. */
export function childrenOf(pid: number): [number, string][] {
  // ps exits 1 when no process matches.
  const ps = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  assert.ok(ps.status === 0 || ps.status === 1, `ps failed: ${ps.stderr}`);
  const out = ps.stdout.trim();
  return out === ''
    ? []
    : out
        .split('\n')
        .map((l) =>
          l
            .trim()
            .split(/\s+(.*)/s)
            .slice(0, 2),
        )
        .map(([p, c]) => [Number(p), c]);
}

/** Whether a process with this id runs. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
