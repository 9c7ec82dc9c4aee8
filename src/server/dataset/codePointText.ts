/**
 * A text with the UTF-16 offset of each of its code points, to convert between UTF-16 (the editor's
 * positions, JavaScript indexes, doccano's offsets) and code points (the dataset's offsets) in both
 * directions without rescanning. Built once per text: slicing by code point through a string index
 * would be quadratic on long texts.
 */
export class CodePointText {
  readonly chars: readonly string[];
  /** utf16[i] = UTF-16 offset where code point i starts; utf16[length] = text.length. */
  private readonly utf16: Int32Array;

  constructor(readonly text: string) {
    this.chars = Array.from(text);
    this.utf16 = new Int32Array(this.chars.length + 1);
    let offset = 0;
    this.chars.forEach((c, i) => {
      this.utf16[i] = offset;
      offset += c.length;
    });
    this.utf16[this.chars.length] = offset;
  }

  /** Number of code points (Python len()). */
  get length(): number {
    return this.chars.length;
  }

  /** UTF-16 offset where code point `cp` starts; cp may equal length. */
  utf16Offset(cp: number): number {
    if (!Number.isInteger(cp) || cp < 0 || cp > this.length) throw new RangeError(`code point offset ${cp} outside 0..${this.length}`);
    return this.utf16[cp];
  }

  /**
   * Code-point offset of a UTF-16 offset. Inside a surrogate pair, `floor` gives the pair's code
   * point (a selection's start) and `ceil` the one after it (its end).
   */
  codePointOffset(utf16: number, rounding: 'floor' | 'ceil'): number {
    if (utf16 <= 0) return 0;
    if (utf16 >= this.text.length) return this.length;
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.utf16[mid] <= utf16) lo = mid;
      else hi = mid - 1;
    }
    return rounding === 'floor' || this.utf16[lo] === utf16 ? lo : lo + 1;
  }

  /**
   * The code point that starts exactly at UTF-16 offset `utf16` (length at the end); undefined when
   * `utf16` is outside the text or falls between the two halves of a character outside the BMP.
   */
  codePointStartingAt(utf16: number): number | undefined {
    if (!Number.isInteger(utf16) || utf16 < 0 || utf16 > this.text.length) return undefined;
    const cp = this.codePointOffset(utf16, 'floor');
    return this.utf16[cp] === utf16 ? cp : undefined;
  }

  /** text[start:end] with code-point offsets. */
  slice(start: number, end: number): string {
    return this.chars.slice(start, end).join('');
  }
}
