/** Writes generated files under a folder, creating sub-folders; touches no other file. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface OutputFile {
  /** Relative to the output folder, "/"-separated. */
  path: string;
  description: string;
  content: string;
}

export function writeFiles(folder: string, files: readonly OutputFile[]): void {
  mkdirSync(folder, { recursive: true });
  for (const f of files) {
    const target = join(folder, ...f.path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.content, 'utf8');
  }
}
