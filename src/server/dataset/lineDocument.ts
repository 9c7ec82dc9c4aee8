import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

/**
 * A TextDocument kept as an array of lines, for dataset JSONL. The library's TextDocument keeps
 * one string and rebuilds it on every edit: for a 60 MB file that is a 100 MB copy per keystroke
 * (about 50 ms). Here an edit replaces the few lines it touches. Behaves like the library's
 * TextDocument (same clamping of positions, "\r\n", "\n" and "\r" line breaks); a test checks
 * the two against each other on random edits.
 */
export class LineDocument implements TextDocument {
  /** Each line with its line break; the last one has none. */
  private lines: string[];
  /** Offset of each line's start, rebuilt lazily after an edit. */
  private starts: number[] | undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private currentVersion: number,
    content: string,
  ) {
    this.lines = splitKeepingBreaks(content);
  }

  get version(): number {
    return this.currentVersion;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  /** Line i without its line break. */
  lineText(i: number): string {
    const line = this.lines[i] ?? '';
    return line.slice(0, line.length - breakLength(line));
  }

  getLineRange(line: number): Range {
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (line >= this.lines.length) {
      const last = this.lines.length - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.lines[last].length } };
    }
    return { start: { line, character: 0 }, end: { line, character: this.lineText(line).length } };
  }

  getEOLCharacters(line: number): string {
    if (line < 0 || line >= this.lines.length) return '';
    const text = this.lines[line];
    return text.slice(text.length - breakLength(text));
  }

  getText(range?: Range): string {
    if (!range) return this.lines.join('');
    const [start, end] = ordered(this.clamp(range.start), this.clamp(range.end));
    if (start.line === end.line) return this.lines[start.line].slice(start.character, end.character);
    const parts = [this.lines[start.line].slice(start.character)];
    for (let i = start.line + 1; i < end.line; i++) parts.push(this.lines[i]);
    parts.push(this.lines[end.line].slice(0, end.character));
    return parts.join('');
  }

  offsetAt(position: Position): number {
    const p = this.clamp(position);
    return this.lineStarts()[p.line] + p.character;
  }

  positionAt(offset: number): Position {
    const starts = this.lineStarts();
    const total = starts[starts.length - 1] + this.lines[this.lines.length - 1].length;
    const at = Math.max(0, Math.min(offset, total));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    const line = this.lines[lo];
    return { line: lo, character: Math.min(at - starts[lo], line.length - breakLength(line)) };
  }

  /** Applies content changes in order, like TextDocument.update. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if (!('range' in change)) {
        this.lines = splitKeepingBreaks(change.text);
        continue;
      }
      const [from, end] = ordered(this.clamp(change.range.start), this.clamp(change.range.end));
      let start = from;
      let prefix = this.lines[start.line].slice(0, start.character);
      // A "\n" arriving right after a line that ends in a lone "\r" joins that line break.
      if (
        prefix === '' &&
        start.line > 0 &&
        /[^\n]\r$|^\r$/.test(this.lines[start.line - 1]) &&
        /^\n/.test(change.text + this.lines[end.line].slice(end.character))
      ) {
        start = { line: start.line - 1, character: 0 };
        prefix = this.lines[start.line];
      }
      const suffix = this.lines[end.line].slice(end.character);
      const replacement = splitKeepingBreaks(prefix + change.text + suffix);
      // Inside the document the rewritten text ends with the last line's break: no line follows it.
      if (end.line < this.lines.length - 1 && replacement[replacement.length - 1] === '') replacement.pop();
      this.lines.splice(start.line, end.line - start.line + 1, ...replacement);
    }
    this.starts = undefined;
    this.currentVersion = version;
  }

  private lineStarts(): number[] {
    if (!this.starts) {
      const starts = new Array<number>(this.lines.length);
      let offset = 0;
      for (let i = 0; i < this.lines.length; i++) {
        starts[i] = offset;
        offset += this.lines[i].length;
      }
      this.starts = starts;
    }
    return this.starts;
  }

  /** A position inside the document: line within range, character not past the line's text. */
  private clamp(position: Position): Position {
    if (position.line < 0) return { line: 0, character: 0 };
    if (position.line >= this.lines.length) {
      const last = this.lines.length - 1;
      return { line: last, character: this.lines[last].length };
    }
    const line = this.lines[position.line];
    return { line: position.line, character: Math.max(0, Math.min(position.character, line.length - breakLength(line))) };
  }
}

function ordered(a: Position, b: Position): [Position, Position] {
  return a.line < b.line || (a.line === b.line && a.character <= b.character) ? [a, b] : [b, a];
}

function breakLength(line: string): number {
  if (line.endsWith('\r\n')) return 2;
  return line.endsWith('\n') || line.endsWith('\r') ? 1 : 0;
}

/** Splits after each "\r\n", "\n" or "\r"; the last piece is what follows the last break (maybe ''). */
function splitKeepingBreaks(text: string): string[] {
  const lines: string[] = [];
  const breaks = /\r\n|\n|\r/g;
  let from = 0;
  for (let m = breaks.exec(text); m; m = breaks.exec(text)) {
    lines.push(text.slice(from, m.index + m[0].length));
    from = m.index + m[0].length;
  }
  lines.push(text.slice(from));
  return lines;
}
