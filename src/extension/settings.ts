import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  BACKGROUND_RETRAINING_DEFAULTS,
  MODEL_SUGGESTION_MIN_CONFIDENCE,
  STRING_MATCH_MIN_CONFIDENCE,
  type ServerInitializationOptions,
} from '../common/lspProtocol';

/** Where "FinLabel: Create Python Environment for the Worker" puts its virtual environment. */
export function managedEnvironmentDir(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, 'worker-env');
}

export function venvPython(venvDir: string): string {
  return process.platform === 'win32' ? path.join(venvDir, 'Scripts', 'python.exe') : path.join(venvDir, 'bin', 'python');
}

/**
 * What the language server needs to know from settings and the extension's own files. Each value has
 * the type the server's schema asks for (a setting of another type in settings.json counts as unset):
 * the server refuses options of the wrong type as a whole.
 */
export function serverOptionsFromSettings(context: vscode.ExtensionContext): ServerInitializationOptions {
  const config = vscode.workspace.getConfiguration('finlabel');
  const string = (key: string): string => {
    const value = config.get<unknown>(key);
    return typeof value === 'string' ? value : '';
  };
  const boolean = (key: string, fallback: boolean): boolean => {
    const value = config.get<unknown>(key);
    return typeof value === 'boolean' ? value : fallback;
  };
  const precision = config.get<unknown>('entityModel.precision');
  const threshold = config.get<unknown>('credit.threshold');
  return {
    pythonPath: resolveSettingPath(string('python.interpreterPath')),
    workerDir: context.asAbsolutePath(path.join('dist', 'worker')),
    managedPythonPath: managedPython(context),
    startWorker: boolean('worker.startOnActivation', true),
    // Passed as set; the server reads the file and checks the types.
    labelSchema: { file: string('labelSchema.file'), types: config.get<unknown>('labelSchema.types') },
    credit: {
      modelPath: resolveWorkspacePath(string('creditModel.path')),
      threshold: typeof threshold === 'number' && Number.isFinite(threshold) ? threshold : 0.5,
    },
    predictions: {
      modelPath: resolveSettingPath(string('entityModel.path')),
      enabled: boolean('predictions.enabled', true),
      showDisagreements: boolean('predictions.showDisagreements', false),
      precision: precision === 'fp32' || precision === 'int8' ? precision : 'auto',
      confidenceThreshold: confidenceThresholdSetting(config.get<unknown>('predictions.confidenceThreshold', null)),
    },
    suggestions: {
      stringMatching: boolean('suggestions.stringMatching', true),
      stringMatchMinConfidence: confidenceThresholdSetting(config.get<unknown>('suggestions.stringMatchMinConfidence', null)) ?? STRING_MATCH_MIN_CONFIDENCE,
      modelMinConfidence: modelSuggestionMinConfidence(config),
    },
    backgroundRetraining: {
      enabled: boolean('backgroundRetraining.enabled', BACKGROUND_RETRAINING_DEFAULTS.enabled),
      afterLabels: positiveSetting(config.get<unknown>('backgroundRetraining.afterLabels'), BACKGROUND_RETRAINING_DEFAULTS.afterLabels),
      trainingSeconds: positiveSetting(config.get<unknown>('backgroundRetraining.trainingSeconds'), BACKGROUND_RETRAINING_DEFAULTS.trainingSeconds),
    },
  };
}

/** A setting that must be a positive number (a count, seconds): anything else is the default. */
export function positiveSetting(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** finlabel.suggestions.modelMinConfidence, else its default. */
export function modelSuggestionMinConfidence(config: vscode.WorkspaceConfiguration = vscode.workspace.getConfiguration('finlabel')): number {
  return confidenceThresholdSetting(config.get<unknown>('suggestions.modelMinConfidence', null)) ?? MODEL_SUGGESTION_MIN_CONFIDENCE;
}

/** finlabel.predictions.confidenceThreshold (and .suggestions.stringMatchMinConfidence, .modelMinConfidence): a number from 0 to 1, else (null, empty, out of range) null: the default. */
export function confidenceThresholdSetting(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
}

/**
 * The environment made by "Create Python Environment", else, when the extension runs from its
 * repository (development mode), the repository's .venv that scripts/setup.sh makes.
 */
function managedPython(context: vscode.ExtensionContext): string {
  const candidates = [venvPython(managedEnvironmentDir(context))];
  if (context.extensionMode === vscode.ExtensionMode.Development) candidates.push(venvPython(context.asAbsolutePath('.venv')));
  return candidates.find((p) => fs.existsSync(p)) ?? '';
}

/** Like resolveSettingPath, and a relative path is taken from the first workspace folder. */
function resolveWorkspacePath(value: string): string {
  const v = resolveSettingPath(value);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return v === '' || path.isAbsolute(v) || !folder ? v : path.join(folder, v);
}

/** Expands ~ and ${workspaceFolder} so a setting can be shared in a workspace's settings.json. */
function resolveSettingPath(value: string): string {
  let v = value.trim();
  if (v === '') return '';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  v = v.replace(/\$\{workspaceFolder\}/g, folder);
  if (v === '~' || v.startsWith('~/')) v = path.join(process.env.HOME ?? '', v.slice(1));
  return v;
}
