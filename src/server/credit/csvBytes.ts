/**
 * Credit CSVs come as UTF-8, UTF-8 with a BOM (Excel's "CSV UTF-8"), or GBK (Excel on Chinese Windows).
 * Detection: a BOM means UTF-8; else bytes that decode as strict UTF-8 are UTF-8; else GBK (decoded as
 * GB18030, its superset, which is what WHATWG's "gbk" label means). Bytes that are neither are refused.
 */
import { decodeGbk } from '../encoding/gbkBytes';
import { decodeUtf8Strictly, firstInvalidUtf8, type ByteLocation } from '../encoding/utf8Bytes';

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

/** Where the bytes stop being UTF-8 (they are not, or the caller would not ask). */
const invalidUtf8At = (bytes: Uint8Array): ByteLocation => firstInvalidUtf8(bytes) ?? { line: 1, offset: 0 };

export function decodeCsvBytes(bytes: Uint8Array, file: string): DecodedCsv {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const text = decodeUtf8Strictly(bytes.subarray(3));
    if (text !== undefined) return { text, encoding: 'utf-8-bom' };
    const at = invalidUtf8At(bytes.subarray(3));
    throw new CsvEncodingError(file, `starts with a UTF-8 byte order mark but line ${at.line} (byte ${at.offset + 3}) is not UTF-8`);
  }
  const utf8 = decodeUtf8Strictly(bytes);
  if (utf8 !== undefined) return { text: utf8, encoding: 'utf-8' };
  const gbk = decodeGbk(bytes);
  if (gbk !== undefined) return { text: gbk, encoding: 'gbk' };
  const at = invalidUtf8At(bytes);
  throw new CsvEncodingError(file, `is neither UTF-8 (line ${at.line}, byte ${at.offset} is not) nor GBK; save it as "CSV UTF-8" and try again`);
}
