/** Where a byte sits in a file, for messages: its line (from 1) and its offset from the file's start (from 0). */
export interface ByteLocation {
  line: number;
  offset: number;
}

/** Decodes UTF-8 and nothing else (no U+FFFD for bad bytes); a leading BOM stays in the text as U+FEFF. */
export function decodeUtf8Strictly(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The range the byte after a lead byte must be in (Unicode Table 3-7): no overlongs, no surrogates, nothing past U+10FFFF. */
function secondByteRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The first byte that does not start a well-formed UTF-8 sequence, or undefined when every byte is UTF-8. */
export function firstInvalidUtf8(bytes: Uint8Array): ByteLocation | undefined {
  let line = 1;
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i];
    const length = sequenceLength(lead);
    if (length === 0) return { line, offset: i };
    if (length > 1) {
      const [lo, hi] = secondByteRange(lead);
      if (i + 1 >= bytes.length || bytes[i + 1] < lo || bytes[i + 1] > hi) return { line, offset: i };
      for (let k = 2; k < length; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return { line, offset: i };
    }
    if (lead === 0x0a) line++;
    i += length;
  }
  return undefined;
}
