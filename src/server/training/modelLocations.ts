import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** Folders from `from` up to the filesystem root. */
function ancestors(from: string): string[] {
  const out: string[] = [];
  for (let d = path.resolve(from); ; d = path.dirname(d)) {
    out.push(d);
    if (path.dirname(d) === d) return out;
  }
}

/** The shipped models/ folder: next to the bundled server or CLI (the extension's root), or the repository's. */
export function shippedModelsDir(from: string = __dirname): string | undefined {
  return ancestors(from)
    .map((d) => path.join(d, 'models'))
    .find((d) => existsSync(path.join(d, 'tokenizers')));
}

/** The tokenizer the small models built from a config use: the real vocabularies, shipped in models/tokenizers. */
export function shippedTokenizerDir(name: 'bert-base-chinese' | 'qwen2', from: string = __dirname): string | undefined {
  const models = shippedModelsDir(from);
  return models ? path.join(models, 'tokenizers', name) : undefined;
}

/** The workspace a data file belongs to: the nearest folder above it holding .finlabel/, else its own folder. */
export function workspaceOf(dataFile: string): string {
  const dir = path.dirname(path.resolve(dataFile));
  return ancestors(dir).find((d) => existsSync(path.join(d, '.finlabel'))) ?? dir;
}

/** Where a new model goes by default: <workspace>/.finlabel/models/<task>/<dataset name>-<date>-<time>. */
export function defaultModelDir(dataFile: string, task: 'entities' | 'credit', now: Date = new Date()): string {
  return modelDirIn(workspaceOf(dataFile), dataFile, task, now);
}

/** A new model's folder in a given workspace folder: <workspace>/.finlabel/models/<task>/<dataset name>-<date>-<time>. */
export function modelDirIn(workspace: string, dataFile: string, task: 'entities' | 'credit', now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const name = path.basename(dataFile).replace(/\.[^.]+$/, '');
  return path.join(workspace, '.finlabel', 'models', task, `${name}-${stamp}`);
}
