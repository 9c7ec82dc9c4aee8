/**
 * Long texts are cut into overlapping windows of at most `maxTokens` content tokens (the model's
 * maximum length minus [CLS] and [SEP]: 510 for BERT's 512). Consecutive windows share `overlap`
 * tokens (default 128, as Hugging Face's doc_stride), so the window start moves by maxTokens - overlap;
 * the last window ends at the text's last token. Every token is "owned" by exactly one window, the
 * one in which it lies farthest from an edge (overlaps are cut at their middle): its prediction is
 * the one kept when windows are merged.
 *
 * Given anchors (the first tokens of sentences), a window starts up to overlap/2 tokens before its
 * regular place (step tokens after the previous window's start), at the anchor there whose
 * neighbouring token ids hash lowest. Each start then depends on the previous start and the text
 * near it, not on token positions: after an edit that adds or removes tokens, the chain of starts
 * falls back onto the same sentences soon after the edit, so the windows there hold the same token
 * ids as before and come from the prediction cache instead of being run again.
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

export const DEFAULT_WINDOW_OPTIONS: WindowOptions = { maxLength: 512, overlap: 128 };

export function windowOptionsProblem(options: WindowOptions): string | undefined {
  const { maxLength, overlap } = options;
  if (!Number.isInteger(maxLength) || maxLength < 3) return `maximum length ${maxLength} must be an integer of at least 3 ([CLS], one token, [SEP])`;
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= maxLength - 2) return `window overlap ${overlap} must be an integer from 0 to ${maxLength - 3}`;
  return undefined;
}

/** Where windows may start other than at their regular place. */
export interface WindowAnchors {
  /** Ascending token indexes (sentence starts). */
  starts: readonly number[];
  /** Ranks anchors: the lowest wins. A function of the text around the anchor, not of its position. */
  rank: (anchor: number) => number;
}

export function tokenWindows(tokenCount: number, options: WindowOptions = DEFAULT_WINDOW_OPTIONS, anchors?: WindowAnchors): TokenWindow[] {
  const problem = windowOptionsProblem(options);
  if (problem) throw new RangeError(problem);
  const size = options.maxLength - 2;
  if (tokenCount <= size) return [{ start: 0, end: tokenCount, ownStart: 0, ownEnd: tokenCount }];
  const step = size - options.overlap;
  // Consecutive windows still share at least overlap - slack tokens, and starts keep increasing.
  const slack = Math.min(Math.floor(options.overlap / 2), step - 1);
  const starts: number[] = [];
  for (let s = 0; s + size < tokenCount; ) {
    starts.push(s);
    const regular = s + step;
    s = anchors ? anchorIn(regular - slack, regular, anchors) ?? regular : regular;
  }
  starts.push(tokenCount - size);
  return starts.map((start, i) => {
    const end = start + size;
    const ownStart = i === 0 ? 0 : Math.ceil((start + starts[i - 1] + size) / 2);
    const ownEnd = i === starts.length - 1 ? tokenCount : Math.ceil((starts[i + 1] + end) / 2);
    return { start, end, ownStart, ownEnd };
  });
}

/** The best-ranked anchor in [from, to], if any. */
function anchorIn(from: number, to: number, anchors: WindowAnchors): number | undefined {
  const { starts, rank } = anchors;
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  let best: number | undefined;
  let bestRank = Infinity;
  for (let i = lo; i < starts.length && starts[i] <= to; i++) {
    const r = rank(starts[i]);
    if (r < bestRank) {
      best = starts[i];
      bestRank = r;
    }
  }
  return best;
}
