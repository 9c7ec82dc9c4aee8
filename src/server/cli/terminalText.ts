import type { CliOutput } from './command';

/**
 * Characters a file may hold that a terminal would act on or display misleadingly: C0 controls but tab
 * and line feed (ESC starts colour and cursor sequences, BEL rings, CR overwrites the line), DEL and C1
 * controls, the Unicode line and paragraph separators, bidirectional embeddings, overrides and isolates,
 * and lone surrogates (which would be printed as U+FFFD).
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- control characters are what this finds
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text for the terminal, with each unsafe character written as a \uXXXX escape. Inside a JSON string
 * that escape means the same character, so JSON output parses to the same data.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** An output that escapes whatever is written to it. */
export function terminalOutput(out: CliOutput): CliOutput {
  return { write: (text: string) => out.write(escapeForTerminal(text)) };
}
