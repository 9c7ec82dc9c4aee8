import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { EntityModelError, INT8_FILE } from './entityModelFolder';

/**
 * Per sequence: the log-probabilities (log softmax of the logits) of every label at every real
 * (unpadded) token, token-major: row[t * labels + k]. Float32, as the logits come: a 512-token window
 * of 7 labels is 14 KB, small enough to cache per window for decoding.
 */
export interface TokenPredictions {
  logProbs: Float32Array[];
  labels: number;
}

const INPUTS = ['input_ids', 'attention_mask'] as const;
/** The third input of a model that reads where words begin and end (the small BiLSTM's option). */
export const WORD_BOUNDARY_INPUT = 'word_boundary_ids';
const OUTPUT = 'logits';

/** onnxruntime-node loads its native library on first use, not when the server starts. */
let runtime: Promise<typeof Ort> | undefined;
function loadRuntime(): Promise<typeof Ort> {
  runtime ??= import('onnxruntime-node');
  return runtime;
}

/**
 * Intra-op threads for this machine: every core, at most 4. The threads do not spin waiting for work
 * (see create): with spinning, a second thread on 2 cores burnt a core between runs and made the
 * editor and the server wait; without it, 2 threads are as fast as one on a loaded machine and
 * faster on an idle one (bench/README.md).
 */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * An ONNX token classifier (the worker's export: int64 input_ids and attention_mask [batch, seq],
 * float32 logits [batch, seq, labels]) in one onnxruntime session. Runs are queued, one at a time:
 * the session already uses every thread it was given.
 */
