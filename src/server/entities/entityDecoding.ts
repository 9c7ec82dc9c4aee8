import { codePointSlice } from '../dataset/jsonStringMap';
import type { BioScheme } from './bioScheme';
import { bioViterbi, type TokenLogProbs } from './bioViterbi';
import type { EncodedText } from './entityEncoding';
import { crfLogMarginals, crfViterbi, type CrfScores } from './linearChainCrf';
import { fitsShape, type SpanShapes } from './spanShapes';
import { hasNoContent } from './spanText';

/** An entity found by a model, in the dataset's label form plus a confidence. */
export interface PredictedEntity {
  /** The type's display name, as dataset labels hold it. */
  entity: string;
  tag: string;
  start: number;
  end: number;
  value: string;
  /**
   * The span's calibrated confidence (the model card's calibration applied to its span score, see
   * src/server/calibration), or its raw span score for a model without calibration; null when the
   * prediction came without probabilities (label ids only).
   */
  confidence: number | null;
}

/** A span of the constrained best path with its raw score (before calibration and threshold). */
export interface DecodedSpan {
  entity: string;
  tag: string;
  start: number;
  end: number;
  value: string;
  /**
   * The span's own probability, per event: the geometric mean of p(B-X) at its first token, p(I-X) at
   * each further token, and p(not I-X) at the token after it (absent at the text's end). These are the
   * events that make exactly this span (type and both ends), so the score speaks to a strict match;
   * the geometric mean keeps long spans from scoring low for their length alone.
   */
  score: number;
}

/** A text's decoded spans and its uncertainty. */
export interface DecodedText {
  spans: DecodedSpan[];
  /**
   * The lowest margin, over the text's tokens, of the constrained path's tag: p(path tag) minus the
   * best other tag's p. Negative where the path overrules the token's argmax. Null without tokens.
   */
  minMargin: number | null;
}

/** Predictions for a window that do not fit it: the worker and the server disagree on the inputs. */
export class PredictionShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PredictionShapeError';
  }
}

/**
 * The content tokens' log-probabilities, each token's row from the window that owns it (window rows
 * include the [CLS]/[SEP] positions, as the model's output does).
 */
export function mergeWindowScores(encoded: EncodedText, windows: readonly Float32Array[], labels: number): TokenLogProbs {
  const count = encoded.windows.length;
  if (windows.length !== count) throw new PredictionShapeError(`${windows.length} prediction rows for a text of ${count} window${count === 1 ? '' : 's'}`);
  const tokens = encoded.tokens.ids.length;
  const data = new Float32Array(tokens * labels);
  encoded.windows.forEach((w, k) => {
    const expected = (w.end - w.start + 2) * labels;
    if (windows[k].length !== expected)
      throw new PredictionShapeError(`window ${k}: ${windows[k].length / labels} predicted tokens for ${expected / labels} input tokens`);
    data.set(windows[k].subarray((w.ownStart - w.start + 1) * labels, (w.ownEnd - w.start + 1) * labels), w.ownStart * labels);
  });
  return { data, tokens, labels };
}

/**
 * The spans of a BIO path (valid: every I follows its B or I), without those that have no content and
 * those unlike every training span of their type (`shapes`, from the model's labels.json: spanShapes.ts).
 */
function pathSpans(
  encoded: EncodedText,
  scheme: BioScheme,
  path: Int32Array,
  shapes?: SpanShapes,
): { first: number; last: number; id: number; span: Omit<DecodedSpan, 'score'> }[] {
  const { starts, ends } = encoded.tokens;
  const out: { first: number; last: number; id: number; span: Omit<DecodedSpan, 'score'> }[] = [];
  let first = -1;
  const close = (last: number): void => {
    if (first < 0) return;
    const tag = scheme.tagOf(path[first]);
    if (tag.kind !== 'O') {
      const start = starts[first];
      const end = ends[last];
      const value = codePointSlice(encoded.text, start, end);
      if (!hasNoContent(value) && fitsShape(shapes, tag.type.tag, value))
        out.push({ first, last, id: path[first], span: { entity: tag.type.name, tag: tag.type.tag, start, end, value } });
    }
    first = -1;
  };
  for (let t = 0; t < path.length; t++) {
    const tag = scheme.tagOf(path[t]);
    if (tag.kind === 'I') continue;
    close(t - 1);
    if (tag.kind === 'B') first = t;
  }
  close(path.length - 1);
  return out;
}

