import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * A fingerprint of the worker's Python code (every .py file under the package: path, size, mtime).
 * A rebuild or an update rewrites dist/worker under a running worker, whose modules are already
 * imported (and whose lazily imported ones would now come from the new code): the supervisor compares
 * fingerprints to restart it before its next request.
 */
export function workerCodeFingerprint(workerDir: string): string {
  const parts: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      parts.push(`${path.relative(workerDir, dir)}: missing`);
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== '__pycache__') walk(p);
      else if (e.isFile() && e.name.endsWith('.py')) {
        const s = statSync(p, { throwIfNoEntry: false });
        parts.push(`${path.relative(workerDir, p)}:${s?.size ?? -1}:${s?.mtimeMs ?? -1}`);
      }
    }
  };
  walk(path.join(workerDir, 'finlabel_worker'));
  return parts.join('\n');
}
