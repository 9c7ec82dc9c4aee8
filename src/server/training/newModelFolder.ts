/** Where a model that is about to be trained is written: a new folder under the workspace's .finlabel/models. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ancestorFolders } from '../workspace/workspacePaths';

/** The workspace a data file belongs to: the nearest folder above it holding .finlabel/, else its own folder. */
export function workspaceOf(dataFile: string): string {
  const dir = path.dirname(path.resolve(dataFile));
  return ancestorFolders(dir).find((d) => existsSync(path.join(d, '.finlabel'))) ?? dir;
}

/** The new model's folder when none is given: <workspace of the data file>/.finlabel/models/<task>/<dataset name>-<date>-<time>. */
export function newModelFolder(dataFile: string, task: 'entities' | 'credit', now: Date = new Date()): string {
  return newModelFolderIn(workspaceOf(dataFile), dataFile, task, now);
}

/** The new model's folder in a given workspace folder: <workspace>/.finlabel/models/<task>/<dataset name>-<date>-<time>. */
export function newModelFolderIn(workspace: string, dataFile: string, task: 'entities' | 'credit', now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const name = path.basename(dataFile).replace(/\.[^.]+$/, '');
  return path.join(workspace, '.finlabel', 'models', task, `${name}-${stamp}`);
}
