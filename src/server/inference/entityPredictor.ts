import { createHash } from 'node:crypto';
import { RecentCache } from '../dataset/recentCache';
import { decodeEntities, type PredictedEntity } from '../entities/entityDecoding';
import { encodeText } from '../entities/entityEncoding';
import { loadEntityModelFolder, onnxFileFor, type EntityModelFolder, type ModelPrecision } from './entityModelFolder';
import { OnnxTokenClassifier, defaultThreads } from './onnxTokenClassifier';
import { lowestTokenMargin } from './tokenMargins';

/** A text's predicted spans and what it cost. */
export interface TextPrediction {
  spans: PredictedEntity[];
  /** Windows the text was cut into, and how many of them had to be run (the rest came from the cache). */
  windows: number;
  computedWindows: number;
  /** The whole text's spans came from the text cache. */
  cached: boolean;
  /** The text's uncertainty: its lowest token margin p(best) - p(second best); null when it has no tokens. */
  minMargin: number | null;
}

interface WindowResult {
  labelIds: number[];
  probabilities: number[];
  margins: number[];
}

interface TextResult {
  spans: PredictedEntity[];
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
}

const hashOf = (data: string | Int32Array): string =>
  createHash('sha1')
    .update(typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength))
    .digest('base64');

/**
 * Predicts entity spans with one model folder's ONNX session. Two caches, both per model: whole texts
 * (keyed by the text's hash), so records that did not change cost nothing; and windows (keyed by
 * their token ids), so an edit to a long contract reruns only the windows whose tokens changed.
 */
export class EntityPredictor {
  private readonly windowCache: RecentCache<string, WindowResult>;
  private readonly textCache: RecentCache<string, TextResult>;
  private readonly batchSize: number;

  private constructor(
    readonly model: EntityModelFolder,
    private readonly classifier: OnnxTokenClassifier,
    options: PredictorOptions,
  ) {
    this.batchSize = options.batchSize ?? 8;
    this.windowCache = new RecentCache(options.windowCacheSize ?? 4096);
    this.textCache = new RecentCache(options.textCacheSize ?? 20_000);
  }

  static async load(dir: string, options: PredictorOptions = {}): Promise<EntityPredictor> {
    const model = loadEntityModelFolder(dir);
    const file = onnxFileFor(model, options.precision ?? 'fp32');
    const classifier = await OnnxTokenClassifier.create(file, model.scheme.names.length, model.tokenizer.special.pad, options.threads ?? defaultThreads());
    return new EntityPredictor(model, classifier, options);
  }

  get onnxFile(): string {
    return this.classifier.file;
  }

  /** Whether the quantized graph is the one running. */
  get int8(): boolean {
    return this.classifier.file === this.model.int8File;
  }

  /** The spans of a text when they are cached (no work otherwise). */
  cached(text: string): PredictedEntity[] | undefined {
    return this.textCache.get(hashOf(text))?.spans;
  }

  predict(text: string): Promise<TextPrediction> {
    return this.predictMany([text]).then((r) => r[0]);
  }

  /** Predictions for several texts, their uncached windows run together in batches of similar length. */
  async predictMany(texts: readonly string[]): Promise<TextPrediction[]> {
    const results: (TextPrediction | undefined)[] = texts.map((text) => {
      const hit = this.textCache.get(hashOf(text));
      return hit ? { ...hit, windows: 0, computedWindows: 0, cached: true } : undefined;
    });
    const encoded = texts.map((text, i) => (results[i] ? undefined : encodeText(this.model.tokenizer, text, this.model.windows)));
    const keys = encoded.map((e) => e?.inputIds.map((ids) => hashOf(Int32Array.from(ids))));
    const todo = new Map<string, readonly number[]>();
    encoded.forEach((e, i) => e?.inputIds.forEach((ids, w) => {
      const key = keys[i]![w];
      if (!this.windowCache.has(key)) todo.set(key, ids);
    }));
    const fresh = await this.runWindows(todo);
    return texts.map((text, i) => {
      const done = results[i];
      if (done) return done;
      const e = encoded[i]!;
      const rows = keys[i]!.map((key) => fresh.get(key) ?? this.windowCache.get(key)!);
      const spans = decodeEntities(e, this.model.scheme, rows.map((r) => r.labelIds), rows.map((r) => r.probabilities));
      const minMargin = lowestTokenMargin(e, rows.map((r) => r.margins));
      this.textCache.set(hashOf(text), { spans, minMargin });
      return { spans, minMargin, windows: e.inputIds.length, computedWindows: keys[i]!.filter((k) => todo.has(k)).length, cached: false };
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

  private async runWindows(todo: Map<string, readonly number[]>): Promise<Map<string, WindowResult>> {
    const out = new Map<string, WindowResult>();
    // Similar lengths together, so little of each batch is padding.
    const entries = [...todo].sort((a, b) => a[1].length - b[1].length);
    for (let i = 0; i < entries.length; i += this.batchSize) {
      const chunk = entries.slice(i, i + this.batchSize);
      const predicted = await this.classifier.run(chunk.map(([, ids]) => ids));
      chunk.forEach(([key], k) => {
        const result = { labelIds: predicted.labelIds[k], probabilities: predicted.probabilities[k], margins: predicted.margins[k] };
        out.set(key, result);
        this.windowCache.set(key, result);
      });
    }
    return out;
  }
}
