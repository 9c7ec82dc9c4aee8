import { readlinkSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Folders from `from` up to the filesystem root, nearest first. */
export function ancestorFolders(from: string): string[] {
  const out: string[] = [];
  for (let d = path.resolve(from); ; d = path.dirname(d)) {
    out.push(d);
    if (path.dirname(d) === d) return out;
  }
}

/** The file path of a file: URI, or undefined for other schemes. */
export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function fileUriOf(filePath: string): string {
  return pathToFileURL(filePath).href;
}

/**
 * `target` relative to `root` with '/' separators ('.' for root itself), or undefined when it is
 * outside root. By spelling only: whether a path really is inside is checkInsideWorkspace's question.
 */
export function relativeInside(root: string, target: string): string | undefined {
  const rel = path.relative(root, target);
  if (rel === '') return '.';
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** The innermost of `roots` that contains `target` (by spelling). */
export function containingRoot(roots: readonly string[], target: string): string | undefined {
  let best: string | undefined;
  for (const root of roots) {
    if (relativeInside(root, target) !== undefined && (best === undefined || root.length > best.length)) best = root;
  }
  return best;
}

/** An absolute path from a workspace-relative one ('/' separated). */
export function resolveInside(root: string, rel: string): string {
  return path.resolve(root, ...rel.split('/'));
}

/** Links followed through paths that do not exist yet before giving up (the kernel's own limit is 40). */
const MAX_DANGLING_LINKS = 40;

/**
 * Where `target` really is, every symbolic link on the way followed. A path that does not exist
 * yet (a file about to be written) is the real path of its nearest existing ancestor with the rest
 * appended; a dangling link counts as where it points, since writing through it creates that file.
 * Throws what realpath throws for anything but a missing path (ELOOP, EACCES).
 */
export function realPathOf(target: string): string {
  return realPath(path.resolve(target), 0);
}

function realPath(p: string, links: number): string {
  try {
    return realpathSync.native(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
  }
  const parent = path.dirname(p);
  if (parent === p) return p;
  const here = path.join(realPath(parent, links), path.basename(p));
  if (links >= MAX_DANGLING_LINKS) return here;
  let link: string;
  try {
    link = readlinkSync(here);
  } catch {
    return here;
  }
  return realPath(path.resolve(path.dirname(here), link), links + 1);
}

export type WorkspaceCheck = { ok: true; /** The workspace folder (as given) that really holds the path. */ root: string } | { ok: false; message: string };

/**
 * Whether `target` is inside one of the workspace folders `roots` where it really is (realPathOf),
 * not only by its spelling: a symbolic link inside a folder that leads out of it is outside. Every
 * path a request names, or that workspace files (settings, .finlabel/) lead to, is checked here
 * before it is read or written. `what` names the path in the message ("the dataset").
 */
export function checkInsideWorkspace(roots: readonly string[], target: string, what: string): WorkspaceCheck {
  const spelled = path.resolve(target);
  const refusal = `${what} ${spelled}`;
  let real: string;
  try {
    real = realPathOf(spelled);
  } catch (err) {
    return { ok: false, message: `${refusal} cannot be resolved (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}), so it is not used` };
  }
  let best: { root: string; real: string } | undefined;
  for (const root of roots) {
    let realRoot: string;
    try {
      realRoot = realPathOf(root);
    } catch {
      continue;
    }
    if (relativeInside(realRoot, real) !== undefined && (best === undefined || realRoot.length > best.real.length)) best = { root, real: realRoot };
  }
  if (best) return { ok: true, root: best.root };
  const why = 'FinLabel reads and writes files only inside the workspace folders';
  if (roots.length === 0) return { ok: false, message: `${refusal} is not used: no workspace folder is open, and ${why}` };
  const folders = `the workspace folder${roots.length === 1 ? '' : 's'} ${roots.join(', ')}`;
  const through = real === spelled ? '' : ` (it leads to ${real} through a symbolic link)`;
  return { ok: false, message: `${refusal} is outside ${folders}${through}; ${why}` };
}
