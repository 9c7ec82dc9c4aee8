import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrainingTask } from '../../common/lspProtocol';
import { ACTIVE_MODEL_SETTING, activeModelDir, setActiveModel } from './activeModels';
import { MODEL_TASKS, modelDescription, readModel, sameFolder, type RegisteredModel } from './modelRegistry';
import type { ModelTree } from './modelTree';

/** A model named by a command's argument: a tree node, a folder path or Uri; undefined when none was given. */
function modelOf(tree: ModelTree, arg: unknown): RegisteredModel | undefined {
  if (arg && typeof arg === 'object' && 'model' in arg) return (arg as { model: RegisteredModel }).model;
  const dir = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.fsPath : undefined;
  if (dir === undefined) return undefined;
  for (const task of MODEL_TASKS) {
    const found = tree.models(task).find((m) => sameFolder(m.model.dir, dir));
    if (found) return found.model;
  }
  // A folder outside the registry: its card (or its parent folder's name) says the task.
  const cardTask = readModel(dir, 'entities').card?.task;
  const task: TrainingTask = cardTask === 'credit' || path.basename(path.dirname(dir)) === 'credit' ? 'credit' : 'entities';
  return readModel(dir, task);
}

/** What the model picker offers: a model of the registry, another folder, or training one. */
export type ModelPickItem = vscode.QuickPickItem & { model?: RegisteredModel; action?: 'browse' | 'train' };

const TASK_TITLES: Record<TrainingTask, { models: string; train: string; command: string }> = {
  entities: { models: 'Entity models', train: 'Train Entity Model', command: 'finlabel.trainEntityModel' },
  credit: { models: 'Credit models', train: 'Train Credit Model', command: 'finlabel.trainCreditModel' },
};

/** The picker's items for `tasks`: each task's models (active one checked), Train when a task has none, and Browse. */
export function modelPickItems(tree: ModelTree, tasks: readonly TrainingTask[]): ModelPickItem[] {
  const items: ModelPickItem[] = tasks.flatMap((task): ModelPickItem[] => {
    const models = tree.models(task);
    return [
      { label: TASK_TITLES[task].models, kind: vscode.QuickPickItemKind.Separator },
      ...models.map(({ model: m, active }) => ({ label: `${active ? '$(check) ' : ''}${m.name}`, description: modelDescription(m), detail: m.dir, model: m })),
      ...(models.length === 0 ? [{ label: `$(play) ${TASK_TITLES[task].train}…`, description: `no ${task === 'entities' ? 'entity' : 'credit'} model yet`, action: 'train' as const, detail: TASK_TITLES[task].command }] : []),
    ];
  });
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(folder-opened) Browse…', description: 'a model folder elsewhere', action: 'browse' });
  return items;
}

/** The last model picker shown (tests read it: VS Code cannot list an open quick pick's items). */
let lastPicker: { title: string; items: ModelPickItem[] } | undefined;
export const lastModelPicker = (): { title: string; items: ModelPickItem[] } | undefined => lastPicker;

/** The task a command argument asks for: `{ task: 'credit' }` from the credit features, else both. */
function tasksOf(arg: unknown): readonly TrainingTask[] {
  const task = arg && typeof arg === 'object' && 'task' in arg ? (arg as { task: unknown }).task : undefined;
  return task === 'entities' || task === 'credit' ? [task] : MODEL_TASKS;
}

/**
 * Select Active Model: the model given; else a pick among the registry's models (of one task when
 * the argument says `{ task }`, as the credit features do), with Browse… for a folder elsewhere and
 * Train… when a task has no model yet.
 */
