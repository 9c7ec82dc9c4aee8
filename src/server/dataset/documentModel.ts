import type { LabelSchema } from '../../common/labelSchema';
import { parseJsonlLine, splitLines, type ParsedLine } from './jsonlLine';
import { analyzeLine, type LineAnalysis } from './recordAnalysis';

/**
 * The records of one open JSONL document. Lines are re-parsed only when their text changed
 * (a cache keyed by line text), so an edit to one record costs one line's parse.
 */
export class JsonlDocumentModel {
  private lines: string[] = [];
  private parsed: ParsedLine[] = [];
  private analyses: LineAnalysis[] = [];
  private cache = new Map<string, { parsed: ParsedLine; analysis: LineAnalysis }>();
  private updates = 0;

  constructor(private schema: LabelSchema) {}

  update(content: string): void {
    this.updates++;
    this.lines = splitLines(content);
    const next = new Map<string, { parsed: ParsedLine; analysis: LineAnalysis }>();
    this.parsed = new Array(this.lines.length);
    this.analyses = new Array(this.lines.length);
    this.lines.forEach((line, i) => {
      let entry = this.cache.get(line) ?? next.get(line);
      if (!entry) {
        const parsed = parseJsonlLine(line);
        entry = { parsed, analysis: analyzeLine(parsed, this.schema) };
      }
      next.set(line, entry);
      this.parsed[i] = entry.parsed;
      this.analyses[i] = entry.analysis;
    });
    this.cache = next;
  }

  setSchema(schema: LabelSchema): void {
    this.schema = schema;
    this.cache.clear();
    this.update(this.lines.join('\n'));
  }

  /** Changes with every update: lets derived indexes know when to rebuild. */
  get revision(): number {
    return this.updates;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  line(i: number): string {
    return this.lines[i];
  }

  parsedLine(i: number): ParsedLine {
    return this.parsed[i];
  }

  analysis(i: number): LineAnalysis {
    return this.analyses[i];
  }
}
