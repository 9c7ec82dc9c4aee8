/**
 * The best BIO label sequence of a text under the scheme's transitions (Viterbi): I-X only right
 * after B-X or I-X, never first. Scores are per-token log-probabilities (a path scores the sum of
 * its tags' log-probabilities), so the answer is the most likely tag sequence that is a valid BIO
 * sequence, which is not the same as repairing the argmax afterwards.
 *
 * Label ids follow BioScheme: 0 = O, 1 + 2k = B of type k, 2 + 2k = I of type k.
 */

/** Per-token log-probabilities of one text, token-major: `data[t * labels + k]` = log p(label k at token t). */
export interface TokenLogProbs {
  data: Float32Array;
  tokens: number;
  labels: number;
}

const isInside = (id: number): boolean => id > 0 && id % 2 === 0;

/** Whether label `next` may follow label `prev` (prev -1: the text's start). */
export function bioTransitionAllowed(prev: number, next: number): boolean {
  if (!isInside(next)) return true;
  return prev === next || prev === next - 1;
}

/**
 * The constrained best path. Ties go to the lower label id (O before B before I), so the result does
 * not depend on the order of equal floating-point sums. O(tokens * labels): an O or B tag may follow
 * anything (the best previous state once per token), an I tag only its own B or I.
 */
export function bioViterbi(scores: TokenLogProbs): Int32Array {
  const { data, tokens, labels } = scores;
  if (labels < 1 || labels % 2 !== 1) throw new RangeError(`a BIO scheme has O plus two tags per type: ${labels} labels`);
  if (data.length !== tokens * labels) throw new RangeError(`${data.length} scores for ${tokens} tokens of ${labels} labels`);
  const path = new Int32Array(tokens);
  if (tokens === 0) return path;
  const back = new Int32Array(tokens * labels);
  let prev = new Float64Array(labels);
  let cur = new Float64Array(labels);
  for (let k = 0; k < labels; k++) prev[k] = isInside(k) ? -Infinity : data[k];
  for (let t = 1; t < tokens; t++) {
    let best = 0;
    for (let k = 1; k < labels; k++) if (prev[k] > prev[best]) best = k;
    const row = t * labels;
    for (let k = 0; k < labels; k++) {
      let from = best;
      if (isInside(k)) from = prev[k - 1] >= prev[k] ? k - 1 : k;
      cur[k] = prev[from] + data[row + k];
      back[row + k] = from;
    }
    [prev, cur] = [cur, prev];
  }
  let last = 0;
  for (let k = 1; k < labels; k++) if (prev[k] > prev[last]) last = k;
  path[tokens - 1] = last;
  for (let t = tokens - 1; t > 0; t--) path[t - 1] = back[t * labels + path[t]];
  return path;
}
