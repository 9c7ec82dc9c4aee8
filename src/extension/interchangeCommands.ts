import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { formatConversionReport, INTERCHANGE_FORMAT_INFO, INTERCHANGE_FORMATS, type ConversionReport, type InterchangeFormat } from '../common/interchange';
import { isDataset } from '../common/datasetFiles';
import { convertDatasetRequest, type ConvertDatasetParams, type ConvertDatasetResult } from '../common/lspProtocol';

type Direction = ConvertDatasetParams['direction'];

export interface InterchangeCommandContext {
  client(): LanguageClient;
  output: vscode.LogOutputChannel;
}

/**
 * "FinLabel: Export Dataset…" and "FinLabel: Import Dataset…". The language server converts
 * (src/server/interchange); this asks for what is missing (input file, format, output file), shows
 * a summary, and lists the reports in the FinLabel output channel and, on request, in a document.
 * Arguments, all optional: input (Uri or path; the explorer passes the clicked file), format id,
 * output (Uri or path), options `{entity: 'name'|'tag'|'as-is', offsets: 'codepoint'|'utf16'}`. Returns the server's answer, or undefined when the user cancelled.
 */
export async function convertDatasetCommand(
  ctx: InterchangeCommandContext,
  direction: Direction,
  inputArg?: unknown,
  formatArg?: unknown,
  outputArg?: unknown,
  optionsArg?: unknown,
): Promise<ConvertDatasetResult | undefined> {
  const input = asPath(inputArg) ?? (await pickInput(direction));
  if (!input) return undefined;
  let format: InterchangeFormat | undefined;
  if (typeof formatArg === 'string') {
    if (!(INTERCHANGE_FORMATS as readonly string[]).includes(formatArg)) {
      void vscode.window.showErrorMessage(`FinLabel: unknown dataset format "${formatArg}" (expected ${INTERCHANGE_FORMATS.join(', ')}).`);
      return undefined;
    }
    format = formatArg as InterchangeFormat;
  } else {
    format = await pickFormat(direction, input);
  }
  if (!format) return undefined;
  const output = asPath(outputArg) ?? (await pickOutput(direction, input, format));
  if (!output) return undefined;

  const unsaved = vscode.workspace.textDocuments.some((d) => d.isDirty && d.uri.scheme === 'file' && d.uri.fsPath === input);
  const verb = direction === 'export' ? 'Exporting' : 'Importing';
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `FinLabel: ${verb} ${path.basename(input)}…` }, () =>
    ctx.client().sendRequest(convertDatasetRequest, { direction, format, input, output, ...conversionOptions(optionsArg) }),
  );
  report(ctx.output, direction, format, result, unsaved);
  return result;
}

/** `{entity, offsets}` from a caller (the server checks the values); anything else is none. */
function conversionOptions(arg: unknown): Pick<ConvertDatasetParams, 'entity' | 'offsets'> {
  if (typeof arg !== 'object' || arg === null) return {};
  const { entity, offsets } = arg as Record<string, unknown>;
  return {
    ...(typeof entity === 'string' ? { entity: entity as ConvertDatasetParams['entity'] } : {}),
    ...(typeof offsets === 'string' ? { offsets: offsets as ConvertDatasetParams['offsets'] } : {}),
  };
}

/** Accepts a Uri, a path string, or anything else (the explorer's second argument, a list) as none. */
function asPath(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === 'string' && arg !== '') return arg;
  return undefined;
}

async function pickInput(direction: Direction): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (direction === 'export' && active?.uri.scheme === 'file' && isDataset(active.uri.path, active.languageId)) return active.uri.fsPath;
  const picked = await vscode.window.showOpenDialog({
    title: direction === 'export' ? 'Dataset JSONL to export' : 'File to import as a FinLabel dataset',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    canSelectMany: false,
    openLabel: direction === 'export' ? 'Export' : 'Import',
    filters: direction === 'export' ? { 'Dataset JSONL': ['jsonl'] } : { Datasets: ['bio', 'conll', 'txt', 'tsv', 'jsonl', 'json'], 'All files': ['*'] },
  });
  return picked?.[0]?.fsPath;
}

