import { isUtf8 } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * Whether an open document's file on disk holds bytes that are not UTF-8 (which VS Code shows as
 * U+FFFD). Read again only when the file's size or modification time changes, e.g. once it is saved.
 */
export class FileBytesUtf8 {
  private readonly known = new Map<string, { mtimeMs: number; size: number; invalid: boolean }>();

  async hasInvalidBytes(uri: string): Promise<boolean> {
    if (!uri.startsWith('file:')) return false;
    try {
      const path = fileURLToPath(uri);
      const { mtimeMs, size } = await stat(path);
      const cached = this.known.get(uri);
      if (cached?.mtimeMs === mtimeMs && cached.size === size) return cached.invalid;
      const invalid = !isUtf8(await readFile(path));
      this.known.set(uri, { mtimeMs, size, invalid });
      return invalid;
    } catch {
      // Gone or unreadable: what the editor holds is all there is.
      return false;
    }
  }

  forget(uri: string): void {
    this.known.delete(uri);
  }
}
