import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TrainingTask } from '../../common/lspProtocol';
import { activeModelDir } from './activeModels';
import { listModels, MODEL_TASKS, modelDescription, readModel, sameFolder, type RegisteredModel } from './modelRegistry';

const GROUP_LABEL: Record<TrainingTask, string> = { entities: 'Entity models', credit: 'Credit models' };

type Node = { kind: 'group'; task: TrainingTask } | { kind: 'model'; model: RegisteredModel; active: boolean };

/**
 * The "FinLabel Models" view: the trained models of each workspace folder (.finlabel/models/<task>/)
 * and the shipped default, with their key figure and date; the active one is marked. Refreshes when
 * model folders or the active-model settings change.
 */
export class ModelTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  /** `shippedDir`: the extension's models/default-entities (listed only when it holds a model). */
  constructor(private readonly shippedDir: string) {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.finlabel/models/**'));
      const refresh = (): void => this.refresh();
      this.disposables.push(watcher, watcher.onDidCreate(refresh), watcher.onDidDelete(refresh), watcher.onDidChange(refresh));
    }
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('finlabel.entityModel') || e.affectsConfiguration('finlabel.creditModel')) this.refresh();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
    );
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** Every model of a task as the tree lists it (shipped one last), with whether it is active. */
  models(task: TrainingTask): { model: RegisteredModel; active: boolean }[] {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const models = listModels(folders, task);
    if (task === 'entities' && fs.existsSync(this.shippedDir)) models.push(readModel(this.shippedDir, task, true));
    const active = activeModelDir(task);
    return models.map((model) => ({ model, active: active === '' ? model.shipped : sameFolder(active, model.dir) }));
  }

  getChildren(node?: Node): Node[] {
    if (!node) return MODEL_TASKS.map((task) => ({ kind: 'group', task }));
    if (node.kind === 'group') return this.models(node.task).map((m) => ({ kind: 'model', ...m }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(GROUP_LABEL[node.task], vscode.TreeItemCollapsibleState.Expanded);
      item.contextValue = `finlabel.modelGroup.${node.task}`;
      return item;
    }
    return modelTreeItem(node.model, node.active);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** How one model shows in the tree: name, "F1 0.812 · date · active", read-only when shipped. */
export function modelTreeItem(model: RegisteredModel, active: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(model.shipped ? `${model.name} (shipped)` : model.name, vscode.TreeItemCollapsibleState.None);
  item.description = [modelDescription(model), active ? 'active' : undefined].filter(Boolean).join(' · ');
  item.iconPath = new vscode.ThemeIcon(active ? 'check' : model.shipped ? 'lock' : model.problem ? 'warning' : 'symbol-class');
  item.resourceUri = vscode.Uri.file(model.dir);
  item.contextValue = model.shipped ? 'finlabel.model.shipped' : 'finlabel.model';
  const data = (model.card?.data ?? {}) as { file?: string };
  const training = (model.card?.training ?? {}) as { bestEpoch?: number; device?: string; epochs?: unknown[] };
  item.tooltip = new vscode.MarkdownString(
    [
      `**${model.name}**${model.shipped ? ' (shipped with FinLabel, read-only)' : ''}${active ? ' — active' : ''}`,
      // The view cuts long names and figures off: the tooltip has them whole.
      modelDescription(model),
      `folder: \`${model.dir}\``,
      data.file ? `data: \`${data.file}\`` : undefined,
      training.epochs ? `epochs: ${training.epochs.length}, best ${training.bestEpoch ?? '?'}${training.device ? `, on ${training.device}` : ''}` : undefined,
      model.problem,
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
  item.command = { title: 'Select as Active', command: 'finlabel.selectActiveModel', arguments: [model.dir] };
  return item;
}