export class OnnxTokenClassifier {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
    readonly file: string,
    readonly labelCount: number,
    private readonly padId: number,
    private readonly oneAtATime: boolean,
    /** The graph takes word_boundary_ids: every run must give them. */
    readonly readsWordBoundaries: boolean,
  ) {}

  /**
   * A session for `file`. `wordBoundaries` says whether the model folder has the word segmenter;
   * the graph must take word_boundary_ids exactly when it does.
   */
  static async create(file: string, labelCount: number, padId: number, threads = defaultThreads(), wordBoundaries = false): Promise<OnnxTokenClassifier> {
    const ort = await loadRuntime();
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(file, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        // Idle threads sleep instead of spinning: predictions come in bursts after typing pauses,
        // and a spinning pool takes the cores the editor needs in between.
        extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
      });
    } catch (err) {
      throw new EntityModelError(`${file}: onnxruntime cannot load it: ${(err as Error).message}`);
    }
    const missing = INPUTS.filter((name) => !session.inputNames.includes(name));
    const problems: string[] = [];
    if (missing.length > 0)
      problems.push(`its inputs are ${JSON.stringify(session.inputNames)}, expected ${JSON.stringify(INPUTS)} (missing ${missing.join(', ')})`);
    const readsWordBoundaries = session.inputNames.includes(WORD_BOUNDARY_INPUT);
    const extra = session.inputNames.filter((name) => !(INPUTS as readonly string[]).includes(name) && name !== WORD_BOUNDARY_INPUT);
    if (extra.length > 0) problems.push(`it has inputs FinLabel does not feed: ${extra.join(', ')}`);
    if (readsWordBoundaries && !wordBoundaries)
      problems.push(
        `it reads ${WORD_BOUNDARY_INPUT}, but its folder has no word-segmenter.json to compute them (copy the file from the folder the model was trained in)`,
      );
    if (!readsWordBoundaries && wordBoundaries) problems.push(`its folder has word-segmenter.json, but the graph has no ${WORD_BOUNDARY_INPUT} input`);
    if (!session.outputNames.includes(OUTPUT)) problems.push(`its outputs are ${JSON.stringify(session.outputNames)}, expected "${OUTPUT}"`);
    if (problems.length > 0) {
      await session.release();
      throw new EntityModelError(`${file}: not an entity model graph: ${problems.join('; ')}`);
    }
    // A dynamically quantized graph (the worker's model.int8.onnx) scales each activation tensor by
    // its own range over the whole batch, padding included: batched, a text's predictions would depend
    // on the texts beside it (a span at 0.65 alone fell under the threshold next to another record).
    return new OnnxTokenClassifier(ort, session, file, labelCount, padId, path.basename(file) === INT8_FILE, readsWordBoundaries);
  }

  /**
   * Predictions for sequences of token ids ([CLS] ... [SEP]): in one batch padded to the longest, or
   * for a dynamically quantized graph one sequence at a time, so each sequence's predictions are its own.
   * `wordBoundaries` (one row per sequence, as long as it) for a graph that reads them.
   */
  run(sequences: readonly (readonly number[])[], wordBoundaries?: readonly (readonly number[])[]): Promise<TokenPredictions> {
    if (this.readsWordBoundaries !== (wordBoundaries !== undefined))
      return Promise.reject(
        new EntityModelError(
          `${this.file}: ${this.readsWordBoundaries ? `the graph needs ${WORD_BOUNDARY_INPUT}, none were given` : `the graph has no ${WORD_BOUNDARY_INPUT} input`}`,
        ),
      );
    const next = this.queue.then(() => (this.oneAtATime ? this.runEach(sequences, wordBoundaries) : this.runNow(sequences, wordBoundaries)));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async release(): Promise<void> {
    await this.queue;
    await this.session.release();
  }

  private async runEach(sequences: readonly (readonly number[])[], wordBoundaries?: readonly (readonly number[])[]): Promise<TokenPredictions> {
    const logProbs: Float32Array[] = [];
    for (const [k, s] of sequences.entries()) logProbs.push(...(await this.runNow([s], wordBoundaries && [wordBoundaries[k]])).logProbs);
    return { logProbs, labels: this.labelCount };
  }

  private async runNow(sequences: readonly (readonly number[])[], wordBoundaries?: readonly (readonly number[])[]): Promise<TokenPredictions> {
    if (sequences.length === 0) return { logProbs: [], labels: this.labelCount };
    const batch = sequences.length;
    const length = Math.max(...sequences.map((s) => s.length));
    const ids = new BigInt64Array(batch * length).fill(BigInt(this.padId));
    const mask = new BigInt64Array(batch * length);
    sequences.forEach((s, b) => {
      for (let t = 0; t < s.length; t++) {
        ids[b * length + t] = BigInt(s[t]);
        mask[b * length + t] = 1n;
      }
    });
    const feeds: Record<string, Ort.Tensor> = {
      input_ids: new this.ort.Tensor('int64', ids, [batch, length]),
      attention_mask: new this.ort.Tensor('int64', mask, [batch, length]),
    };
    if (wordBoundaries) {
      // Padded with 0, the id of special tokens.
      const boundaries = new BigInt64Array(batch * length);
      wordBoundaries.forEach((row, b) => {
        if (row.length !== sequences[b].length)
          throw new EntityModelError(`${this.file}: sequence ${b} has ${sequences[b].length} tokens and ${row.length} word boundaries`);
        for (let t = 0; t < row.length; t++) boundaries[b * length + t] = BigInt(row[t]);
      });
      feeds[WORD_BOUNDARY_INPUT] = new this.ort.Tensor('int64', boundaries, [batch, length]);
    }
    const out = await this.session.run(feeds);
    const logits = out[OUTPUT];
    const labels = logits.dims[2];
    if (logits.dims.length !== 3 || logits.dims[0] !== batch || logits.dims[1] !== length || labels !== this.labelCount) {
      throw new EntityModelError(
        `${this.file}: "logits" has shape [${logits.dims.join(', ')}], expected [${batch}, ${length}, ${this.labelCount}] (labels.json lists ${this.labelCount} tags)`,
      );
    }
    return {
      logProbs: logSoftmaxRows(
        logits.data as Float32Array,
        sequences.map((s) => s.length),
        length,
        labels,
      ),
      labels,
    };
  }
}

/** Log softmax over the labels of each real (unpadded) token of each sequence of a [batch, padded, labels] tensor. */
export function logSoftmaxRows(data: Float32Array, lengths: readonly number[], padded: number, labels: number): Float32Array[] {
  return lengths.map((n, b) => {
    const out = new Float32Array(n * labels);
    for (let t = 0; t < n; t++) {
      const base = (b * padded + t) * labels;
      let max = data[base];
      for (let k = 1; k < labels; k++) if (data[base + k] > max) max = data[base + k];
      let sum = 0;
      for (let k = 0; k < labels; k++) sum += Math.exp(data[base + k] - max);
      const logSum = max + Math.log(sum);
      for (let k = 0; k < labels; k++) out[t * labels + k] = data[base + k] - logSum;
    }
    return out;
  });
}

/** The most likely label of each token of a log-probability row (labels per token). */
export function argmaxLabels(row: Float32Array, labels: number): number[] {
  const ids = new Array<number>(row.length / labels);
  for (let t = 0; t < ids.length; t++) {
    let best = 0;
    for (let k = 1; k < labels; k++) if (row[t * labels + k] > row[t * labels + best]) best = k;
    ids[t] = best;
  }
  return ids;
}
