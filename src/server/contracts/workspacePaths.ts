import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

/** `target` relative to `root` with '/' separators ('.' for root itself), or undefined when it is outside root. */
export function relativeInside(root: string, target: string): string | undefined {
  const rel = path.relative(root, target);
  if (rel === '') return '.';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** The innermost of `roots` that contains `target`. */
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
