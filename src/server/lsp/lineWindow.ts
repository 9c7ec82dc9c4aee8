import type { LineRange } from '../../common/lspProtocol';

/** Documents up to this many lines get all their spans at once; larger ones get a window. */
export const WHOLE_DOCUMENT_LINES = 1_000;
/** Lines above and below what is on screen that get spans too, so scrolling finds them drawn. */
export const WINDOW_MARGIN = 100;

/**
 * The lines to place spans for: undefined (all) for a small document, else the visible ranges
 * widened by the margin and merged (the document's start before any editor reported its ranges).
 */
export function spanWindow(lineCount: number, visible: readonly LineRange[]): LineRange[] | undefined {
  if (lineCount <= WHOLE_DOCUMENT_LINES) return undefined;
  const wanted = visible.length > 0 ? visible : [{ start: 0, end: 1 }];
  const widened = wanted
    .map((r) => ({ start: Math.max(0, r.start - WINDOW_MARGIN), end: Math.min(lineCount, r.end + WINDOW_MARGIN) }))
    .sort((a, b) => a.start - b.start);
  const merged: LineRange[] = [];
  for (const r of widened) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

/** True when every range of `inner` lies inside one range of `outer`. */
export function covers(outer: readonly LineRange[] | undefined, inner: readonly LineRange[]): boolean {
  if (outer === undefined) return true;
  return inner.every((r) => outer.some((o) => o.start <= r.start && r.end <= o.end));
}