async function pickFormat(direction: Direction, input: string): Promise<InterchangeFormat | undefined> {
  const item = await vscode.window.showQuickPick(
    INTERCHANGE_FORMATS.map((id) => ({ label: INTERCHANGE_FORMAT_INFO[id].title, description: id, detail: INTERCHANGE_FORMAT_INFO[id].detail, id })),
    { title: direction === 'export' ? `Export ${path.basename(input)} as` : `Read ${path.basename(input)} as`, placeHolder: 'Format' },
  );
  return item?.id;
}

async function pickOutput(direction: Direction, input: string, format: InterchangeFormat): Promise<string | undefined> {
  const extension = direction === 'export' ? INTERCHANGE_FORMAT_INFO[format].extension : '.jsonl';
  const folder = path.dirname(input);
  const stem = path.basename(input, path.extname(input));
  // doccano and the import both write .jsonl: never propose the input's own name.
  const clash = path.join(folder, stem + extension) === input;
  const name = clash ? `${stem}.${direction === 'export' ? format : 'finlabel'}${extension}` : stem + extension;
  const picked = await vscode.window.showSaveDialog({
    title: direction === 'export' ? `Save as ${INTERCHANGE_FORMAT_INFO[format].title}` : 'Save the FinLabel dataset as',
    defaultUri: vscode.Uri.file(path.join(folder, name)),
    saveLabel: direction === 'export' ? 'Export' : 'Import',
  });
  return picked?.fsPath;
}

function report(output: vscode.LogOutputChannel, direction: Direction, format: InterchangeFormat, result: ConvertDatasetResult, unsaved: boolean): void {
  if (!result.ok) {
    output.error(`${direction} failed: ${result.message}`);
    void vscode.window.showErrorMessage(`FinLabel: ${result.message}`);
    return;
  }
  const title = INTERCHANGE_FORMAT_INFO[format].title;
  const counts = `${plural(result.records, 'record')} (${plural(result.labels, 'label')})`;
  const summary = !result.written
    ? `${path.basename(result.input)} could not be read as ${title}; nothing was written.`
    : direction === 'export'
      ? `exported ${counts} to ${path.basename(result.output)} as ${title}.`
      : `imported ${counts} from ${title} into ${path.basename(result.output)}.`;
  const note = unsaved ? ' The input has unsaved changes: the file as saved on disk was converted.' : '';
  output.info(`${direction} ${result.input} -> ${result.output} (${format}): ${summary}`);
  for (const r of result.reports) output.warn(formatConversionReport(result.input, r));

  const actions = [...(result.reports.length > 0 ? ['Show Reports'] : []), ...(result.written ? ['Open'] : [])];
  const message =
    result.reports.length === 0
      ? vscode.window.showInformationMessage(`FinLabel: ${summary}${note}`, ...actions)
      : vscode.window.showWarningMessage(`FinLabel: ${summary} ${reportSummary(result.reports)}${note}`, ...actions);
  void message.then(async (action) => {
    if (action === 'Show Reports') await showReportsDocument(direction, result.input, result.reports);
    if (action === 'Open') await vscode.window.showTextDocument(vscode.Uri.file(result.output));
  });
}

/** "3 things could not be converted as they were: 2 overlapping-label, 1 dropped-field." */
export function reportSummary(reports: readonly ConversionReport[]): string {
  const byCode = new Map<string, number>();
  for (const r of reports) byCode.set(r.code, (byCode.get(r.code) ?? 0) + 1);
  const kinds = [...byCode].map(([code, n]) => `${n} ${code}`).join(', ');
  return `${plural(reports.length, 'report')}: ${kinds}.`;
}

/** The reports in an untitled document, one `FILE:LINE: CODE: [id] message` per line. */
export async function showReportsDocument(direction: Direction, input: string, reports: readonly ConversionReport[]): Promise<vscode.TextDocument> {
  const header = `FinLabel ${direction} of ${input}: ${reportSummary(reports)}\n\n`;
  const document = await vscode.workspace.openTextDocument({
    language: 'plaintext',
    content: header + reports.map((r) => formatConversionReport(input, r)).join('\n') + '\n',
  });
  await vscode.window.showTextDocument(document);
  return document;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
