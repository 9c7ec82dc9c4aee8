import { TextDocument, type Range, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { LabelSchema } from '../../common/labelSchema';
import type { ColumnSpan, ParsedLine } from './jsonlLine';
import { parseJsonlLine } from './jsonlLine';
import { JsonStringMap } from './jsonStringMap';
import { LineDocument } from './lineDocument';
import { analyzeLine, type LineAnalysis, type LineProblem, type PlacedLabel } from './recordAnalysis';
import { RecentCache } from './recentCache';

/**
 * What is kept of one analysed line. Deliberately small (no parse tree, no offset map): a
 * 100,000-record file keeps one of these per line; trees and maps are rebuilt for the few lines
 * that are shown or edited.
 */
interface LineSummary {
  kind: ParsedLine['kind'];
  problems: LineProblem[];
  labels: PlacedLabel[];
  /** The "text" string literal's columns, when it is a valid string. */
  literal?: ColumnSpan;
  id: string | null;
  /** Entries in "labels" (valid or not); -1 when "labels" is there but not an array. */
  labelEntries: number;
}

/** What the annotation view's filters ask of a line, without re-parsing it. */
export interface LineFacts {
  kind: ParsedLine['kind'];
  hasText: boolean;
  labelEntries: number;
  problemCount: number;
}

/** Lines whose parse tree or text map was built recently (shown, hovered, edited). */
const RECENT_LINES = 2_000;

/**
 * The records of one open dataset JSONL, analysed lazily and updated incrementally: an edit
 * re-analyses only the lines it touched, so a change on record 90,000 of a 100,000-record file
 * costs one line's parse. The text itself stays in the TextDocument (one copy).
 */
export class JsonlDocumentModel {
  private document: TextDocument = TextDocument.create('untitled:empty', 'jsonl', 0, '');
  /** summaries[i] describes line i, or is undefined until line i is analysed. */
  private summaries: (LineSummary | undefined)[] = [undefined];
  private analysedCount = 0;
  private updates = 0;
  /**
   * Keyed by line index and emptied on every edit. (Keyed by line text they would survive edits,
   * but a line's text is a slice of the whole document's string and would keep every old version
   * of a 60 MB document alive.)
   */
  private readonly parsedCache = new RecentCache<number, ParsedLine>(RECENT_LINES);
  private readonly mapCache = new RecentCache<number, JsonStringMap | undefined>(RECENT_LINES);

  constructor(private schema: LabelSchema) {}

  /** Starts over from a whole document. */
  reset(document: TextDocument): void {
    this.updates++;
    this.document = document;
    this.summaries = new Array<LineSummary | undefined>(document.lineCount).fill(undefined);
    this.analysedCount = 0;
    this.parsedCache.clear();
    this.mapCache.clear();
  }

  /** Convenience for tools and tests: the model of a whole text. */
  update(content: string): void {
    this.reset(TextDocument.create('untitled:model', 'jsonl', 0, content));
  }

  /**
   * Applies the content changes the editor sent (in order), given the document after them. Only
   * the lines a change touched lose their analysis; the others shift with it.
   */
  applyChanges(document: TextDocument, changes: readonly TextDocumentContentChangeEvent[]): void {
    this.updates++;
    this.document = document;
    this.parsedCache.clear();
    this.mapCache.clear();
    for (const change of changes) {
      if (!('range' in change)) {
        this.reset(document);
        return;
      }
      const [first, last] = changedLines(change.range, this.summaries.length);
      const added = lineBreaks(change.text);
      // The lines next to the change go too: a "\r" and a "\n" meeting across its edge join lines.
      const from = Math.max(0, first - 1);
      const removed = Math.min(this.summaries.length, last + 2) - from;
      const replacement = new Array<LineSummary | undefined>(removed - (last - first) + added).fill(undefined);
      const dropped = this.summaries.splice(from, removed, ...replacement);
      this.analysedCount -= dropped.filter((s) => s !== undefined).length;
    }
    // Line breaks merged or split in ways the count above cannot see: start over rather than guess.
    if (this.summaries.length !== document.lineCount) this.reset(document);
  }

  setSchema(schema: LabelSchema): void {
    this.schema = schema;
    this.reset(this.document);
  }

  /** Changes with every update: lets derived indexes know when to rebuild. */
  get revision(): number {
    return this.updates;
  }

  get lineCount(): number {
    return this.summaries.length;
  }

  /** True once every line has been analysed (diagnostics are complete). */
  get fullyAnalysed(): boolean {
    return this.analysedCount === this.summaries.length;
  }

  /** Analyses lines that are not yet, for at most `budgetMs`; returns true when all are done. */
  analyseSome(budgetMs: number): boolean {
    const deadline = Date.now() + budgetMs;
    for (let i = 0; i < this.summaries.length; i++) {
      if (this.summaries[i] !== undefined) continue;
      // Background validation keeps nothing but the summary: caching 100,000 parse trees in passing
      // would only churn the caches of the lines on screen.
      this.summary(i, false);
      if ((i & 63) === 0 && Date.now() > deadline) break;
    }
    return this.fullyAnalysed;
  }

  /** The text of line i, without its line break. */
  line(i: number): string {
    if (this.document instanceof LineDocument) return this.document.lineText(i);
    const text = this.document.getText({ start: { line: i, character: 0 }, end: { line: i + 1, character: 0 } });
    return text.replace(/(\r\n|\n|\r)$/, '');
  }

  parsedLine(i: number): ParsedLine {
    let parsed = this.parsedCache.get(i);
    if (!parsed) {
      parsed = parseJsonlLine(this.line(i));
      this.parsedCache.set(i, parsed);
    }
    return parsed;
  }

  /** The problems of line i (cheaper than analysis(): no text map). */
  problems(i: number): readonly LineProblem[] {
    return this.summary(i).problems;
  }

  /** Everything `finlabel validate` finds in line i, with its labels placed. */
  analysis(i: number): LineAnalysis {
    const s = this.summary(i);
    const map = s.literal ? this.textMap(i, s.literal) : undefined;
    return { problems: s.problems, labels: s.labels, text: s.literal && map ? { literal: s.literal, map } : undefined };
  }

  /**
   * The placed labels of line i, without building its text map. The array stays the same object until
   * line i is analysed again (an edit touched it, or the schema changed), so what is derived from a line
   * can be cached on it (a WeakMap keyed by this array).
   */
  placedLabels(i: number): readonly PlacedLabel[] {
    return this.summary(i).labels;
  }

  /** Whether line i is blank (not a record), without analysing it when it is not yet. */
  isBlank(i: number): boolean {
    const known = this.summaries[i];
    return known ? known.kind === 'blank' : this.line(i).trim() === '';
  }

  lineFacts(i: number): LineFacts {
    const s = this.summary(i);
    return { kind: s.kind, hasText: s.literal !== undefined, labelEntries: s.labelEntries, problemCount: s.problems.length };
  }

  /** The record id of line i, when it has one. */
  recordId(i: number): string | null {
    return this.summary(i).id;
  }

  private summary(i: number, cache = true): LineSummary {
    const known = this.summaries[i];
    if (known) return known;
    const parsed = cache ? this.parsedLine(i) : parseJsonlLine(this.line(i));
    const analysis = analyzeLine(parsed, this.schema);
    const summary: LineSummary = {
      kind: parsed.kind,
      problems: analysis.problems,
      labels: analysis.labels,
      literal: analysis.text?.literal,
      id: recordId(parsed),
      labelEntries: parsed.kind !== 'record' ? 0 : parsed.labelsNode && parsed.labelsNode.type !== 'array' ? -1 : parsed.labels.length,
    };
    if (cache && analysis.text) this.mapCache.set(i, analysis.text.map);
    this.summaries[i] = summary;
    this.analysedCount++;
    return summary;
  }

  private textMap(i: number, literal: ColumnSpan): JsonStringMap | undefined {
    if (this.mapCache.has(i)) return this.mapCache.get(i);
    const map = JsonStringMap.fromRawContent(this.line(i).slice(literal.start + 1, literal.end - 1));
    this.mapCache.set(i, map);
    return map;
  }
}

/**
 * The first and last line a change's range covers in a document of `lineCount` lines, clamped as
 * TextDocument.update clamps it: a line before the first is the document's start, a line past the
 * last is its end (editors and clients do send such ranges). Characters do not matter: whole lines
 * are re-analysed.
 */
function changedLines(range: Range, lineCount: number): [number, number] {
  const clamp = (line: number): number => Math.max(0, Math.min(line, lineCount - 1));
  const [a, b] = [clamp(range.start.line), clamp(range.end.line)];
  return a <= b ? [a, b] : [b, a];
}

function lineBreaks(text: string): number {
  return text.match(/\r\n|\n|\r/g)?.length ?? 0;
}

function recordId(parsed: ParsedLine): string | null {
  if (parsed.kind !== 'record') return null;
  const value = parsed.value as { id?: unknown } | null;
  if (typeof value !== 'object' || value === null || value.id === undefined || value.id === null) return null;
  return String(value.id);
}
