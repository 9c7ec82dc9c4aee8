import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TrainingTask } from '../../common/lspProtocol';

export const MODEL_TASKS: readonly TrainingTask[] = ['entities', 'credit'];

/** A model folder of the registry, as the tree shows it. */
export interface RegisteredModel {
  task: TrainingTask;
  name: string;
  dir: string;
  /** The figure the best epoch was picked by (entity F1, credit ROC-AUC), null when the card has none. */
  metric: { name: 'F1' | 'AUC'; value: number } | null;
  /** When the model was saved (its card's time on disk). */
  date: Date | null;
  /** The shipped default model: read-only, never deleted. */
  shipped: boolean;
  /** Why the card could not be read, when it could not. */
  problem?: string;
  card?: Record<string, unknown>;
}

/** <folder>/.finlabel/models/<task>: where trained models of a workspace folder live. */
export function modelsDir(workspaceFolder: string, task: TrainingTask): string {
  return path.join(workspaceFolder, '.finlabel', 'models', task);
}

/** Reads one model folder: its card's key figure and date. A missing or broken card is said, not hidden. */
export function readModel(dir: string, task: TrainingTask, shipped = false): RegisteredModel {
  const cardFile = path.join(dir, 'card.json');
  const model: RegisteredModel = { task, name: path.basename(dir), dir, metric: null, date: null, shipped };
  let text: string;
  try {
    text = fs.readFileSync(cardFile, 'utf8');
    model.date = fs.statSync(cardFile).mtime;
  } catch {
    return { ...model, problem: 'no card.json' };
  }
  try {
    const card = JSON.parse(text) as Record<string, unknown>;
    model.card = card;
    const training = card.training as { bestDevMetric?: unknown } | undefined;
    const best = training?.bestDevMetric;
    if (typeof best === 'number') model.metric = { name: task === 'entities' ? 'F1' : 'AUC', value: best };
    const created = (card as { created?: unknown }).created;
    if (typeof created === 'string' && !Number.isNaN(Date.parse(created))) model.date = new Date(created);
  } catch (err) {
    model.problem = `card.json is not valid JSON (${(err as Error).message})`;
  }
  return model;
}

/**
 * The trained models of the workspace folders, newest first per task. Hidden folders are skipped:
 * they are the worker's staging folders of models still being written.
 */
export function listModels(workspaceFolders: readonly string[], task: TrainingTask): RegisteredModel[] {
  const models: RegisteredModel[] = [];
  for (const folder of workspaceFolders) {
    const dir = modelsDir(folder, task);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith('.')) models.push(readModel(path.join(dir, e.name), task));
    }
  }
  return models.sort((a, b) => (b.date?.getTime() ?? 0) - (a.date?.getTime() ?? 0) || a.name.localeCompare(b.name));
}

/** "F1 0.812 · 2025-11-24 20:12", what the tree shows next to a model's name. */
export function modelDescription(model: RegisteredModel): string {
  const figure = model.metric ? `${model.metric.name} ${model.metric.value.toFixed(3)}` : (model.problem ?? 'no dev figure');
  const date = model.date ? `${model.date.getFullYear()}-${pad(model.date.getMonth() + 1)}-${pad(model.date.getDate())} ${pad(model.date.getHours())}:${pad(model.date.getMinutes())}` : undefined;
  return [figure, date].filter(Boolean).join(' · ');
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Whether a folder path names the same folder as a model's. */
export function sameFolder(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}
