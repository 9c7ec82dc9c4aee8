import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { LabelSchema } from '../../common/labelSchema';
import { checkInsideWorkspace } from '../workspace/workspacePaths';
import { formatSchemaProblem } from './labelSchemaText';
import { DEFAULT_SCHEMA_FILE } from './schemaFileLocation';
import { describeSource, resolveLabelSchema, type SchemaSource } from './schemaPrecedence';

export type SchemaLoad =
  | { ok: true; schema: LabelSchema; source: SchemaSource; /** One line each, "file:line:col: warning: ..." */ warnings: string[] }
  | { ok: false; /** One line each, "file:line:col: error: ..." */ messages: string[] };

/**
 * The label schema for a dataset file, for command-line tools: `explicit` (a --schema option)
 * when given, else the nearest .finlabel/labels.json in the dataset's folder or its ancestors,
 * else the built-in defaults. A schema file with errors is an error, never silently replaced.
 */
export async function loadSchemaForDataset(datasetPath: string, explicit?: string): Promise<SchemaLoad> {
  const file = explicit ?? (await findSchemaFile(path.dirname(path.resolve(datasetPath))));
  if (file === undefined) {
    const resolved = resolveLabelSchema({ settingTypes: undefined });
    return { ok: true, schema: new LabelSchema(resolved.types), source: resolved.source, warnings: [] };
  }
  if (explicit === undefined) {
    // The folder holding .finlabel/ is the workspace: a .finlabel that links out of it is not followed.
    const inside = checkInsideWorkspace([path.dirname(path.dirname(file))], file, 'the label schema');
    if (!inside.ok) return { ok: false, messages: [`${inside.message}; name a schema with --schema`] };
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { ok: false, messages: [`cannot read the label schema ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`] };
  }
  const resolved = resolveLabelSchema({ file: { path: file, text }, settingTypes: undefined });
  const lines = resolved.fileProblems.map((p) => formatSchemaProblem(file, p));
  if (!resolved.types) return { ok: false, messages: lines };
  return { ok: true, schema: new LabelSchema(resolved.types), source: resolved.source, warnings: lines };
}

/** The nearest `.finlabel/labels.json` in `dir` or a folder above it. */
export async function findSchemaFile(dir: string): Promise<string | undefined> {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const candidate = path.join(current, DEFAULT_SCHEMA_FILE);
    if (await isFile(candidate)) return candidate;
    if (path.dirname(current) === current) return undefined;
  }
}

/** One line for stderr: which schema a command uses. */
export function schemaUsedLine(load: Extract<SchemaLoad, { ok: true }>): string {
  return load.source.kind === 'file'
    ? `label schema: ${load.source.path} (${load.schema.types.length} type${load.schema.types.length === 1 ? '' : 's'})`
    : `label schema: ${describeSource(load.source)} (no ${DEFAULT_SCHEMA_FILE} found in the file's folder or above it)`;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}
