import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LabelSchema } from '../../common/labelSchema';
import { isDataset } from '../../common/datasetFiles';
import type { DocumentImportReport } from '../../common/documentImportProtocol';
import { planDocumentImport } from '../contracts/documents/documentImport';
import { listFolderDocuments } from '../contracts/documents/folderDocuments';
import { datasetProblem, folderBinding } from '../contracts/folderDatasets';
import { JsonlDocumentModel } from '../dataset/documentModel';
import { decodeUtf8File, NotUtf8Error } from '../encoding/utf8File';
import { ConvertFileError, writeFileAtomically } from '../interchange/convertFile';
import { relativeInside } from '../workspace/workspacePaths';
import type { CliIo, ExitCode } from './command';
import { parseOptions } from './parseOptions';

export const FOLDER_USAGE = '       finlabel import FOLDER [-o DATASET.jsonl] [--json]';

export const FOLDER_HELP = `With a contract FOLDER, imports its Word (.docx) and PDF files into the folder's dataset (the one chosen
for it in .finlabel/contracts.json of the workspace folder above it, or DATASET.jsonl): one record per file,
{"id": FILE, "text": its text, one paragraph a line, "meta": {"source": FILE, "format", "sha256", "pages",
"parts": [{"page", "paragraph", "start", "end"}]}}, FILE relative to the workspace folder (the nearest
folder above FOLDER holding .finlabel/, else the current folder). A file imported before is read again:
its labels stay where their text still is and the ones that moved or vanished are reported (a vanished
label keeps its old text, so validate flags it). A PDF without a text layer (a scan) needs OCR first,
and an encrypted, password-protected or damaged file is named with the reason; neither changes the
dataset, and the other files are imported. Only the records of changed files are rewritten; the dataset
is written to a temporary file and renamed into place.

  -o, --out DATASET  the dataset to import into (created when missing)
  --json             the report as one JSON object {"folder","dataset","files":[...],"summary"}

Exit codes (FOLDER): 0 imported, nothing to report; 1 a file was not imported or labels moved or
vanished; 2 the command could not run (no dataset chosen, dataset not UTF-8).
`;

/** `finlabel import FOLDER`: the Word and PDF files of a contract folder into its dataset. */
export async function importContractFolder(args: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseOptions(args, { out: { type: 'string', short: 'o' }, json: { type: 'boolean' } });
  const fail = (message: string): ExitCode => {
    io.stderr.write(`finlabel import: ${message}\n`);
    return 2;
  };
  if (!parsed.ok) return fail(parsed.message);
  if (parsed.positionals.length !== 1) return fail('expected exactly one FOLDER');
  const folderPath = path.resolve(parsed.positionals[0]);
  const root = workspaceRootOf(folderPath);
  const folder = relativeInside(root, folderPath) as string;
  const target = datasetOf(root, folder, parsed.values.out as string | undefined);
  if (!target.ok) return fail(target.message);
  let content = '';
  if (existsSync(target.path)) {
    try {
      content = decodeUtf8File(readFileSync(target.path), target.path);
    } catch (err) {
      return fail(err instanceof NotUtf8Error ? err.message : `cannot read ${target.path}: ${(err as Error).message}`);
    }
  }
  const bom = content.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = content.slice(bom.length);
  const model = new JsonlDocumentModel(new LabelSchema());
  model.update(body);
  const eol = /\r\n|\n|\r/.exec(body)?.[0] ?? '\n';
  const plan = await planDocumentImport(listFolderDocuments(root, folderPath), { model, eol, name: target.name }, folder);
  const after = TextDocument.applyEdits(TextDocument.create('file:///dataset.jsonl', 'jsonl', 0, body), plan.edits);
  if (after !== body || !existsSync(target.path)) {
    try {
      await writeFileAtomically(target.path, bom + after);
    } catch (err) {
      return fail(err instanceof ConvertFileError ? err.message : (err as Error).message);
    }
  }
  io.stdout.write(parsed.values.json ? `${JSON.stringify(plan.report)}\n` : reportText(plan.report));
  const problems = plan.report.files.some((f) => f.outcome === 'not-imported' || f.moved.length > 0 || f.vanished.length > 0);
  return problems ? 1 : 0;
}

/** Whether `finlabel import`'s input is a folder (a contract folder) rather than a file to convert. */
export function isFolderImport(args: readonly string[]): boolean {
  const input = args.find((a, i) => !a.startsWith('-') && !['-o', '--out', '--from', '--entity', '--offsets', '--schema'].includes(args[i - 1] ?? ''));
  try {
    return input !== undefined && statSync(input).isDirectory();
  } catch {
    return false;
  }
}

function workspaceRootOf(folderPath: string): string {
  for (let dir = folderPath; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.finlabel'))) return dir;
    if (path.dirname(dir) === dir) break;
  }
  const cwd = process.cwd();
  return relativeInside(cwd, folderPath) !== undefined ? cwd : folderPath;
}

function datasetOf(root: string, folder: string, out: string | undefined): { ok: true; path: string; name: string } | { ok: false; message: string } {
  if (out !== undefined) {
    const file = path.resolve(out);
    if (!isDataset(file)) return { ok: false, message: `${out} is not a .jsonl file` };
    return { ok: true, path: file, name: out };
  }
  const { binding } = folderBinding(root, folder);
  if (binding.kind === 'problem') return { ok: false, message: binding.message };
  if (binding.kind === 'none') {
    return {
      ok: false,
      message: `no dataset is chosen for the folder "${folder}" in ${path.join(root, '.finlabel', 'contracts.json')}: pass -o DATASET.jsonl (or choose one in VS Code)`,
    };
  }
  const problem = datasetProblem(binding.rel);
  return problem ? { ok: false, message: `${binding.rel} ${problem}` } : { ok: true, path: binding.path, name: binding.rel };
}

function reportText(report: DocumentImportReport): string {
  const lines = report.files.map((f) => f.message);
  for (const f of report.files) {
    for (const m of f.moved)
      lines.push(
        `  ${f.file}: moved: ${m.entity} "${m.value}" [${m.from.start}, ${m.from.end}) ${m.from.place} -> [${m.to?.start}, ${m.to?.end}) ${m.to?.place}`,
      );
    for (const v of f.vanished) lines.push(`  ${f.file}: vanished: ${v.entity} "${v.value}" [${v.from.start}, ${v.from.end}) ${v.from.place}`);
  }
  lines.push(`${report.dataset}: ${report.summary}`);
  return `${lines.join('\n')}\n`;
}
