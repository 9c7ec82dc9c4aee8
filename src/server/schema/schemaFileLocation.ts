import * as path from 'node:path';

/** Where a workspace keeps its label schema unless `finlabel.labelSchema.file` says otherwise. */
export const DEFAULT_SCHEMA_FILE = '.finlabel/labels.json';
export const SCHEMA_FILE_SETTING = 'finlabel.labelSchema.file';

export type SchemaFileLocation =
  { ok: true; path: string; /** Relative to the folder, with forward slashes (for glob patterns). */ relative: string } | { ok: false; message: string };

/**
 * The schema file of a workspace folder: the setting's workspace-relative path (empty = the
 * default). The file must be a .json file inside the folder, so a shared settings file cannot make
 * the server read files elsewhere on the machine.
 */
export function resolveSchemaFile(folder: string, setting: string): SchemaFileLocation {
  const value = setting.trim() === '' ? DEFAULT_SCHEMA_FILE : setting.trim();
  const where = `${SCHEMA_FILE_SETTING} "${value}"`;
  if (!value.toLowerCase().endsWith('.json')) return { ok: false, message: `${where} must name a .json file` };
  const full = path.resolve(folder, value);
  const relative = path.relative(folder, full);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    return { ok: false, message: `${where} must be a path inside the workspace folder ${folder}` };
  }
  return { ok: true, path: full, relative: relative.split(path.sep).join('/') };
}
