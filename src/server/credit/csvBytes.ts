/**
 * Credit CSVs come as UTF-8, UTF-8 with a BOM (Excel's "CSV UTF-8"), or GBK (Excel on Chinese Windows).
 * Detection: a BOM means UTF-8; else bytes that decode as strict UTF-8 are UTF-8; else GBK (decoded as
 * GB18030, its superset, which is what WHATWG's "gbk" label means). Bytes that are neither are refused.
 */

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gbk';

export interface DecodedCsv {
  text: string;
  encoding: CsvEncoding;
}

export class CsvEncodingError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'CsvEncodingError';
  }
}

/** The 1-based line and byte of the first byte sequence that is not UTF-8, for messages. */
function firstInvalidUtf8(bytes: Uint8Array): { line: number; offset: number } {
  let line = 1;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return { line, offset: i };
    for (let k = 1; k <= need; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return { line, offset: i };
    if (b === 0x0a) line++;
    i += need + 1;
  }
  return { line, offset: bytes.length };
}

/**
 * Where the bytes stop being GBK / GB18030 (one byte 00-80, two bytes 81-FE + 40-7E|80-FE, four bytes
 * 81-FE 30-39 81-FE 30-39), or undefined. Checked by hand because Node's decoder silently drops some
 * invalid bytes (0xFF) even when asked to be fatal.
 */
function firstInvalidGbk(bytes: Uint8Array): number | undefined {
  const inRange = (b: number | undefined, lo: number, hi: number): boolean => b !== undefined && b >= lo && b <= hi;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b <= 0x80) i += 1;
    else if (b === 0xff) return i;
    else if (inRange(bytes[i + 1], 0x40, 0x7e) || inRange(bytes[i + 1], 0x80, 0xfe)) i += 2;
    else if (inRange(bytes[i + 1], 0x30, 0x39) && inRange(bytes[i + 2], 0x81, 0xfe) && inRange(bytes[i + 3], 0x30, 0x39)) i += 4;
    else return i;
  }
  return undefined;
}

export function decodeCsvBytes(bytes: Uint8Array, file: string): DecodedCsv {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
    } catch {
      const at = firstInvalidUtf8(bytes.subarray(3));
      throw new CsvEncodingError(file, `starts with a UTF-8 byte order mark but line ${at.line} (byte ${at.offset + 3}) is not UTF-8`);
    }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // not UTF-8: try GBK
  }
  const refuse = (): never => {
    const at = firstInvalidUtf8(bytes);
    throw new CsvEncodingError(file, `is neither UTF-8 (line ${at.line}, byte ${at.offset} is not) nor GBK; save it as "CSV UTF-8" and try again`);
  };
  if (firstInvalidGbk(bytes) !== undefined) refuse();
  try {
    return { text: new TextDecoder('gbk', { fatal: true }).decode(bytes), encoding: 'gbk' };
  } catch {
    return refuse();
  }
}
