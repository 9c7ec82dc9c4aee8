/**
 * Maps between code-point offsets in a decoded JSON string and UTF-16 columns in its raw source.
 *
 * Written by hand because no JSON library reports where each decoded character came from:
 * `\n`, `\"`, `\uXXXX` and escaped surrogate pairs are several raw characters for one decoded
 * character, and a character outside the BMP is two UTF-16 units but one code point.
 */
export class JsonStringMap {
  private constructor(
    /** Decoded string (what JSON.parse gives). */
    readonly decoded: string,
    /** rawStart[i] = column (relative to the literal's content start) where code point i begins; rawStart[n] = content length. */
    private readonly rawStart: Int32Array,
    /** decodedStart[i] = UTF-16 index in `decoded` where code point i begins; decodedStart[n] = decoded.length. */
    private readonly decodedStart: Int32Array,
  ) {}

  /** Number of code points in the decoded string (Python len()). */
  get length(): number {
    return this.rawStart.length - 1;
  }

  /**
   * Builds the map from the raw content of a string literal (between its quotes, escapes intact).
   * Returns undefined when the content is not a valid JSON string body.
   */
  static fromRawContent(raw: string): JsonStringMap | undefined {
    return raw.indexOf('\\') < 0 ? JsonStringMap.fromUnescaped(raw) : JsonStringMap.fromEscaped(raw);
  }

  /** The common case, no escapes: raw and decoded are the same string. */
  private static fromUnescaped(raw: string): JsonStringMap | undefined {
    const n = raw.length;
    const starts = new Int32Array(n + 1);
    let cps = 0;
    for (let i = 0; i < n; i++) {
      const c = raw.charCodeAt(i);
      if (c < 0x20 || c === 0x22) return undefined;
      starts[cps++] = i;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = raw.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
    }
    starts[cps] = n;
    const exact = starts.subarray(0, cps + 1);
    return new JsonStringMap(raw, exact, exact);
  }

  private static fromEscaped(raw: string): JsonStringMap | undefined {
    const units: number[] = [];
    const unitRawStart: number[] = [];
    let i = 0;
    while (i < raw.length) {
      const c = raw.charCodeAt(i);
      if (c === 0x5c /* \ */) {
        const e = raw[i + 1];
        let unit: number;
        let width = 2;
        switch (e) {
          case '"':
            unit = 0x22;
            break;
          case '\\':
            unit = 0x5c;
            break;
          case '/':
            unit = 0x2f;
            break;
          case 'b':
            unit = 0x08;
            break;
          case 'f':
            unit = 0x0c;
            break;
          case 'n':
            unit = 0x0a;
            break;
          case 'r':
            unit = 0x0d;
            break;
          case 't':
            unit = 0x09;
            break;
          case 'u': {
            const hex = raw.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
            unit = parseInt(hex, 16);
            width = 6;
            break;
          }
          default:
            return undefined;
        }
        units.push(unit);
        unitRawStart.push(i);
        i += width;
      } else {
        if (c < 0x20 || c === 0x22) return undefined;
        units.push(c);
        unitRawStart.push(i);
        i += 1;
      }
    }
    // Group UTF-16 units into code points the way Python's json module does: a high surrogate
    // followed by a low one is one code point; a lone surrogate is a code point of its own.
    const rawStarts = new Int32Array(units.length + 1);
    const decodedStarts = new Int32Array(units.length + 1);
    let cps = 0;
    for (let u = 0; u < units.length; u++) {
      rawStarts[cps] = unitRawStart[u];
      decodedStarts[cps] = u;
      cps++;
      const hi = units[u];
      if (hi >= 0xd800 && hi <= 0xdbff && u + 1 < units.length) {
        const lo = units[u + 1];
        if (lo >= 0xdc00 && lo <= 0xdfff) u++;
      }
    }
    rawStarts[cps] = raw.length;
    decodedStarts[cps] = units.length;
    let decoded = '';
    for (let u = 0; u < units.length; u += 8192) decoded += String.fromCharCode(...units.slice(u, u + 8192));
    return new JsonStringMap(decoded, rawStarts.subarray(0, cps + 1), decodedStarts.subarray(0, cps + 1));
  }

  /** Raw column (relative to the content start) where code point `cp` begins; cp may equal length. */
  rawOffsetOf(cp: number): number {
    if (!Number.isInteger(cp) || cp < 0 || cp > this.length) throw new RangeError(`code point offset ${cp} outside 0..${this.length}`);
    return this.rawStart[cp];
  }

  /**
   * Code point offset for a raw column. `floor` gives the code point whose source contains the
   * column (for a selection's start); `ceil` the first code point starting at or after it (its end).
   */
  codePointAt(rawColumn: number, rounding: 'floor' | 'ceil'): number {
    const n = this.length;
    if (rawColumn <= 0) return 0;
    if (rawColumn >= this.rawStart[n]) return n;
    let lo = 0;
    let hi = n;
    // Largest i with rawStart[i] <= rawColumn.
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.rawStart[mid] <= rawColumn) lo = mid;
      else hi = mid - 1;
    }
    if (rounding === 'floor' || this.rawStart[lo] === rawColumn) return lo;
    return lo + 1;
  }

  /** Code-point slice of the decoded string, like Python's text[start:end] (offsets clamped like Python's). */
  slice(start: number, end: number): string {
    const n = this.length;
    const s = Math.min(Math.max(0, start), n);
    const e = Math.min(Math.max(s, end), n);
    return this.decoded.slice(this.decodedStart[s], this.decodedStart[e]);
  }
}

/** text[start:end] with code-point offsets (non-negative; clamped to the text like Python's). */
export function codePointSlice(text: string, start: number, end: number): string {
  let cp = 0;
  let from = -1;
  for (let i = 0; i < text.length; i++) {
    if (cp === start) from = i;
    if (cp === end) return from < 0 ? '' : text.slice(from, i);
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    cp++;
  }
  if (cp === start) from = text.length;
  return from < 0 || end <= start ? '' : text.slice(from);
}

/** len(text) in code points. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
