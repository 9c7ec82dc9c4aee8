import type { Connection } from 'vscode-languageserver/node';
import { MODEL_SUGGESTION_MIN_CONFIDENCE, documentSuggestionsNotification, type SuggestionDecoration, type SuggestionView } from '../../common/lspProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import type { JsonlDocumentModel } from '../dataset/documentModel';
import type { EntityPredictor } from '../inference/entityPredictor';
import type { JsonlDocuments } from '../lsp/jsonlDocuments';
import { spanWindow } from '../lsp/lineWindow';
import type { StringMatch } from '../stringMatching/recordMatches';
import type { StringMatcher } from '../stringMatching/stringMatcher';
import { mergeSuggestions } from './mergeSuggestions';
import { colorOf } from './predictionPlacement';
import type { RecordPredictions } from './recordPredictions';

/** Suggestions follow edits after this pause. */
const PUBLISH_DELAY_MS = 100;

/** The key of a suggestion: its record's text, its span and its type (what a rejection remembers). */
export const suggestionKey = (textKey: string, start: number, end: number, tag: string): string => `${textKey}|${start}|${end}|${tag}`;

/**
 * The suggestions of the open datasets, from every source, merged (mergeSuggestions: one per span,
 * the more confident one where sources disagree or overlap), minus those the user rejected:
 * - 'model': the records that were unlabelled when the user pre-annotated a dataset show the active
 *   model's predictions from finlabel.suggestions.modelMinConfidence on (minus those that are already
 *   labels of the record, so accepting one hides it and the rest stay). Records are remembered by their text, so these survive label edits and line
 *   moves, and vanish when the text itself is edited.
 * - 'stringMatch': every record of a dataset with labels shows the strings labelled elsewhere in it,
 *   wherever they occur unlabelled on token boundaries (StringMatcher); no pre-annotation needed.
 * Nothing here writes to the document: accepting goes through the ordinary label edits.
 */
export class SuggestionService {
  /** Per document: the texts of its pre-annotated records. */
  private readonly preAnnotated = new Map<string, Set<string>>();
  /** Documents sent suggestions at least once (they are sent the empty set when they have none left). */
  private readonly published = new Set<string>();
  private rejected = new Set<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The model the pre-annotated records were last predicted again for. */
  private repredictedFor: EntityPredictor | undefined;
  private modelMinConfidence = MODEL_SUGGESTION_MIN_CONFIDENCE;

