/**
 * "FinLabel: Evaluate Model": pick a model folder (the workspace's .finlabel/models/<task>/..., or any
 * folder) and a data file, have the language server evaluate it (finlabel/evaluateModel, the figures
 * of `finlabel eval`), and open the report view.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TRAINING_DATA_NOTE, type EvaluationReport } from '../../common/evaluationReport';
import { evaluateModelRequest } from '../../common/lspProtocol';
import { SHIPPED_ENTITY_MODEL, SHIPPED_ENTITY_MODEL_NAME } from '../../common/shippedModels';
import { EvaluationReportPanel } from './evaluationReportPanel';

export const EvaluationCommands = {
  evaluateModel: 'finlabel.evaluateModel',
} as const;

/** A model folder or a data file, as a command argument: a Uri, or a path (absolute or relative to the first workspace folder). */
export type PathArgument = vscode.Uri | string;

export interface EvaluateModelOptions {
  /** Credit: the 0/1 label column (default the model's). */
  labelColumn?: string;
  /** Credit: default the setting finlabel.credit.threshold. */
  threshold?: number;
}

export type EvaluateModelOutcome = { ok: true; report: EvaluationReport } | { ok: false; message: string };

const TASK_FILES = { entities: ['jsonl'], credit: ['csv'] } as const;
type Task = keyof typeof TASK_FILES;

function toUri(arg: PathArgument): vscode.Uri {
  if (typeof arg !== 'string') return arg;
  if (path.isAbsolute(arg)) return vscode.Uri.file(arg);
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  return root ? vscode.Uri.joinPath(root, arg) : vscode.Uri.file(path.resolve(arg));
}

/** The trained models of the workspace: .finlabel/models/<task>/<name>/ folders with a card.json. */
async function registeredModels(): Promise<{ uri: vscode.Uri; task: Task; name: string }[]> {
  const found: { uri: vscode.Uri; task: Task; name: string }[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const task of Object.keys(TASK_FILES) as Task[]) {
      const dir = vscode.Uri.joinPath(folder.uri, '.finlabel', 'models', task);
      let entries: [string, vscode.FileType][];
      try {
        entries = await vscode.workspace.fs.readDirectory(dir);
      } catch {
        continue;
      }
      for (const [name, type] of entries) {
        if (type !== vscode.FileType.Directory) continue;
        const uri = vscode.Uri.joinPath(dir, name);
        try {
          await vscode.workspace.fs.stat(vscode.Uri.joinPath(uri, 'card.json'));
          found.push({ uri, task, name });
        } catch {
          // A folder without card.json is not a finished model.
        }
      }
    }
  }
  return found.sort((a, b) => b.name.localeCompare(a.name));
}

/** The workspace's models and the shipped default entity model (its card.json says what it was trained and calibrated on). */
async function pickModel(extensionUri: vscode.Uri): Promise<{ uri: vscode.Uri; task: Task | undefined } | undefined> {
  const shipped = vscode.Uri.joinPath(extensionUri, SHIPPED_ENTITY_MODEL);
  const hasShipped = await vscode.workspace.fs.stat(vscode.Uri.joinPath(shipped, 'card.json')).then(
    () => true,
    () => false,
  );
  const models = [
    ...(await registeredModels()),
    ...(hasShipped ? [{ uri: shipped, task: 'entities' as Task, name: `${SHIPPED_ENTITY_MODEL_NAME} (shipped with FinLabel)` }] : []),
  ];
  const browse = { label: '$(folder-opened) Browse for a model folder…', uri: undefined, task: undefined };
  const items = [
    ...models.map((m) => ({ label: m.name, description: m.task, uri: m.uri as vscode.Uri | undefined, task: m.task as Task | undefined })),
    browse,
  ];
  const picked =
    models.length === 0
      ? browse
      : await vscode.window.showQuickPick(items, { title: 'Model to evaluate', placeHolder: 'A trained model folder (.finlabel/models)' });
  if (!picked) return undefined;
  if (picked.uri) return { uri: picked.uri, task: picked.task };
  const folders = await vscode.window.showOpenDialog({
    title: 'Model folder to evaluate',
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return folders?.[0] && { uri: folders[0], task: undefined };
}

async function pickData(task: Task | undefined): Promise<vscode.Uri | undefined> {
  const extensions: readonly string[] = task ? TASK_FILES[task] : [...TASK_FILES.entities, ...TASK_FILES.credit];
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && extensions.some((e) => active.path.toLowerCase().endsWith(`.${e}`))) return active;
  const picked = await vscode.window.showOpenDialog({
    title: 'Data to evaluate the model on',
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { [task === 'credit' ? 'Credit CSV' : task === 'entities' ? 'Dataset JSONL' : 'Dataset JSONL or credit CSV']: [...extensions] },
  });
  return picked?.[0];
}

/** Runs the command; undefined when the user cancelled a picker. */
export async function evaluateModel(
  extensionUri: vscode.Uri,
  client: LanguageClient,
  modelArg?: PathArgument,
  dataArg?: PathArgument,
  options: EvaluateModelOptions = {},
): Promise<EvaluateModelOutcome | undefined> {
  const model = modelArg !== undefined ? { uri: toUri(modelArg), task: undefined } : await pickModel(extensionUri);
  if (!model) return undefined;
  const data = dataArg !== undefined ? toUri(dataArg) : await pickData(model.task);
  if (!data) return undefined;
  const threshold = options.threshold ?? vscode.workspace.getConfiguration('finlabel').get<number>('credit.threshold', 0.5);
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `FinLabel: evaluating ${path.basename(model.uri.fsPath)} on ${path.basename(data.fsPath)}…`,
      cancellable: true,
    },
    async (_progress, token) => {
      try {
        return await client.sendRequest(
          evaluateModelRequest,
          { modelDir: model.uri.fsPath, dataUri: data.toString(), threshold, ...(options.labelColumn ? { labelColumn: options.labelColumn } : {}) },
          token,
        );
      } catch (err) {
        if (token.isCancellationRequested) return undefined;
        throw err;
      }
    },
  );
  if (!result) return undefined;
  if (!result.ok) {
    void vscode.window.showErrorMessage(`FinLabel: ${result.message}`);
    return result;
  }
  EvaluationReportPanel.open(extensionUri, result.report, data);
  const trainedOn = result.report.notes.find((n) => n.startsWith(TRAINING_DATA_NOTE));
  if (trainedOn) void vscode.window.showWarningMessage(`FinLabel: ${path.basename(model.uri.fsPath)} on ${path.basename(data.fsPath)}. ${trainedOn}`);
  return result;
}

export function registerEvaluationCommands(extensionUri: vscode.Uri, client: () => LanguageClient): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(EvaluationCommands.evaluateModel, (modelArg?: PathArgument, dataArg?: PathArgument, options?: EvaluateModelOptions) =>
      evaluateModel(extensionUri, client(), modelArg, dataArg, options),
    ),
  ];
}