export async function selectActiveModel(tree: ModelTree, arg?: unknown): Promise<string | undefined> {
  let model = modelOf(tree, arg);
  if (!model) {
    const tasks = tasksOf(arg);
    const title = tasks.length === 1 ? `FinLabel: the ${tasks[0] === 'entities' ? 'entity' : 'credit'} model to use` : 'FinLabel: the model predictions use';
    const items = modelPickItems(tree, tasks);
    lastPicker = { title, items };
    const picked = await vscode.window.showQuickPick(items, { title });
    if (picked?.action === 'train') {
      await vscode.commands.executeCommand(picked.detail as string);
      return undefined;
    }
    if (picked?.action === 'browse') {
      const folder = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'FinLabel: a model folder (with card.json)', openLabel: 'Use this model' }))?.[0];
      if (!folder) return undefined;
      model = modelOf(tree, folder);
      if (model && tasks.length === 1 && model.task !== tasks[0]) {
        void vscode.window.showErrorMessage(`FinLabel: ${folder.fsPath} holds ${model.task === 'entities' ? 'an entity' : 'a credit'} model (its card.json says so), not ${tasks[0] === 'entities' ? 'an entity' : 'a credit'} model.`);
        return undefined;
      }
    } else model = picked?.model;
  }
  if (!model) return undefined;
  if (!fs.existsSync(model.dir)) {
    void vscode.window.showErrorMessage(`FinLabel: ${model.dir} does not exist.`);
    return undefined;
  }
  await setActiveModel(model.task, model.dir, model.shipped);
  tree.refresh();
  void vscode.window.setStatusBarMessage(`FinLabel: ${model.task === 'entities' ? 'entity' : 'credit'} model ${model.name} is active`, 5000);
  return model.dir;
}

/**
 * Delete Model: asks first (a modal; `{ confirm: true }` as the second argument skips it, for
 * scripts and tests), refuses the shipped model, clears the setting when it was the active one.
 */
export async function deleteModel(tree: ModelTree, arg?: unknown, options?: { confirm?: boolean }): Promise<boolean> {
  const model = modelOf(tree, arg) ?? (await pickModel(tree));
  if (!model) return false;
  if (model.shipped) {
    void vscode.window.showWarningMessage(`FinLabel: ${model.name} ships with FinLabel and cannot be deleted.`);
    return false;
  }
  if (options?.confirm !== true) {
    const answer = await vscode.window.showWarningMessage(`Delete the model ${model.name}?`, { modal: true, detail: `${model.dir} and everything in it will be deleted.` }, 'Delete');
    if (answer !== 'Delete') return false;
  }
  const active = activeModelDir(model.task);
  const wasActive = active !== '' && sameFolder(active, model.dir);
  await vscode.workspace.fs.delete(vscode.Uri.file(model.dir), { recursive: true, useTrash: false });
  if (wasActive) await vscode.workspace.getConfiguration('finlabel').update(ACTIVE_MODEL_SETTING[model.task], undefined, vscode.ConfigurationTarget.Workspace);
  tree.refresh();
  void vscode.window.setStatusBarMessage(`FinLabel: deleted the model ${model.name}`, 5000);
  return true;
}

async function pickModel(tree: ModelTree): Promise<RegisteredModel | undefined> {
  const items = MODEL_TASKS.flatMap((task) => tree.models(task).filter((m) => !m.model.shipped).map(({ model }) => ({ label: model.name, description: modelDescription(model), detail: model.dir, model })));
  return (await vscode.window.showQuickPick(items, { title: 'FinLabel: delete which model?' }))?.model;
}

export function registerModelCommands(tree: ModelTree): vscode.Disposable[] {
  return [
    vscode.window.registerTreeDataProvider('finlabel.models', tree),
    vscode.commands.registerCommand('finlabel.selectActiveModel', (arg?: unknown) => selectActiveModel(tree, arg)),
    vscode.commands.registerCommand('finlabel.deleteModel', (arg?: unknown, options?: { confirm?: boolean }) => deleteModel(tree, arg, options)),
    vscode.commands.registerCommand('finlabel.revealModel', async (arg?: unknown) => {
      const model = modelOf(tree, arg);
      if (model) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path.join(model.dir, 'card.json')));
    }),
    vscode.commands.registerCommand('finlabel.refreshModels', () => tree.refresh()),
  ];
}
