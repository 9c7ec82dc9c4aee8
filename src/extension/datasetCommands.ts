import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { AgreementReport, DatasetStats, SplitSummary } from '../common/datasetReports';
import { isDataset } from '../common/datasetFiles';
import {
  annotatorAgreementRequest,
  datasetStatsRequest,
  splitDatasetRequest,
  type AnnotatorAgreementParams,
  type DatasetCommandResult,
  type SplitDatasetResult,
} from '../common/lspProtocol';
import { parseRatios } from '../common/splitRatios';

/** A file argument: a URI, or a path (absolute, or relative to the first workspace folder). */
export type FileArgument = vscode.Uri | string;

export interface SplitCommandOptions {
  /** [0.8, 0.1, 0.1] or "0.8,0.1,0.1". */
  ratios?: number[] | string;
  seed?: number;
  outDir?: FileArgument;
  /** Overwrite existing split files without asking (false: refuse without asking). */
  force?: boolean;
}

export interface AgreementCommandOptions {
  /** The second file; without it, `annotators` are compared within the first file. */
  other?: FileArgument;
  annotators?: [string, string];
  annotatorA?: string;
  annotatorB?: string;
}

/** What a dataset command returns (for scripts and tests): the server's answer and the document showing it. */
export type DatasetCommandOutcome<T> = { ok: true; result: T; markdown: string; shown: vscode.TextDocument } | { ok: false; message: string };

function toUri(arg: FileArgument): vscode.Uri {
  if (typeof arg !== 'string') return arg;
  if (path.isAbsolute(arg)) return vscode.Uri.file(arg);
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  return root ? vscode.Uri.joinPath(root, arg) : vscode.Uri.file(path.resolve(arg));
}

/** The dataset a command works on: its argument, else the active editor's dataset, else one the user picks. */
async function datasetUri(arg: FileArgument | undefined, title: string): Promise<vscode.Uri | undefined> {
  if (arg !== undefined) return toUri(arg);
  const active = vscode.window.activeTextEditor?.document;
  if (active && isDataset(active.uri.path, active.languageId)) return active.uri;
  const picked = await vscode.window.showOpenDialog({
    title,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    canSelectMany: false,
    filters: { 'Dataset JSONL': ['jsonl'] },
  });
  return picked?.[0];
}