  constructor(
    private readonly connection: Connection,
    private readonly documents: JsonlDocuments,
    private readonly records: RecordPredictions,
    private readonly predictor: () => EntityPredictor | undefined,
    private readonly schema: () => LabelSchema,
    private readonly stringMatches: StringMatcher,
  ) {
    documents.documents.onDidChangeContent((e) => {
      if (this.preAnnotated.has(e.document.uri)) this.schedule(e.document.uri);
    });
    documents.documents.onDidOpen((e) => {
      if (this.preAnnotated.has(e.document.uri)) this.schedule(e.document.uri);
    });
    documents.documents.onDidClose((e) => this.published.delete(e.document.uri));
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

  /**
   * The active model changed: the records of pre-annotated datasets are predicted again by the new one
   * (as many as were pre-annotated), so their suggestions become its suggestions rather than vanish.
   */
  async repredict(): Promise<void> {
    const predictor = this.predictor();
    // Every settings change comes here: only a new model has anything to predict again.
    if (!predictor || predictor === this.repredictedFor) return;
    this.repredictedFor = predictor;
    for (const [uri, texts] of this.preAnnotated) {
      const entry = this.documents.get(uri);
      if (!entry) continue;
      await this.records.score(entry.model, 'unlabelled', Math.max(1, texts.size));
      this.schedule(uri, 0);
    }
  }

  /** finlabel.suggestions.modelMinConfidence: the model's suggestions are those predictions at this calibrated confidence or above. */
  configure(modelMinConfidence = MODEL_SUGGESTION_MIN_CONFIDENCE): void {
    if (modelMinConfidence === this.modelMinConfidence) return;
    this.modelMinConfidence = modelMinConfidence;
    this.refresh();
  }

  /** The whole set of rejected suggestions (from the client's workspace state). */
  setRejected(keys: readonly string[]): void {
    this.rejected = new Set(keys);
    for (const uri of this.shownIn()) this.schedule(uri, 0);
  }

  /** The active model changed (suggestions are that model's), the string matches were updated, or the visible lines changed. */
  refresh(uri?: string): void {
    for (const u of uri === undefined ? this.shownIn() : [uri]) if (this.showsSuggestions(u) || this.published.has(u)) this.schedule(u, 0);
  }

  /** The suggestions of line `line`'s record, every source merged, in start order. */
  forLine(uri: string, model: JsonlDocumentModel, line: number): SuggestionView[] {
    if (line < 0 || line >= model.lineCount || model.isBlank(line)) return [];
    const textKey = this.records.keyOf(model, line);
    if (textKey === null) return [];
    const candidates = [...this.modelSuggestions(uri, model, line, textKey), ...this.stringMatchSuggestions(uri, model, line, textKey)];
    return mergeSuggestions(candidates.filter((s) => !this.rejected.has(s.key)));
  }

  /**
   * What the annotation view shows of line `line`'s suggestions: undefined while the document has none
   * to offer (no suggestion bar), else the record's suggestions (empty: the bar says there are none).
   */
  forRecordView(uri: string, model: JsonlDocumentModel, line: number): SuggestionView[] | undefined {
    return this.showsSuggestions(uri) ? this.forLine(uri, model, line) : undefined;
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

  /** The model's suggestions the document's pre-annotated records show now (what Pre-annotate reports). */
  count(uri: string, model: JsonlDocumentModel): number {
    const texts = this.preAnnotated.get(uri);
    if (!texts) return 0;
    let n = 0;
    for (let line = 0; line < model.lineCount; line++) {
      const key = model.isBlank(line) ? null : this.records.keyOf(model, line);
      if (key !== null && texts.has(key)) n += this.forLine(uri, model, line).filter((s) => s.source === 'model').length;
    }
    return n;
  }

  /** Whether the document has suggestions to offer at all: pre-annotated, or string matching has labelled strings. */
  private showsSuggestions(uri: string): boolean {
    return this.preAnnotated.has(uri) || this.stringMatches.active(uri);
  }

  private shownIn(): Set<string> {
    return new Set([...this.preAnnotated.keys(), ...this.published]);
  }

  /** The active model's predictions of a pre-annotated record (not those already labels of it). */
  private modelSuggestions(uri: string, model: JsonlDocumentModel, line: number, textKey: string): SuggestionView[] {
    const predictor = this.predictor();
    if (!predictor || !this.preAnnotated.get(uri)?.has(textKey)) return [];
    // The spans come from RecordPredictions.get, which applies EntityPredictor.confident (calibration and
    // the confidence threshold in force) to the stored decoding: the same step as the drawn predictions.
    const predicted = this.records.get(model, line);
    if (!predicted) return [];
    const schema = this.schema();
    const gold = model.analysis(line).labels;
    const out: SuggestionView[] = [];
    for (const s of predicted.spans) {
      if (!offeredAsSuggestion(s.confidence, this.modelMinConfidence)) continue;
      const type = schema.resolve(s.tag) ?? schema.resolve(s.entity);
      if (
        gold.some((g) => g.start === s.start && g.end === s.end && (g.type ? g.type.tag === (type?.tag ?? s.tag) : g.entity === s.entity || g.entity === s.tag))
      )
        continue;
      const modelColor = predictor.model.scheme.types.find((t) => t.tag === s.tag)?.color;
      out.push({
        key: suggestionKey(textKey, s.start, s.end, s.tag),
        start: s.start,
        end: s.end,
        entity: type?.name ?? s.entity,
        tag: s.tag,
        color: colorOf(schema, s, modelColor),
        value: s.value,
        confidence: s.confidence,
        source: 'model',
        basis: `predicted by ${predictor.model.name}`,
      });
    }
    return out;
  }

  /** The strings labelled elsewhere in the dataset that occur unlabelled in this record. */
  private stringMatchSuggestions(uri: string, model: JsonlDocumentModel, line: number, textKey: string): SuggestionView[] {
    const matches = this.stringMatches.matchesOf(uri, model, line);
    if (matches.length === 0) return [];
    const schema = this.schema();
    return matches.flatMap((m): SuggestionView[] => {
      const type = schema.resolve(m.tag);
      if (!type) return [];
      return [
        {
          key: suggestionKey(textKey, m.start, m.end, type.tag),
          start: m.start,
          end: m.end,
          entity: type.name,
          tag: type.tag,
          color: type.color,
          value: m.value,
          confidence: m.confidence,
          source: 'stringMatch',
          basis: stringMatchBasis(type.name, m),
        },
      ];
    });
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
    if (!this.showsSuggestions(uri) && !this.published.has(uri)) return;
    const { model } = entry;
    const window = spanWindow(model.lineCount, entry.visible);
    const suggestions: SuggestionDecoration[] = [];
    for (const range of window ?? [{ start: 0, end: model.lineCount }]) {
      for (let line = range.start; line < Math.min(range.end, model.lineCount); line++) suggestions.push(...this.placedForLine(uri, model, line));
    }
    this.published.add(uri);
    void this.connection.sendNotification(documentSuggestionsNotification, {
      uri,
      version: entry.document.version,
      suggestions,
      ...(window ? { lines: window } : {}),
    });
  }
}

/** Whether a model's prediction is offered as a suggestion at `floor` (one without a confidence cannot be judged, and is). */
export function offeredAsSuggestion(confidence: number | null, floor: number): boolean {
  return confidence === null || confidence >= floor;
}

/** Why string matching suggests a span, in words: "labelled 借款金额 3 of the 4 times it occurs in this dataset". */
export function stringMatchBasis(entity: string, m: Pick<StringMatch, 'labelled' | 'occurrences'>): string {
  return `labelled ${entity} ${m.labelled} of the ${m.occurrences} time${m.occurrences === 1 ? '' : 's'} it occurs in this dataset`;
}
