/** How a JSONL line writes its JSON, so that edits read as if the line's own writer made them. */
export interface LineStyle {
  afterColon: string;
  afterComma: string;
  /** Non-ASCII characters written as \uXXXX escapes (Python's json.dumps default, ensure_ascii). */
  asciiOnly: boolean;
}

/**
 * Mirrors the line's own style: `{"a": 1, "b": 2}` (Python's json.dumps) or `{"a":1,"b":2}`, and
 * ASCII-only lines that escape their non-ASCII text stay ASCII-only.
 */
export function lineStyle(line: string): LineStyle {
  const spaced = /"\s*:\s/.test(line) || /,\s+"/.test(line);
  const asciiOnly = !/[^\x20-\x7e]/.test(line) && /\\u[0-9a-fA-F]{4}/.test(line);
  return spaced ? { afterColon: ' ', afterComma: ' ', asciiOnly } : { afterColon: '', afterComma: '', asciiOnly };
}

/** A JSON string literal in the line's style. */
export function jsonString(s: string, style: LineStyle): string {
  const literal = JSON.stringify(s);
  if (!style.asciiOnly) return literal;
  return literal.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