/**
 * Spans from per-window log-probabilities (see OnnxTokenClassifier): windows merged, the best valid
 * BIO path (bioViterbi, or crfViterbi for a model with transition scores), its spans with their raw
 * scores, spans of punctuation, symbols or whitespace alone left out. `windows[k]` holds window k's
 * [CLS] tokens [SEP] rows of `labels` values.
 */
export function decodeEntityScores(
  encoded: EncodedText,
  scheme: BioScheme,
  windows: readonly Float32Array[],
  shapes?: SpanShapes,
  crf?: CrfScores,
): DecodedText {
  const labels = scheme.names.length;
  const merged = mergeWindowScores(encoded, windows, labels);
  const path = crf ? crfViterbi(merged, crf) : bioViterbi(merged);
  // With a CRF the tokens' own probabilities are their marginals over whole paths.
  const { data, tokens } = crf ? crfLogMarginals(merged, crf) : merged;
  const spans = pathSpans(encoded, scheme, path, shapes).map(({ first, last, id, span }) => {
    let sum = data[first * labels + id];
    for (let t = first + 1; t <= last; t++) sum += data[t * labels + id + 1];
    let events = last - first + 1;
    if (last + 1 < tokens) {
      const pInside = Math.exp(data[(last + 1) * labels + id + 1]);
      sum += Math.log(Math.max(1e-12, 1 - pInside));
      events++;
    }
    return { ...span, score: Math.exp(sum / events) };
  });
  let minMargin: number | null = null;
  for (let t = 0; t < tokens; t++) {
    const row = t * labels;
    let other = -Infinity;
    for (let k = 0; k < labels; k++) if (k !== path[t] && data[row + k] > other) other = data[row + k];
    const margin = Math.exp(data[row + path[t]]) - (labels > 1 ? Math.exp(other) : 0);
    if (minMargin === null || margin < minMargin) minMargin = margin;
  }
  return { spans, minMargin };
}

/**
 * Spans from per-token label ids (the worker's argmax during training, which sends no
 * probabilities): the same constrained decoding, over scores that cost one per token whose label
 * differs from the given one, so the result is the valid BIO path closest to the ids (an I-X run
 * without its B becomes a span; ties go to O). -100 and ids outside the scheme read as O.
 * Confidence is null.
 */
export function decodeEntities(encoded: EncodedText, scheme: BioScheme, predictions: readonly (readonly number[])[]): PredictedEntity[] {
  const labels = scheme.names.length;
  const count = encoded.windows.length;
  if (predictions.length !== count)
    throw new PredictionShapeError(`${predictions.length} prediction rows for a text of ${count} window${count === 1 ? '' : 's'}`);
  const windows = encoded.windows.map((w, k) => {
    const expected = w.end - w.start + 2;
    if (predictions[k].length !== expected)
      throw new PredictionShapeError(`window ${k}: ${predictions[k].length} predicted labels for ${expected} input tokens`);
    const rows = new Float32Array(expected * labels).fill(-1);
    predictions[k].forEach((id, t) => {
      rows[t * labels + (Number.isInteger(id) && id > 0 && id < labels ? id : 0)] = 0;
    });
    return rows;
  });
  const merged = mergeWindowScores(encoded, windows, labels);
  return pathSpans(encoded, scheme, bioViterbi(merged)).map(({ span }) => ({ ...span, confidence: null }));
}
