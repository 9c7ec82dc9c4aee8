/**
 * Where the bytes stop being GBK / GB18030 (one byte 00-80, two bytes 81-FE + 40-7E|80-FE, four bytes
 * 81-FE 30-39 81-FE 30-39), or undefined. Checked by hand because Node's decoder silently drops some
 * invalid bytes (0xFF) even when asked to be fatal.
 */
function firstInvalidGbk(bytes: Uint8Array): number | undefined {
  const inRange = (b: number | undefined, lo: number, hi: number): boolean => b !== undefined && b >= lo && b <= hi;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    if (b <= 0x80) i += 1;
    else if (b === 0xff) return i;
    else if (inRange(bytes[i + 1], 0x40, 0x7e) || inRange(bytes[i + 1], 0x80, 0xfe)) i += 2;
    else if (inRange(bytes[i + 1], 0x30, 0x39) && inRange(bytes[i + 2], 0x81, 0xfe) && inRange(bytes[i + 3], 0x30, 0x39)) i += 4;
    else return i;
  }
  return undefined;
}

/** The text of GBK bytes (decoded as GB18030, its superset, which is what WHATWG's "gbk" label means), or undefined when they are not GBK. */
export function decodeGbk(bytes: Uint8Array): string | undefined {
  if (firstInvalidGbk(bytes) !== undefined) return undefined;
  try {
    return new TextDecoder('gbk', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
