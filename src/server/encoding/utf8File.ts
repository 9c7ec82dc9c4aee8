import { readFile } from 'node:fs/promises';
import { decodeGbk } from './gbkBytes';
import { decodeUtf8Strictly, firstInvalidUtf8, type ByteLocation } from './utf8Bytes';

/**
 * A text file (dataset, contract) that is not UTF-8. Nothing reads it with U+FFFD in place of its bad
 * bytes: offsets would shift and anything written from it would silently differ from the input.
 */
export class NotUtf8Error extends Error {
  constructor(
    readonly file: string,
    readonly at: ByteLocation,
    bytes: Uint8Array,
  ) {
    const byte = `0x${bytes[at.offset].toString(16).toUpperCase().padStart(2, '0')}`;
    super(`${file}:${at.line}: not valid UTF-8 at byte offset ${at.offset} (${byte}); ${notUtf8Hint(bytes, at)}; nothing was read or written`);
    this.name = 'NotUtf8Error';
  }
}

/** What the bad bytes most likely are, and what to do about them. */
function notUtf8Hint(bytes: Uint8Array, at: ByteLocation): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return 'the file starts with a UTF-16 byte order mark: save it as UTF-8';
  if (bytes[at.offset] === 0xed && bytes[at.offset + 1] >= 0xa0 && bytes[at.offset + 1] <= 0xbf) {
    return 'these bytes encode a UTF-16 surrogate (CESU-8 or WTF-8), which UTF-8 does not allow: write the character once as UTF-8, or as a JSON \\uXXXX escape';
  }
  if (decodeGbk(bytes) !== undefined) return 'the file looks like GBK (it decodes as GB18030): convert it to UTF-8 first, e.g. iconv -f GB18030 -t UTF-8';
  return 'fix or remove these bytes (they would be replaced by U+FFFD)';
}

/** The text of a UTF-8 file's bytes (a BOM stays as U+FEFF, as Node's 'utf8' keeps it); NotUtf8Error at the first bad byte. */
export function decodeUtf8File(bytes: Uint8Array, file: string): string {
  const text = decodeUtf8Strictly(bytes);
  if (text !== undefined) return text;
  throw new NotUtf8Error(file, firstInvalidUtf8(bytes) ?? { line: 1, offset: 0 }, bytes);
}

/** Reads a UTF-8 text file; NotUtf8Error when it is not UTF-8, the file system's error when it cannot be read. */
export async function readUtf8File(file: string): Promise<string> {
  return decodeUtf8File(await readFile(file), file);
}