/** Shows a report as an untitled Markdown document beside the dataset, or the error it got. */
async function show<T>(response: DatasetCommandResult<T>): Promise<DatasetCommandOutcome<T>> {
  if (!response.ok) {
    void vscode.window.showErrorMessage(`FinLabel: ${response.message}`);
    return response;
  }
  const shown = await vscode.workspace.openTextDocument({ language: 'markdown', content: response.markdown });
  await vscode.window.showTextDocument(shown, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  return { ...response, shown };
}

/** "FinLabel: Dataset Statistics": statistics of a dataset (an open one's unsaved edits count). */
export async function datasetStatistics(client: LanguageClient, target?: FileArgument): Promise<DatasetCommandOutcome<DatasetStats> | undefined> {
  const uri = await datasetUri(target, 'Dataset to describe');
  if (!uri) return undefined;
  return show(await client.sendRequest(datasetStatsRequest, { uri: uri.toString() }));
}

/** The split's ratios, seed and folder: those given, and the user's answers for the others. */
async function splitChoices(uri: vscode.Uri, given: SplitCommandOptions): Promise<{ ratios: number[]; seed: number; outDir: string } | undefined> {
  let ratios = typeof given.ratios === 'string' ? parseRatios(given.ratios) : given.ratios && { ok: true as const, ratios: given.ratios };
  if (!ratios) {
    const answer = await vscode.window.showInputBox({
      title: 'Split ratios: train,dev,test (or train,test)',
      value: '0.8,0.1,0.1',
      validateInput: (v) => {
        const parsed = parseRatios(v);
        return parsed.ok ? undefined : parsed.message;
      },
    });
    if (answer === undefined) return undefined;
    ratios = parseRatios(answer);
  }
  if (!ratios.ok) throw new Error(`split ratios: ${ratios.message}`);
  let seed = given.seed;
  if (seed === undefined) {
    const answer = await vscode.window.showInputBox({
      title: 'Random seed (the same seed gives the same split)',
      value: '42',
      validateInput: (v) => (/^\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? undefined : 'A non-negative integer'),
    });
    if (answer === undefined) return undefined;
    seed = Number(answer);
  }
  let outDir = given.outDir === undefined ? undefined : toUri(given.outDir).fsPath;
  if (outDir === undefined) {
    const suggested = path.join(path.dirname(uri.fsPath), `${path.basename(uri.fsPath, path.extname(uri.fsPath))}-split`);
    const answer = await vscode.window.showInputBox({
      title: 'Folder for train.jsonl, dev.jsonl, test.jsonl (created if missing)',
      value: suggested,
      validateInput: (v) => (v.trim() === '' ? 'A folder path' : undefined),
    });
    if (answer === undefined) return undefined;
    outDir = toUri(answer.trim()).fsPath;
  }
  return { ratios: ratios.ratios, seed, outDir };
}

/** "FinLabel: Split Dataset…": stratified train/dev/test files; asks for what its arguments do not give. */
export async function splitDataset(
  client: LanguageClient,
  target?: FileArgument,
  options?: SplitCommandOptions | vscode.Uri[],
): Promise<DatasetCommandOutcome<SplitSummary> | undefined> {
  const uri = await datasetUri(target, 'Dataset to split');
  if (!uri) return undefined;
  const given = Array.isArray(options) ? {} : (options ?? {});
  let chosen;
  try {
    chosen = await splitChoices(uri, given);
  } catch (err) {
    return show<SplitSummary>({ ok: false, message: (err as Error).message });
  }
  if (!chosen) return undefined;
  const params = { uri: uri.toString(), ...chosen, force: given.force === true };
  let response: SplitDatasetResult = await client.sendRequest(splitDatasetRequest, params);
  if (!response.ok && 'wouldOverwrite' in response && response.wouldOverwrite.length > 0 && given.force === undefined) {
    const names = response.wouldOverwrite.map((f) => path.basename(f)).join(', ');
    const choice = await vscode.window.showWarningMessage(
      `Overwrite ${names} in ${chosen.outDir}?`,
      { modal: true, detail: 'Their current content will be lost.' },
      'Overwrite',
    );
    if (choice !== 'Overwrite') return undefined;
    response = await client.sendRequest(splitDatasetRequest, { ...params, force: true });
  }
  const outcome = await show(response);
  if (outcome.ok)
    void vscode.window.showInformationMessage(
      `FinLabel: wrote ${outcome.result.parts.map((p) => `${p.name}.jsonl (${p.records})`).join(', ')} to ${chosen.outDir}.`,
    );
  return outcome;
}

/**
 * "FinLabel: Annotator Agreement…" asks: another file, or two annotators of this one (the names come
 * from the server's statistics of the file).
 */
async function askAgreementParams(client: LanguageClient, uri: vscode.Uri): Promise<AnnotatorAgreementParams | undefined> {
  const mode = await vscode.window.showQuickPick(
    [
      { label: 'Compare with another file…', value: 'file' as const },
      { label: 'Compare two annotators in this file…', description: 'labels\' "annotator" field', value: 'annotators' as const },
    ],
    { title: `Annotator agreement: ${path.basename(uri.fsPath)}` },
  );
  if (!mode) return undefined;
  if (mode.value === 'file') {
    const other = await vscode.window.showOpenDialog({
      title: 'The other annotation of the same records',
      defaultUri: uri,
      canSelectMany: false,
      filters: { 'Dataset JSONL': ['jsonl'] },
    });
    return other?.[0] ? { uriA: uri.toString(), uriB: other[0].toString() } : undefined;
  }
  const stats = await client.sendRequest(datasetStatsRequest, { uri: uri.toString() });
  if (!stats.ok) {
    void vscode.window.showErrorMessage(`FinLabel: ${stats.message}`);
    return undefined;
  }
  const names = stats.result.annotators.map((a) => ({ label: a.name, description: `${a.labels} labels` }));
  if (names.length < 2) {
    void vscode.window.showErrorMessage(
      `FinLabel: ${uri.fsPath} has labels from ${names.length === 0 ? 'no named annotator' : `one annotator only (${names[0].label})`}; agreement needs two.`,
    );
    return undefined;
  }
  const first = await vscode.window.showQuickPick(names, { title: 'Annotator A (the reference)' });
  if (!first) return undefined;
  const second = await vscode.window.showQuickPick(
    names.filter((n) => n.label !== first.label),
    { title: 'Annotator B' },
  );
  if (!second) return undefined;
  return { uriA: uri.toString(), annotators: [first.label, second.label] };
}

/**
 * "FinLabel: Annotator Agreement…": per-type span F1 and character kappa between two files (two
 * files selected in the explorer, or `options.other`) or two annotators of one file.
 */
export async function annotatorAgreement(
  client: LanguageClient,
  target?: FileArgument,
  options?: AgreementCommandOptions | vscode.Uri[],
): Promise<DatasetCommandOutcome<AgreementReport> | undefined> {
  const uri = await datasetUri(target, 'Dataset to compare');
  if (!uri) return undefined;
  let params: AnnotatorAgreementParams | undefined;
  if (Array.isArray(options) && options.length === 2) {
    // Two files selected in the explorer: the one right-clicked is A.
    const other = options.find((u) => u.toString() !== uri.toString()) ?? options[1];
    params = { uriA: uri.toString(), uriB: other.toString() };
  } else if (!Array.isArray(options) && options && (options.other !== undefined || options.annotators !== undefined)) {
    params = {
      uriA: uri.toString(),
      ...(options.other !== undefined ? { uriB: toUri(options.other).toString() } : {}),
      ...(options.annotators ? { annotators: options.annotators } : {}),
      ...(options.annotatorA !== undefined ? { annotatorA: options.annotatorA } : {}),
      ...(options.annotatorB !== undefined ? { annotatorB: options.annotatorB } : {}),
    };
  } else {
    params = await askAgreementParams(client, uri);
  }
  if (!params) return undefined;
  const outcome = await show(await client.sendRequest(annotatorAgreementRequest, params));
  if (outcome.ok && outcome.result.problems.length > 0) {
    void vscode.window.showWarningMessage(
      `FinLabel: agreement computed, but ${outcome.result.problems.length} problem${outcome.result.problems.length === 1 ? '' : 's'} left something out; see the report's Problems section.`,
    );
  }
  return outcome;
}

/** Registers the three dataset commands. */
export function registerDatasetCommands(client: () => LanguageClient): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('finlabel.datasetStatistics', (target?: FileArgument) => datasetStatistics(client(), target)),
    vscode.commands.registerCommand('finlabel.splitDataset', (target?: FileArgument, options?: SplitCommandOptions | vscode.Uri[]) =>
      splitDataset(client(), target, options),
    ),
    vscode.commands.registerCommand('finlabel.annotatorAgreement', (target?: FileArgument, options?: AgreementCommandOptions | vscode.Uri[]) =>
      annotatorAgreement(client(), target, options),
    ),
  ];
}
