import type { JsonlDocumentModel } from '../dataset/documentModel';
import type { PlacedLabel } from '../dataset/recordAnalysis';
import { countHits, recordEntry, recountHits, trieDelta, type RecordEntry, type TrieDelta } from './recordEntry';
import { recordMatches, type StringMatch } from './recordMatches';
import { addLabelled, addOccurrences, editedTrie, StringMatchTable, type LabelledStrings, type Occurrences } from './stringMatchTable';
import { StringTrie } from './stringTrie';
import type { Tokenizes } from './tokenBoundaries';

/** How one update went (the benchmark and the server's log read it). */
export interface UpdateReport {
  /** False when it stopped because the document (or the tokenizer) changed under it. */
  completed: boolean;
  records: number;
  /** Records read again (new or edited since the last update), and records tokenized. */
  read: number;
  tokenized: number;
  /** Records whose occurrences were counted (all strings: new or edited records), or brought up to date with the strings added or removed since. */
  counted: number;
  updatedCounts: number;
  labelledStrings: number;
  ms: number;
  /** The longest stretch the update held the thread without yielding. */
  longestSliceMs: number;
}

export interface UpdateOptions {
  /** Work this long between yields. */
  sliceMs: number;
  /** Lets the event loop run (requests, typing) between slices. */
  yieldNow: () => Promise<void>;
  /** True when the update should stop (the document changed meanwhile: a newer update will run). */
  stale: () => boolean;
}

const syncOptions: UpdateOptions = { sliceMs: Infinity, yieldNow: () => Promise.resolve(), stale: () => false };

/**
 * String matching over one dataset document: keeps what it read of each record (token boundaries,
 * labelled strings, occurrence counts) on the record's label array, which the document model replaces
 * only when the line is analysed again, so an update after an edit reads and tokenizes only the
 * records the edit touched. When the set of labelled strings changes (a string labelled for the first
 * time, or its last label removed), each record's counts are brought up to date by the difference: the
 * added strings are counted in it (reading its text again), the removed ones dropped. The update works
 * in slices and yields between them.
 */
export class DatasetStringMatches {
  private entries = new WeakMap<readonly PlacedLabel[], RecordEntry | null>();
  /** The tokenizer of the entries (and of the table): another one starts over. */
  private entriesOf: Tokenizes | undefined;
  private table: StringMatchTable | undefined;
  /** The trie of the last update, completed or not (records may be counted for it). */
  private latestTrie: StringTrie | undefined;

  /** The table of the last completed update (undefined before the first). */
  get current(): StringMatchTable | undefined {
    return this.table;
  }

  async update(model: JsonlDocumentModel, tokenizer: Tokenizes, options: UpdateOptions = syncOptions): Promise<UpdateReport> {
    const started = performance.now();
    const report: UpdateReport = {
      completed: false,
      records: 0,
      read: 0,
      tokenized: 0,
      counted: 0,
      updatedCounts: 0,
      labelledStrings: 0,
      ms: 0,
      longestSliceMs: 0,
    };
    let sliceStart = performance.now();
    const pause = async (): Promise<boolean> => {
      const now = performance.now();
      if (now - sliceStart < options.sliceMs) return false;
      report.longestSliceMs = Math.max(report.longestSliceMs, now - sliceStart);
      await options.yieldNow();
      sliceStart = performance.now();
      return options.stale();
    };
    const finish = (completed: boolean): UpdateReport => {
      report.longestSliceMs = Math.max(report.longestSliceMs, performance.now() - sliceStart);
      report.ms = performance.now() - started;
      report.completed = completed;
      return report;
    };

    const lines: number[] = [];
    const entries: RecordEntry[] = [];
    const labelled: LabelledStrings = new Map();
    for (let line = 0; line < model.lineCount; line++) {
      if ((line & 7) === 0 && (await pause())) return finish(false);
      const entry = this.entryOf(model, line, tokenizer, report);
      if (!entry) continue;
      lines.push(line);
      entries.push(entry);
      addLabelled(labelled, entry);
    }
    report.records = entries.length;
    report.labelledStrings = labelled.size;
    let trie = editedTrie(labelled, this.latestTrie);
    if (!trie) {
      const builder = StringTrie.builder();
      let n = 0;
      for (const s of labelled.keys()) {
        if ((++n & 255) === 0 && (await pause())) return finish(false);
        builder.add(s);
      }
      trie = builder.done();
    }
    this.latestTrie = trie;
    // Records counted for an earlier set of strings are brought up to date by the difference.
    const deltas = new Map<StringTrie, TrieDelta>();
    const occurrences: Occurrences = new Map();
    for (let k = 0; k < entries.length; k++) {
      if (await pause()) return finish(false);
      const entry = entries[k];
      if (entry.hitsOf === trie) {
        addOccurrences(occurrences, entry);
        continue;
      }
      const hadBounds = entry.bounds !== undefined;
      const text = (): string => model.analysis(lines[k]).text?.map.decoded ?? '';
      if (entry.hitsOf && entry.hits) {
        let delta = deltas.get(entry.hitsOf);
        if (!delta) deltas.set(entry.hitsOf, (delta = trieDelta(entry.hitsOf, trie)));
        // The JSON line holds the text as it is when it has no escapes: a cheap first look for the added strings.
        const raw = delta.added.size > 0 ? model.line(lines[k]) : '';
        recountHits(entry, delta, trie, text, tokenizer, raw.includes('\\') ? undefined : raw);
        report.updatedCounts++;
      } else {
        countHits(entry, text(), trie, tokenizer);
        report.counted++;
      }
      if (!hadBounds && entry.bounds) report.tokenized++;
      addOccurrences(occurrences, entry);
    }
    this.table = new StringMatchTable(trie, labelled, occurrences);
    return finish(true);
  }

  /**
   * The string matches of line `line`'s record with the last table (its current text and labels: an
   * edit since the last update shows at once, with the dataset's counts of that update).
   */
  matchesOf(model: JsonlDocumentModel, line: number, tokenizer: Tokenizes): StringMatch[] {
    const table = this.table;
    if (!table || table.size === 0 || this.entriesOf !== tokenizer || line < 0 || line >= model.lineCount) return [];
    const entry = this.entryOf(model, line, tokenizer);
    const analysis = model.analysis(line);
    if (!entry || !analysis.text) return [];
    return recordMatches(table, analysis.text.map.decoded, entry, tokenizer, analysis.labels);
  }

  /** What is kept of line `line`'s record (null: not a record with a text), read when not yet. */
  private entryOf(model: JsonlDocumentModel, line: number, tokenizer: Tokenizes, report?: UpdateReport): RecordEntry | null {
    if (this.entriesOf !== tokenizer) {
      this.entries = new WeakMap();
      this.entriesOf = tokenizer;
      this.table = undefined;
      this.latestTrie = undefined;
    }
    if (model.isBlank(line)) return null;
    const labels = model.placedLabels(line);
    const known = this.entries.get(labels);
    if (known !== undefined) return known;
    let entry: RecordEntry | null = null;
    if (model.lineFacts(line).hasText) {
      const typed = labels.filter((l) => l.type !== undefined).map((l) => ({ start: l.start, end: l.end, tag: l.type!.tag }));
      const text = typed.length > 0 ? model.analysis(line).text?.map.decoded : undefined;
      entry = recordEntry(tokenizer, text ?? '', text === undefined ? [] : typed);
      if (report) {
        report.read++;
        if (entry.bounds) report.tokenized++;
      }
    }
    this.entries.set(labels, entry);
    return entry;
  }
}
