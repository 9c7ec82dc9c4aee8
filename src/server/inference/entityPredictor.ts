import { createHash } from 'node:crypto';
import { RecentCache } from '../dataset/recentCache';
import { confidentSpans, effectiveThreshold, type ThresholdedSpans } from '../calibration/entityCalibration';
import { decodeEntityScores, type DecodedSpan, type PredictedEntity } from '../entities/entityDecoding';
import { encodeText } from '../entities/entityEncoding';
import { loadEntityModelFolder, onnxFileFor, type EntityModelFolder, type ModelPrecision } from './entityModelFolder';
import { OnnxTokenClassifier, defaultThreads } from './onnxTokenClassifier';

/** A text's decoded spans before calibration and threshold (what the caches keep), and what it cost. */
export interface TextDecoding {
  decoded: DecodedSpan[];
  /** The text's uncertainty: the lowest margin of its tokens on the constrained path (DecodedText); null when it has no tokens. */
  minMargin: number | null;
  /** Windows the text was cut into, and how many of them had to be run (the rest came from the cache). */
  windows: number;
  computedWindows: number;
  /** The whole text's spans came from the text cache. */
  cached: boolean;
}

/**
 * A text's predicted spans (calibrated confidences, at least the threshold) and what it cost.
 * `candidates` counts the decoded spans before the threshold, `lowConfidence` those it hid.
 */
export interface TextPrediction extends ThresholdedSpans {
  spans: PredictedEntity[];
  /** Windows the text was cut into, and how many of them had to be run (the rest came from the cache). */
  windows: number;
  computedWindows: number;
  /** The whole text's spans came from the text cache. */
  cached: boolean;
  /** The text's uncertainty: the lowest token margin on the constrained path; null when it has no tokens. */
  minMargin: number | null;
}

/** A window's log-probabilities, [CLS] tokens [SEP] rows of the scheme's labels. */
type WindowResult = Float32Array;

/** What a window feeds the graph: its token ids, and where each sits in a word for a model that reads it. */
interface WindowInput {
  ids: readonly number[];
  wordBoundaries: readonly number[] | undefined;
}

interface TextResult {
  decoded: DecodedSpan[];
  minMargin: number | null;
}

export interface PredictorOptions {
  threads?: number;
  /** Which graph of the folder to run (default fp32: model.onnx). */
  precision?: ModelPrecision;
  /** Windows run together in one session call. */
  batchSize?: number;
  windowCacheSize?: number;
  textCacheSize?: number;
  /** A confidence threshold instead of the card's (finlabel.predictions.confidenceThreshold, --min-confidence). */
  minConfidence?: number | null;
}

const hashOf = (data: string | Int32Array): string =>
  createHash('sha1')
    .update(typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength))
    .digest('base64');

/**
 * Predicts entity spans with one model folder's ONNX session. Two caches, both per model: whole texts
 * (keyed by the text's hash), so records that did not change cost nothing; and windows (keyed by
 * their token ids and word boundaries), so an edit to a long contract reruns only the windows whose
 * tokens changed.
 */
export class EntityPredictor {
  private readonly windowCache: RecentCache<string, WindowResult>;
  private readonly textCache: RecentCache<string, TextResult>;
  private readonly batchSize: number;
  private minConfidence: number | null;

  private constructor(
    readonly model: EntityModelFolder,
    private readonly classifier: OnnxTokenClassifier,
    options: PredictorOptions,
  ) {
    this.batchSize = options.batchSize ?? 8;
    this.minConfidence = options.minConfidence ?? null;
    this.windowCache = new RecentCache(options.windowCacheSize ?? 4096);
    this.textCache = new RecentCache(options.textCacheSize ?? 20_000);
  }

  static async load(dir: string, options: PredictorOptions = {}): Promise<EntityPredictor> {
    const model = loadEntityModelFolder(dir);
    const file = onnxFileFor(model, options.precision ?? 'fp32');
    const classifier = await OnnxTokenClassifier.create(
      file,
      model.scheme.names.length,
      model.tokenizer.special.pad,
      options.threads ?? defaultThreads(),
      model.segmenter !== undefined,
    );
    return new EntityPredictor(model, classifier, options);
  }

  get onnxFile(): string {
    return this.classifier.file;
  }

  /** Whether the quantized graph is the one running. */
  get int8(): boolean {
    return this.classifier.file === this.model.int8File;
  }

  /** The confidence threshold in force: the override, else the card's calibration's, else 0. */
  get threshold(): number {
    return effectiveThreshold(this.model.calibration, this.minConfidence);
  }

