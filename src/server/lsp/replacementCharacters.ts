import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';

export const REPLACEMENT_CHARACTER = '\uFFFD';

/** A file whose every line is garbled needs no more warnings than this. */
const MAX_LINES = 100;

const MESSAGE =
  'The file is not valid UTF-8: VS Code shows its bytes on this line as U+FFFD (�), and saving the file ' +
  'would write U+FFFD in their place for good. Reopen it with its real encoding, or run "finlabel validate" ' +
  'on it for the line and byte offset of the first bad byte.';

/**
 * One warning on each line (the first MAX_LINES) holding U+FFFD, from its first to its last U+FFFD.
 * For a document whose file has bytes that are not UTF-8: there, U+FFFD stands for bytes VS Code
 * could not decode.
 */
export function replacementCharacterDiagnostics(document: TextDocument): Diagnostic[] {
  const text = document.getText();
  const ranges: Range[] = [];
  let lines = 0;
  for (let at = text.indexOf(REPLACEMENT_CHARACTER); at >= 0;) {
    const { line } = document.positionAt(at);
    const nextLine = document.offsetAt({ line: line + 1, character: 0 });
    if (++lines <= MAX_LINES)
      ranges.push({ start: document.positionAt(at), end: document.positionAt(text.lastIndexOf(REPLACEMENT_CHARACTER, nextLine - 1) + 1) });
    at = nextLine >= text.length ? -1 : text.indexOf(REPLACEMENT_CHARACTER, nextLine);
  }
  const more = ` (this line and ${lines - MAX_LINES} more below have U+FFFD; only the first ${MAX_LINES} lines are marked)`;
  return ranges.map((range, i) => ({
    range,
    severity: DiagnosticSeverity.Warning,
    code: 'not-utf8',
    source: 'finlabel',
    message: lines > MAX_LINES && i === MAX_LINES - 1 ? MESSAGE + more : MESSAGE,
  }));
}
