import { codePointSlice } from '../dataset/jsonStringMap';
import type { BioScheme } from './bioScheme';
import type { EncodedText } from './entityEncoding';

/** An entity found by a model, in the dataset's label form plus a confidence. */
export interface PredictedEntity {
  /** The type's display name, as dataset labels hold it. */
  entity: string;
  tag: string;
  start: number;
  end: number;
  value: string;
  /** Mean probability of the span's token predictions; null when none were given. */
  confidence: number | null;
}

/** Predictions for a window that do not fit it: the worker and the server disagree on the inputs. */
export class PredictionShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PredictionShapeError';
  }
}

/**
 * Per-token label ids of the text's content tokens, each from the window that owns it
 * (predictions include the [CLS]/[SEP] positions, as the model's output does).
 */
function mergeWindows(encoded: EncodedText, predictions: readonly (readonly number[])[], probabilities: readonly (readonly number[])[] | undefined): { ids: number[]; probs: number[] | undefined } {
  const count = encoded.windows.length;
  if (predictions.length !== count) throw new PredictionShapeError(`${predictions.length} prediction rows for a text of ${count} window${count === 1 ? '' : 's'}`);
  if (probabilities && probabilities.length !== count) throw new PredictionShapeError(`${probabilities.length} probability rows for a text of ${count} windows`);
  const ids: number[] = new Array<number>(encoded.tokens.ids.length);
  const probs = probabilities ? new Array<number>(encoded.tokens.ids.length) : undefined;
  encoded.windows.forEach((w, k) => {
    const expected = w.end - w.start + 2;
    if (predictions[k].length !== expected) throw new PredictionShapeError(`window ${k}: ${predictions[k].length} predicted labels for ${expected} input tokens`);
    if (probabilities && probabilities[k].length !== expected) throw new PredictionShapeError(`window ${k}: ${probabilities[k].length} probabilities for ${expected} input tokens`);
    for (let t = w.ownStart; t < w.ownEnd; t++) {
      ids[t] = predictions[k][t - w.start + 1];
      if (probs) probs[t] = probabilities![k][t - w.start + 1];
    }
  });
  return { ids, probs };
}

/**
 * Spans from per-token BIO label ids: B-X opens a span, I-X continues an open X span, O (and -100,
 * and ids outside the scheme) closes it. An I-X without an open X span opens one (the usual repair:
 * models often miss the B). A span runs from its first token's first code point to its last token's end.
 */
export function decodeEntities(
  encoded: EncodedText,
  scheme: BioScheme,
  predictions: readonly (readonly number[])[],
  probabilities?: readonly (readonly number[])[],
): PredictedEntity[] {
  const { ids, probs } = mergeWindows(encoded, predictions, probabilities);
  const { starts, ends } = encoded.tokens;
  const spans: PredictedEntity[] = [];
  let open: { first: number; last: number; tag: string; name: string } | undefined;
  const close = (): void => {
    if (!open) return;
    const start = starts[open.first];
    const end = ends[open.last];
    let confidence: number | null = null;
    if (probs) {
      let sum = 0;
      for (let t = open.first; t <= open.last; t++) sum += probs[t];
      confidence = sum / (open.last - open.first + 1);
    }
    spans.push({ entity: open.name, tag: open.tag, start, end, value: codePointSlice(encoded.text, start, end), confidence });
    open = undefined;
  };
  ids.forEach((id, t) => {
    const tag = scheme.tagOf(id);
    if (tag.kind === 'O') {
      close();
    } else if (tag.kind === 'I' && open && open.tag === tag.type.tag) {
      open.last = t;
    } else {
      close();
      open = { first: t, last: t, tag: tag.type.tag, name: tag.type.name };
    }
  });
  close();
  return spans;
}
