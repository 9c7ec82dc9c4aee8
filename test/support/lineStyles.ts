/** How a JSONL line is written: compactly (JSON.stringify), or as Python's json.dumps writes it (ensure_ascii off and on). */
export type LineStyle = 'compact' | 'json.dumps' | 'json.dumps ascii';
export const LINE_STYLES: readonly LineStyle[] = ['compact', 'json.dumps', 'json.dumps ascii'];

/** Writes a value as a JSONL line in a style. */
export type WriteLine = (value: unknown, style: LineStyle) => string;

/** The compact style, in process; the json.dumps styles are written by CPython itself (test/processes/pythonJson.ts). */
export const writeCompactLine: WriteLine = (value, style) => {
  if (style !== 'compact') throw new Error(`${style} lines are written by CPython: test/processes/pythonJson.ts`);
  return JSON.stringify(value);
};
