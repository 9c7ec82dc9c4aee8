import * as path from 'node:path';
import * as vscode from 'vscode';
import { DATASET_EXTENSION } from '../../common/datasetFiles';
import type { TrainingBase, TrainingTask } from '../../common/lspProtocol';

const TRAINING_FILE_EXTENSION: Record<TrainingTask, string> = { entities: DATASET_EXTENSION, credit: '.csv' };
const BASE_SETTING: Record<TrainingTask, string> = { entities: 'training.entityBase', credit: 'training.creditBase' };
const TINY_LABEL = 'Small model built from a config (CPU-friendly)';
const TINY_DETAIL: Record<TrainingTask, string> = {
  entities: 'a character BiLSTM from random weights, trained in steps sized to your data; learns more with every labelled record',
  credit: 'random weights, the real vocabulary: to try the loop, not for real use',
};
const datasetKey = (task: TrainingTask): string => `finlabel.training.dataset.${task}`;
const baseKey = (task: TrainingTask): string => `finlabel.training.base.${task}`;

/**
 * The dataset to train on: the active editor's file when it is the task's kind (.jsonl or .csv),
 * else a pick among the workspace's files with the last one used first. Remembered per workspace.
 */
export async function pickDataset(task: TrainingTask, state: vscode.Memento): Promise<vscode.Uri | undefined> {
  const ext = TRAINING_FILE_EXTENSION[task];
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && active.path.toLowerCase().endsWith(ext)) {
    await state.update(datasetKey(task), active.toString());
    return active;
  }
  const last = state.get<string>(datasetKey(task));
  const files = await vscode.workspace.findFiles(`**/*${ext}`, '**/{node_modules,.finlabel,.git}/**', 500);
  files.sort((a, b) => (a.toString() === last ? -1 : b.toString() === last ? 1 : a.path.localeCompare(b.path)));
  if (files.length === 0) {
    void vscode.window.showWarningMessage(`FinLabel: there is no ${ext} file in the workspace to train on.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({
      label: path.basename(uri.fsPath),
      description: vscode.workspace.asRelativePath(uri),
      detail: uri.toString() === last ? 'last used' : undefined,
      uri,
    })),
    { title: `FinLabel: dataset for the ${task === 'entities' ? 'entity' : 'credit'} model`, placeHolder: `a ${ext} file` },
  );
  if (!picked) return undefined;
  await state.update(datasetKey(task), picked.uri.toString());
  return picked.uri;
}

/**
 * The base model: the folder in the task's setting when it is set (nothing asked), else a pick of the
 * last folder used, the small model built from a config, or Browse…. Remembered per workspace.
 */
export async function pickBase(task: TrainingTask, state: vscode.Memento): Promise<TrainingBase | undefined> {
  const configured = vscode.workspace.getConfiguration('finlabel').get<string>(BASE_SETTING[task], '').trim();
  if (configured) return { kind: 'folder', path: resolveFolder(configured) };
  const last = state.get<TrainingBase>(baseKey(task));
  type Item = vscode.QuickPickItem & { base?: TrainingBase };
  const items: Item[] = [];
  if (last?.kind === 'folder') items.push({ label: `$(folder) ${path.basename(last.path)}`, description: last.path, detail: 'last used', base: last });
  items.push({ label: `$(beaker) ${TINY_LABEL}`, detail: last?.kind === 'tiny' ? 'last used' : TINY_DETAIL[task], base: { kind: 'tiny' } });
  items.push({
    label: '$(folder-opened) Browse…',
    description: task === 'entities' ? 'a BERT-family Hugging Face folder' : 'a Qwen2/2.5/3 Hugging Face folder',
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: `FinLabel: base model for the ${task === 'entities' ? 'entity' : 'credit'} model`,
    placeHolder: `or set finlabel.${BASE_SETTING[task]} to skip this question`,
  });
  if (!picked) return undefined;
  let base = picked.base;
  if (!base) {
    const folder = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Use as base model',
      title: 'Base model folder (config.json, safetensors weights, tokenizer.json)',
    });
    if (!folder?.[0]) return undefined;
    base = { kind: 'folder', path: folder[0].fsPath };
  }
  await state.update(baseKey(task), base);
  return base;
}

/** A folder setting: ~ and ${workspaceFolder} expanded, relative paths from the first workspace folder. */
export function resolveFolder(value: string): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  let v = value.replace(/\$\{workspaceFolder\}/g, root);
  if (v === '~' || v.startsWith('~/')) v = path.join(process.env.HOME ?? '', v.slice(1));
  return path.isAbsolute(v) || !root ? v : path.join(root, v);
}
