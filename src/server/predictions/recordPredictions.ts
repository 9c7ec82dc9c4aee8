import { createHash } from 'node:crypto';
import type { CancellationToken } from 'vscode-languageserver/node';
import type { JsonlDocumentModel } from '../dataset/documentModel';
import { RecentCache } from '../dataset/recentCache';
import { recordIndex } from '../dataset/recordView';
import type { DecodedSpan, PredictedEntity } from '../entities/entityDecoding';
import type { EntityPredictor } from '../inference/entityPredictor';

/** What the model says of one record's text: its spans at the threshold in force (EntityPredictor.confident). */
export interface RecordPrediction {
  spans: PredictedEntity[];
  /** Lowest token margin on the constrained path (p(path tag) - p(best other tag)); null for a text without tokens. */
  minMargin: number | null;
}

/** What the store keeps: the decoding before calibration and threshold, so a new threshold needs no rerun. */
interface StoredPrediction {
  decoded: DecodedSpan[];
  minMargin: number | null;
}

/** Which records to predict: the unlabelled ones (uncertainty, pre-annotation) or the labelled ones (disagreements with gold). */
export type RecordSelection = 'unlabelled' | 'labelled';

export interface ScoreProgress {
  /** Records of the selection (with a text). */
  records: number;
  /** Of them, the records whose text has a prediction now. */
  scored: number;
  /** Texts predicted by this call. */
  predicted: number;
  cancelled: boolean;
}

/** Texts run through the model together; cancellation and a changed model are checked between slices. */
const SLICE = 16;
/** Lines keyed between yields to the event loop, so a 100,000-record file never holds the server for long. */
const KEY_LINES_PER_TURN = 2_000;
/** Record predictions kept per model (a 100,000-record dataset and some more). */
const STORE_CAPACITY = 250_000;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The key of a record's text: predictions are the text's, whatever line it is on and whatever its labels. */
export function recordTextKey(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

interface LineKeys {
  revision: number;
  /** Per line: the record text's key, null for a line without a text, undefined until computed. */
  keys: (string | null | undefined)[];
}

/**
 * Predictions of the records of whole datasets, for the model-in-the-loop features (the most uncertain
 * record, the "disagrees with the model" filter, pre-annotation). Kept per model and keyed by the
 * record's text, so they survive label edits and line moves; filled in slices by `score`, which yields
 * between slices and stops when cancelled, so any size of file can be predicted without blocking.
 */
export class RecordPredictions {
  private readonly stores = new WeakMap<EntityPredictor, RecentCache<string, StoredPrediction>>();
  private readonly lineKeys = new WeakMap<JsonlDocumentModel, LineKeys>();
  /** Bumped whenever a prediction is stored: filters computed from the store know when to recompute. */
  private storeVersion = 0;

  constructor(private readonly predictor: () => EntityPredictor | undefined) {}

  get version(): number {
    return this.storeVersion;
  }

  /** The key of line `line`'s record text (null: no valid text). */
  keyOf(model: JsonlDocumentModel, line: number): string | null {
    const keys = this.keysOf(model);
    let key = keys.keys[line];
    if (key === undefined) {
      const text = model.analysis(line).text;
      key = text ? recordTextKey(text.map.decoded) : null;
      keys.keys[line] = key;
    }
    return key;
  }

  /** Computes every line's key, yielding now and then (call before a synchronous pass over a large document). */
  async prepareKeys(model: JsonlDocumentModel, token?: CancellationToken): Promise<void> {
    const revision = model.revision;
    for (let line = 0; line < model.lineCount; line++) {
      if (model.revision !== revision || token?.isCancellationRequested) return;
      if (line % KEY_LINES_PER_TURN === KEY_LINES_PER_TURN - 1) await yieldToEventLoop();
      if (model.revision !== revision) return;
      if (!model.isBlank(line)) this.keyOf(model, line);
    }
  }

  /** The active model's prediction of line `line`'s record, when it has been predicted. */
  get(model: JsonlDocumentModel, line: number): RecordPrediction | undefined {
    const predictor = this.predictor();
    if (!predictor) return undefined;
    const key = this.keyOf(model, line);
    const stored = key === null ? undefined : this.stores.get(predictor)?.get(key);
    return stored ? { spans: predictor.confident(stored.decoded).spans, minMargin: stored.minMargin } : undefined;
  }

  /**
   * Predicts the selected records that have no prediction yet, at most `budget` texts, in slices; says
   * how many records of the selection have a prediction afterwards.
   */
  async score(model: JsonlDocumentModel, selection: RecordSelection, budget: number, token?: CancellationToken): Promise<ScoreProgress> {
    const predictor = this.predictor();
    if (!predictor) return { records: 0, scored: 0, predicted: 0, cancelled: false };
    await this.prepareKeys(model, token);
    const store = this.storeOf(predictor);
    const todo = new Map<string, string>();
    for (const line of this.selectedLines(model, selection)) {
      if (todo.size >= budget) break;
      const key = this.keyOf(model, line);
      if (key === null || store.has(key) || todo.has(key)) continue;
      const text = model.analysis(line).text;
      if (text) todo.set(key, text.map.decoded);
    }
    const entries = [...todo];
    let predicted = 0;
    let cancelled = false;
    for (let i = 0; i < entries.length; i += SLICE) {
      if (token?.isCancellationRequested || this.predictor() !== predictor) {
        cancelled = true;
        break;
      }
      const slice = entries.slice(i, i + SLICE);
      const results = await predictor.decodeMany(slice.map(([, text]) => text));
      slice.forEach(([key], k) => store.set(key, { decoded: results[k].decoded, minMargin: results[k].minMargin }));
      predicted += slice.length;
      this.storeVersion++;
      await yieldToEventLoop();
    }
    let records = 0;
    let scored = 0;
    for (const line of this.selectedLines(model, selection)) {
      const key = this.keyOf(model, line);
      if (key === null) continue;
      records++;
      if (store.has(key)) scored++;
    }
    return { records, scored, predicted, cancelled };
  }

  /** The lines of the selected records, in document order (the caller skips those without a valid text). */
  *selectedLines(model: JsonlDocumentModel, selection: RecordSelection): Generator<number> {
    const index = recordIndex(model);
    const selected = selection === 'unlabelled' ? index.unlabelled : index.labelled;
    for (let r = 0; r < index.lines.length; r++) if (selected[r] === 1) yield index.lines[r];
  }

  private keysOf(model: JsonlDocumentModel): LineKeys {
    let keys = this.lineKeys.get(model);
    if (!keys || keys.revision !== model.revision) {
      keys = { revision: model.revision, keys: [] };
      this.lineKeys.set(model, keys);
    }
    return keys;
  }

  private storeOf(predictor: EntityPredictor): RecentCache<string, StoredPrediction> {
    let store = this.stores.get(predictor);
    if (!store) {
      store = new RecentCache(STORE_CAPACITY);
      this.stores.set(predictor, store);
    }
    return store;
  }
}