  /** The override in force (null: the card's threshold). */
  get thresholdOverride(): number | null {
    return this.minConfidence;
  }

  /** Sets (a number) or clears (null) the threshold override; cached decodings stay valid. */
  setMinConfidence(threshold: number | null): void {
    this.minConfidence = threshold;
  }

  /**
   * The one place where decoded spans become predictions: the card's calibration turns span scores
   * into confidences, and spans below the threshold in force are left out. Every consumer (editor
   * decorations and hovers, pre-annotation, the uncertainty ranking's stores, `finlabel predict`)
   * gets its spans through here.
   */
  confident(decoded: readonly DecodedSpan[]): ThresholdedSpans {
    return confidentSpans(decoded, this.model.calibration, this.threshold);
  }

  /** The spans of a text when they are cached (no work otherwise). */
  cached(text: string): PredictedEntity[] | undefined {
    const hit = this.textCache.get(hashOf(text));
    return hit ? this.confident(hit.decoded).spans : undefined;
  }

  predict(text: string): Promise<TextPrediction> {
    return this.predictMany([text]).then((r) => r[0]);
  }

  /** Predictions for several texts: decoded (decodeMany), then calibrated and thresholded. */
  async predictMany(texts: readonly string[]): Promise<TextPrediction[]> {
    return (await this.decodeMany(texts)).map((d) => ({
      ...this.confident(d.decoded),
      minMargin: d.minMargin,
      windows: d.windows,
      computedWindows: d.computedWindows,
      cached: d.cached,
    }));
  }

  /** Decoded spans with raw scores for several texts, their uncached windows run together in batches of similar length. */
  async decodeMany(texts: readonly string[]): Promise<TextDecoding[]> {
    const results: (TextDecoding | undefined)[] = texts.map((text) => {
      const hit = this.textCache.get(hashOf(text));
      return hit ? { ...hit, windows: 0, computedWindows: 0, cached: true } : undefined;
    });
    const encoded = texts.map((text, i) => (results[i] ? undefined : encodeText(this.model.tokenizer, text, this.model.windows, this.model.segmenter)));
    // A window's word boundaries depend on the text around it, so they are part of its key.
    const keys = encoded.map((e) => e?.inputIds.map((ids, w) => hashOf(Int32Array.from(e.wordBoundaryIds ? [...ids, -1, ...e.wordBoundaryIds[w]] : ids))));
    const todo = new Map<string, WindowInput>();
    encoded.forEach((e, i) =>
      e?.inputIds.forEach((ids, w) => {
        const key = keys[i]![w];
        if (!this.windowCache.has(key)) todo.set(key, { ids, wordBoundaries: e.wordBoundaryIds?.[w] });
      }),
    );
    const fresh = await this.runWindows(todo);
    return texts.map((text, i) => {
      const done = results[i];
      if (done) return done;
      const e = encoded[i]!;
      const rows = keys[i]!.map((key) => fresh.get(key) ?? this.windowCache.get(key)!);
      const { spans: decoded, minMargin } = decodeEntityScores(e, this.model.scheme, rows, this.model.spanShapes, this.model.crf);
      this.textCache.set(hashOf(text), { decoded, minMargin });
      return { decoded, minMargin, windows: e.inputIds.length, computedWindows: keys[i]!.filter((k) => todo.has(k)).length, cached: false };
    });
  }

  /** Forgets every cached text and window (benchmarks of cold predictions). */
  clearCaches(): void {
    this.textCache.clear();
    this.windowCache.clear();
  }

  async release(): Promise<void> {
    await this.classifier.release();
  }

  private async runWindows(todo: Map<string, WindowInput>): Promise<Map<string, WindowResult>> {
    const out = new Map<string, WindowResult>();
    // Similar lengths together, so little of each batch is padding.
    const entries = [...todo].sort((a, b) => a[1].ids.length - b[1].ids.length);
    for (let i = 0; i < entries.length; i += this.batchSize) {
      const chunk = entries.slice(i, i + this.batchSize);
      const predicted = await this.classifier.run(
        chunk.map(([, w]) => w.ids),
        this.classifier.readsWordBoundaries ? chunk.map(([, w]) => w.wordBoundaries!) : undefined,
      );
      chunk.forEach(([key], k) => {
        const result = predicted.logProbs[k];
        out.set(key, result);
        this.windowCache.set(key, result);
      });
    }
    return out;
  }
}
