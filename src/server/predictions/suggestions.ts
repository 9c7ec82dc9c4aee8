import type { Connection } from 'vscode-languageserver/node';
import { documentSuggestionsNotification, type SuggestionDecoration, type SuggestionView } from '../../common/lspProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import type { JsonlDocumentModel } from '../dataset/documentModel';
import type { EntityPredictor } from '../inference/entityPredictor';
import type { JsonlDocuments } from '../lsp/jsonlDocuments';
import { spanWindow } from '../lsp/lineWindow';
import { colorOf } from './predictionPlacement';
import type { RecordPredictions } from './recordPredictions';

/** Suggestions follow edits after this pause. */
const PUBLISH_DELAY_MS = 100;

/** The key of a suggestion: its record's text, its span and its type (what a rejection remembers). */
export const suggestionKey = (textKey: string, start: number, end: number, tag: string): string => `${textKey}|${start}|${end}|${tag}`;

/**
 * Pre-annotation: the records that were unlabelled when the user pre-annotated a dataset show the
 * active model's predictions as suggestions, minus those the user rejected and those that are already
 * labels of the record (so accepting one hides it, and the rest stay). Nothing here writes to the
 * document: accepting goes through the ordinary label edits. Records are remembered by their text, so
 * suggestions survive label edits and line moves, and vanish when the text itself is edited.
 */
export class SuggestionService {
  /** Per document: the texts of its pre-annotated records. */
  private readonly preAnnotated = new Map<string, Set<string>>();
  private rejected = new Set<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: JsonlDocuments,
    private readonly records: RecordPredictions,
    private readonly predictor: () => EntityPredictor | undefined,
    private readonly schema: () => LabelSchema,
  ) {
    documents.documents.onDidChangeContent((e) => {
      if (this.preAnnotated.has(e.document.uri)) this.schedule(e.document.uri);
    });
    documents.documents.onDidOpen((e) => {
      if (this.preAnnotated.has(e.document.uri)) this.schedule(e.document.uri);
    });
  }

  /** Marks the dataset's unlabelled records that have a prediction as pre-annotated, and shows their suggestions. */
  preAnnotate(uri: string, model: JsonlDocumentModel): void {
    let texts = this.preAnnotated.get(uri);
    if (!texts) {
      texts = new Set();
      this.preAnnotated.set(uri, texts);
    }
    for (const line of this.records.selectedLines(model, 'unlabelled')) {
      const key = this.records.keyOf(model, line);
      if (key !== null && this.records.get(model, line)) texts.add(key);
    }
    this.schedule(uri, 0);
  }

  /** The whole set of rejected suggestions (from the client's workspace state). */
  setRejected(keys: readonly string[]): void {
    this.rejected = new Set(keys);
    for (const uri of this.preAnnotated.keys()) this.schedule(uri, 0);
  }

  /** The active model changed (suggestions are that model's), or the visible lines did. */
  refresh(uri?: string): void {
    for (const u of uri === undefined ? this.preAnnotated.keys() : [uri]) if (this.preAnnotated.has(u)) this.schedule(u, 0);
  }

  /** The suggestions of line `line`'s record, in start order (empty when it was not pre-annotated). */
  forLine(uri: string, model: JsonlDocumentModel, line: number): SuggestionView[] {
    const texts = this.preAnnotated.get(uri);
    const predictor = this.predictor();
    if (!texts || !predictor || line < 0 || line >= model.lineCount || model.isBlank(line)) return [];
    const textKey = this.records.keyOf(model, line);
    if (textKey === null || !texts.has(textKey)) return [];
    // The spans come from RecordPredictions.get, which applies EntityPredictor.confident (calibration and
    // the confidence threshold in force) to the stored decoding: the same step as the drawn predictions.
    const predicted = this.records.get(model, line);
    if (!predicted) return [];
    const schema = this.schema();
    const gold = model.analysis(line).labels;
    const out: SuggestionView[] = [];
    for (const s of predicted.spans) {
      const type = schema.resolve(s.tag) ?? schema.resolve(s.entity);
      if (gold.some((g) => g.start === s.start && g.end === s.end && (g.type ? g.type.tag === (type?.tag ?? s.tag) : g.entity === s.entity || g.entity === s.tag))) continue;
      const key = suggestionKey(textKey, s.start, s.end, s.tag);
      if (this.rejected.has(key)) continue;
      const modelColor = predictor.model.scheme.types.find((t) => t.tag === s.tag)?.color;
      out.push({ key, start: s.start, end: s.end, entity: type?.name ?? s.entity, tag: s.tag, color: colorOf(schema, s, modelColor), value: s.value, confidence: s.confidence });
    }
    return out.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  /**
   * What the annotation view shows of line `line`'s suggestions: undefined while the document was never
   * pre-annotated (no suggestion bar), else the record's suggestions (empty: the bar says there are none).
   */
  forRecordView(uri: string, model: JsonlDocumentModel, line: number): SuggestionView[] | undefined {
    return this.preAnnotated.has(uri) ? this.forLine(uri, model, line) : undefined;
  }

  /** The suggestions of line `line`, placed at their columns in the document. */
  placedForLine(uri: string, model: JsonlDocumentModel, line: number): SuggestionDecoration[] {
    const views = this.forLine(uri, model, line);
    if (views.length === 0) return [];
    const text = model.analysis(line).text;
    if (!text) return [];
    const contentStart = text.literal.start + 1;
    return views.map((v) => ({
      ...v,
      range: { start: { line, character: contentStart + text.map.rawOffsetOf(v.start) }, end: { line, character: contentStart + text.map.rawOffsetOf(v.end) } },
    }));
  }

  /** Every suggestion the document's pre-annotated records show now. */
  count(uri: string, model: JsonlDocumentModel): number {
    let n = 0;
    for (let line = 0; line < model.lineCount; line++) n += this.forLine(uri, model, line).length;
    return n;
  }

  private schedule(uri: string, delay = PUBLISH_DELAY_MS): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.publish(uri);
      }, delay),
    );
  }

  private publish(uri: string): void {
    const entry = this.documents.get(uri);
    if (!entry) return;
    const { model } = entry;
    const window = spanWindow(model.lineCount, entry.visible);
    const suggestions: SuggestionDecoration[] = [];
    for (const range of window ?? [{ start: 0, end: model.lineCount }]) {
      for (let line = range.start; line < Math.min(range.end, model.lineCount); line++) suggestions.push(...this.placedForLine(uri, model, line));
    }
    void this.connection.sendNotification(documentSuggestionsNotification, { uri, version: entry.document.version, suggestions, ...(window ? { lines: window } : {}) });
  }
}
