import { readFile } from 'node:fs/promises';

/** Reads a command's input file as UTF-8, or says why it cannot (for a `finlabel <command>: ...` message). */
export async function readInput(file: string): Promise<{ ok: true; content: string } | { ok: false; message: string }> {
  try {
    return { ok: true, content: await readFile(file, 'utf8') };
  } catch (err) {
    return { ok: false, message: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
}
