import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { CONTRACT_DATASETS_FILE } from '../../common/contractProtocol';
import { isDataset } from '../../common/datasetFiles';
import { checkInsideWorkspace, resolveInside } from '../workspace/workspacePaths';

export type DatasetBinding =
  | { kind: 'none' }
  | { kind: 'chosen'; path: string; rel: string }
  /** A dataset is chosen but cannot be used (invalid map entry, missing file): labelling says so rather than asking again. */
  | { kind: 'problem'; message: string };

/**
 * The dataset chosen for `folder` (workspace-relative) in the map file of `root`; `unreadable` is set
 * when the map file itself cannot be used.
 */
export function folderBinding(root: string, folder: string): { binding: DatasetBinding; unreadable?: string } {
  const map = readFolderDatasets(root);
  if (map.unreadable) return { binding: { kind: 'problem', message: map.unreadable }, unreadable: map.unreadable };
  const rel = map.datasets.get(folder);
  if (rel) {
    const datasetPath = resolveInside(root, rel);
    const inside = checkInsideWorkspace([root], datasetPath, `the dataset chosen for the folder "${folder}" (${CONTRACT_DATASETS_FILE})`);
    if (!inside.ok) return { binding: { kind: 'problem', message: inside.message } };
    return { binding: { kind: 'chosen', path: datasetPath, rel } };
  }
  const problem = map.problems.find((p) => p.folder === folder);
  return { binding: problem ? { kind: 'problem', message: problem.message } : { kind: 'none' } };
}

/**
 * The map from contract folder to dataset, kept in `.finlabel/contracts.json` of a workspace folder:
 * `{"datasets": {"contracts": "contracts/contracts.labels.jsonl"}}`, both paths relative to the
 * workspace folder with '/' separators ('.' is the workspace folder itself).
 */
export interface FolderDatasets {
  /** Folder -> dataset, only the valid entries. */
  datasets: ReadonlyMap<string, string>;
  /** One message per invalid entry, naming the file and the entry. */
  problems: { folder: string; message: string }[];
  /** Set when the file exists but is not a JSON object as above: nothing in it is used, and it is never overwritten. */
  unreadable?: string;
}

export function mapFilePath(root: string): string {
  return resolveInside(root, CONTRACT_DATASETS_FILE);
}

/** Why the map file cannot be used where it really is (a .finlabel that links out of the workspace folder), or undefined. */
function mapFileRefusal(root: string): string | undefined {
  const inside = checkInsideWorkspace([root], mapFilePath(root), 'the folder-dataset map');
  return inside.ok ? undefined : inside.message;
}

export function readFolderDatasets(root: string): FolderDatasets {
  const refusal = mapFileRefusal(root);
  if (refusal) return { datasets: new Map(), problems: [], unreadable: refusal };
  const file = mapFilePath(root);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { datasets: new Map(), problems: [] };
    return { datasets: new Map(), problems: [], unreadable: `cannot read ${file}: ${(err as Error).message}` };
  }
  const parsed = parseMapFile(text, file);
  if (!parsed.ok) return { datasets: new Map(), problems: [], unreadable: parsed.message };
  const datasets = new Map<string, string>();
  const problems: { folder: string; message: string }[] = [];
  for (const [folder, dataset] of Object.entries(parsed.datasets)) {
    const problem =
      folderProblem(folder) ?? (typeof dataset === 'string' ? datasetProblem(dataset) : `must be a path (a string), not ${JSON.stringify(dataset)}`);
    if (problem) problems.push({ folder: normalize(folder), message: `${file}: the dataset ${JSON.stringify(dataset)} for folder "${folder}" ${problem}` });
    else datasets.set(normalize(folder), normalize(dataset as string));
  }
  return { datasets, problems };
}

/** Records `dataset` for `folder` (both workspace-relative), keeping every other entry and key of the file. */
export function writeFolderDataset(root: string, folder: string, dataset: string): { ok: true; file: string } | { ok: false; message: string } {
  const problem = folderProblem(folder) ?? datasetProblem(dataset);
  if (problem) return { ok: false, message: `"${dataset}" for "${folder}" ${problem}` };
  const refusal = mapFileRefusal(root);
  if (refusal) return { ok: false, message: refusal };
  const file = mapFilePath(root);
  let content: Record<string, unknown> = {};
  let existing: string | undefined;
  try {
    existing = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return { ok: false, message: `cannot read ${file}: ${(err as Error).message}` };
  }
  if (existing !== undefined) {
    const parsed = parseMapFile(existing, file);
    if (!parsed.ok) return { ok: false, message: `${parsed.message}; fix it or delete it, then choose the dataset again` };
    content = parsed.content;
  }
  const datasets = { ...(content.datasets as Record<string, unknown> | undefined), [normalize(folder)]: normalize(dataset) };
  const text = `${JSON.stringify({ ...content, datasets }, null, 2)}\n`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, text, 'utf8');
    renameSync(temp, file);
  } catch (err) {
    return { ok: false, message: `cannot write ${file}: ${(err as Error).message}` };
  }
  return { ok: true, file };
}

/** Why a workspace-relative dataset path cannot be used, or undefined when it can. */
export function datasetProblem(dataset: string): string | undefined {
  return relativeProblem(dataset) ?? (isDataset(normalize(dataset)) ? undefined : 'is not a .jsonl file');
}

function folderProblem(folder: string): string | undefined {
  return relativeProblem(folder);
}

function relativeProblem(p: string): string | undefined {
  if (p.trim() === '') return 'is empty';
  if (path.posix.isAbsolute(p) || /^[A-Za-z]:/.test(p) || p.includes('\\')) return 'must be relative to the workspace folder, with / separators';
  const n = normalize(p);
  if (n === '..' || n.startsWith('../')) return 'is outside the workspace folder';
  return undefined;
}

function normalize(p: string): string {
  return path.posix.normalize(p).replace(/\/$/, '') || '.';
}

type MapFile = { ok: true; content: Record<string, unknown>; datasets: Record<string, unknown> } | { ok: false; message: string };

function parseMapFile(text: string, file: string): MapFile {
  const errors: ParseError[] = [];
  const content: unknown = parse(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length > 0) {
    const e = errors[0];
    const { line, column } = lineColumn(text, e.offset);
    return { ok: false, message: `${file}:${line}:${column}: ${printParseErrorCode(e.error)}` };
  }
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    return { ok: false, message: `${file} must hold a JSON object like {"datasets": {"<folder>": "<dataset>.jsonl"}}` };
  }
  const datasets = (content as { datasets?: unknown }).datasets ?? {};
  if (typeof datasets !== 'object' || datasets === null || Array.isArray(datasets)) {
    return { ok: false, message: `${file}: "datasets" must be an object mapping folders to datasets` };
  }
  return { ok: true, content: content as Record<string, unknown>, datasets: datasets as Record<string, unknown> };
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split(/\r\n|\n|\r/);
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
