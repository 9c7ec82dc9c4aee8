import { NotUtf8Error, readUtf8File } from '../encoding/utf8File';

/**
 * Reads a command's input file as UTF-8, or says why it cannot (for a `finlabel <command>: ...` message):
 * a file that is not UTF-8 is refused at its first bad byte, never read with U+FFFD in its place.
 */
export async function readInput(file: string): Promise<{ ok: true; content: string } | { ok: false; message: string }> {
  try {
    return { ok: true, content: await readUtf8File(file) };
  } catch (err) {
    if (err instanceof NotUtf8Error) return { ok: false, message: err.message };
    return { ok: false, message: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
}
