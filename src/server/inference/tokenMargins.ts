import type { EncodedText } from '../entities/entityEncoding';

/**
 * A text's uncertainty: the lowest margin (p(best) - p(second best)) among its content tokens, each
 * token's margin taken from the window that owns it (window rows include the [CLS]/[SEP] positions,
 * as the model's output does). Null for a text without tokens. Lower is more uncertain.
 */
export function lowestTokenMargin(encoded: EncodedText, margins: readonly (readonly number[])[]): number | null {
  if (margins.length !== encoded.windows.length) throw new Error(`${margins.length} margin rows for a text of ${encoded.windows.length} windows`);
  let lowest: number | null = null;
  encoded.windows.forEach((w, k) => {
    const row = margins[k];
    if (row.length !== w.end - w.start + 2) throw new Error(`window ${k}: ${row.length} margins for ${w.end - w.start + 2} input tokens`);
    for (let t = w.ownStart; t < w.ownEnd; t++) {
      const m = row[t - w.start + 1];
      if (lowest === null || m < lowest) lowest = m;
    }
  });
  return lowest;
}
