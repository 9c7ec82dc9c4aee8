import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrainingTask } from '../../common/lspProtocol';
import { resolveFolder } from '../training/trainingPickers';

/** The settings that say which model is active; the server's predictions follow them. */
export const ACTIVE_MODEL_SETTING: Record<TrainingTask, string> = { entities: 'entityModel.path', credit: 'creditModel.path' };

/** The active model folder of a task ('' = none set: the shipped default for entities). */
export function activeModelDir(task: TrainingTask): string {
  const value = vscode.workspace.getConfiguration('finlabel').get<string>(ACTIVE_MODEL_SETTING[task], '').trim();
  return value === '' ? '' : resolveFolder(value);
}

/**
 * Makes a model active in the workspace settings: relative to the first workspace folder when it is
 * inside it (so settings.json can be shared), else absolute; '' for the shipped default.
 */
export async function setActiveModel(task: TrainingTask, dir: string, shipped: boolean): Promise<void> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const rel = root ? path.relative(root, dir) : '';
  const value = shipped ? '' : root && rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : dir;
  const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('finlabel').update(ACTIVE_MODEL_SETTING[task], value, target);
}
