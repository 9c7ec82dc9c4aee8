/**
 * Decoding for a model with a CRF over its tags (the small BiLSTM, see the worker's entities/crf.py):
 * a path scores the sum of its tokens' scores plus the learnt transition scores between neighbouring
 * tags, the first tag's start score and the last tag's end score. BIO's rules hold on top (I-X only
 * right after B-X or I-X, never first), as in bioViterbi.
 *
 * Token scores may be the graph's logits or their log-softmax: a per-token constant moves every path
 * alike, so neither the best path nor the marginals change.
 */
import { bioTransitionAllowed, type TokenLogProbs } from './bioViterbi';

/** A model's transition scores (crf.json), for `labels` tags in BioScheme's order. */
export interface CrfScores {
  labels: number;
  start: Float64Array;
  end: Float64Array;
  /** `transitions[prev * labels + next]`. */
  transitions: Float64Array;
}

/** Scores with BIO's forbidden steps at -Infinity. */
function constrained(crf: CrfScores): CrfScores {
  const { labels } = crf;
  const start = crf.start.map((s, k) => (bioTransitionAllowed(-1, k) ? s : -Infinity));
  const transitions = crf.transitions.map((s, i) => (bioTransitionAllowed(Math.floor(i / labels), i % labels) ? s : -Infinity));
  return { labels, start, end: crf.end, transitions };
}

function checkShapes(scores: TokenLogProbs, crf: CrfScores): void {
  if (scores.labels !== crf.labels) throw new RangeError(`token scores for ${scores.labels} labels, transition scores for ${crf.labels}`);
  if (scores.data.length !== scores.tokens * scores.labels)
    throw new RangeError(`${scores.data.length} scores for ${scores.tokens} tokens of ${scores.labels} labels`);
}

/** log(sum(exp(values))) over values[offset + k * stride], k < count, without overflow. */
function logSumExp(values: Float64Array, offset: number, stride: number, count: number): number {
  let max = -Infinity;
  for (let k = 0; k < count; k++) max = Math.max(max, values[offset + k * stride]);
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let k = 0; k < count; k++) sum += Math.exp(values[offset + k * stride] - max);
  return max + Math.log(sum);
}

/** The best valid BIO path. Ties go to the lower label id, as in bioViterbi. */
export function crfViterbi(scores: TokenLogProbs, crf: CrfScores): Int32Array {
  checkShapes(scores, crf);
  const { data, tokens, labels } = scores;
  const { start, end, transitions } = constrained(crf);
  const path = new Int32Array(tokens);
  if (tokens === 0) return path;
  const back = new Int32Array(tokens * labels);
  let prev = new Float64Array(labels);
  let cur = new Float64Array(labels);
  for (let k = 0; k < labels; k++) prev[k] = start[k] + data[k];
  for (let t = 1; t < tokens; t++) {
    for (let k = 0; k < labels; k++) {
      let from = 0;
      let best = -Infinity;
      for (let j = 0; j < labels; j++) {
        const s = prev[j] + transitions[j * labels + k];
        if (s > best) [best, from] = [s, j];
      }
      cur[k] = best + data[t * labels + k];
      back[t * labels + k] = from;
    }
    [prev, cur] = [cur, prev];
  }
  let last = 0;
  for (let k = 1; k < labels; k++) if (prev[k] + end[k] > prev[last] + end[last]) last = k;
  path[tokens - 1] = last;
  for (let t = tokens - 1; t > 0; t--) path[t - 1] = back[t * labels + path[t]];
  return path;
}

/**
 * log p(tag k at token t | the text) over valid BIO paths (forward-backward), in the shape of the
 * token scores: what the span scores and margins of a model without a CRF read from its softmax.
 */
export function crfLogMarginals(scores: TokenLogProbs, crf: CrfScores): TokenLogProbs {
  checkShapes(scores, crf);
  const { data, tokens, labels } = scores;
  const { start, end, transitions } = constrained(crf);
  const alpha = new Float64Array(tokens * labels);
  const beta = new Float64Array(tokens * labels);
  const terms = new Float64Array(labels);
  for (let k = 0; k < labels; k++) alpha[k] = start[k] + data[k];
  for (let t = 1; t < tokens; t++) {
    for (let k = 0; k < labels; k++) {
      for (let j = 0; j < labels; j++) terms[j] = alpha[(t - 1) * labels + j] + transitions[j * labels + k];
      alpha[t * labels + k] = logSumExp(terms, 0, 1, labels) + data[t * labels + k];
    }
  }
  if (tokens > 0) beta.set(end, (tokens - 1) * labels);
  for (let t = tokens - 2; t >= 0; t--) {
    for (let j = 0; j < labels; j++) {
      for (let k = 0; k < labels; k++) terms[k] = transitions[j * labels + k] + data[(t + 1) * labels + k] + beta[(t + 1) * labels + k];
      beta[t * labels + j] = logSumExp(terms, 0, 1, labels);
    }
  }
  const out = new Float32Array(tokens * labels);
  const joint = new Float64Array(labels);
  for (let t = 0; t < tokens; t++) {
    for (let k = 0; k < labels; k++) joint[k] = alpha[t * labels + k] + beta[t * labels + k];
    const total = logSumExp(joint, 0, 1, labels);
    for (let k = 0; k < labels; k++) out[t * labels + k] = joint[k] - total;
  }
  return { data: out, tokens, labels };
}
