/**
 * Long texts are cut into overlapping windows of at most `maxTokens` content tokens (the model's
 * maximum length minus [CLS] and [SEP]: 510 for BERT's 512). Consecutive windows share `overlap`
 * tokens (default 64: every token keeps at least 16 tokens of context on each side, and a 2,000-token
 * contract needs 4 windows, not the 5 of Hugging Face's doc_stride 128), so the window start moves by
 * maxTokens - overlap; the last window ends at the text's last token, and a regular window that it
 * makes unnecessary (the one before still overlaps it enough) is dropped. Every token is "owned" by
 * exactly one window, the
 * one in which it lies farthest from an edge (overlaps are cut at their middle): its prediction is
 * the one kept when windows are merged.
 *
 * Given a ranking of tokens (a function of the text around each token, not of its position), a
 * window starts within overlap/2 tokens of its regular place (step tokens after the previous window's
 * start), at the best-ranked token there; the encoder ranks sentence starts first. Each start then
 * depends on the previous start and the text near it, not on token positions: after an edit that
 * adds or removes tokens, the chain of starts falls back onto the same tokens soon after the edit, so
 * the windows there hold the same token ids as before and come from the prediction cache instead of
 * being run again (bench/README.md: most edits rerun one window).
 */

export interface TokenWindow {
  /** Content token range [start, end) of the window. */
  start: number;
  end: number;
  /** The tokens whose predictions this window provides, [ownStart, ownEnd). */
  ownStart: number;
  ownEnd: number;
}

export interface WindowOptions {
  /** Model input length including [CLS] and [SEP]. */
  maxLength: number;
  /** Tokens shared by consecutive windows. */
  overlap: number;
}

export const DEFAULT_WINDOW_OPTIONS: WindowOptions = { maxLength: 512, overlap: 64 };

export function windowOptionsProblem(options: WindowOptions): string | undefined {
  const { maxLength, overlap } = options;
  if (!Number.isInteger(maxLength) || maxLength < 3) return `maximum length ${maxLength} must be an integer of at least 3 ([CLS], one token, [SEP])`;
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= maxLength - 2) return `window overlap ${overlap} must be an integer from 0 to ${maxLength - 3}`;
  return undefined;
}

/** Ranks a token as a window start: the lowest wins. */
export type StartRank = (token: number) => number;

export function tokenWindows(tokenCount: number, options: WindowOptions = DEFAULT_WINDOW_OPTIONS, rank?: StartRank): TokenWindow[] {
  const problem = windowOptionsProblem(options);
  if (problem) throw new RangeError(problem);
  const size = options.maxLength - 2;
  if (tokenCount <= size) return [{ start: 0, end: tokenCount, ownStart: 0, ownEnd: tokenCount }];
  const step = size - options.overlap;
  // Consecutive windows share overlap ± slack tokens, and starts keep increasing.
  const slack = Math.min(Math.floor(options.overlap / 2), step - 1);
  const starts: number[] = [];
  for (let s = 0; s + size < tokenCount;) {
    starts.push(s);
    const regular = s + step;
    s = rank ? bestRanked(regular - slack, Math.min(regular + slack, tokenCount - 1), rank) : regular;
  }
  const last = tokenCount - size;
  while (starts.length > 1 && starts[starts.length - 2] + size - last >= options.overlap - slack) starts.pop();
  starts.push(last);
  return starts.map((start, i) => {
    const end = start + size;
    const ownStart = i === 0 ? 0 : Math.ceil((start + starts[i - 1] + size) / 2);
    const ownEnd = i === starts.length - 1 ? tokenCount : Math.ceil((starts[i + 1] + end) / 2);
    return { start, end, ownStart, ownEnd };
  });
}

/** The best-ranked token in [from, to] (the first of equals). */
function bestRanked(from: number, to: number, rank: StartRank): number {
  let best = from;
  let bestRank = rank(from);
  for (let t = from + 1; t <= to; t++) {
    const r = rank(t);
    if (r < bestRank) {
      best = t;
      bestRank = r;
    }
  }
  return best;
}
