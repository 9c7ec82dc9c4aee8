/**
 * Where `value` occurs in `text` nearest to code point `near`: code point offsets [start, end),
 * or undefined when it does not occur. Ties go to the earlier occurrence.
 */
export function nearestOccurrence(text: string, value: string, near: number): { start: number; end: number } | undefined {
  if (value === '') return undefined;
  let best: { start: number; end: number } | undefined;
  let cp = 0;
  let scanned = 0;
  for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
    cp += codePoints(text, scanned, at);
    scanned = at;
    // An occurrence that starts on the low half of a surrogate pair is not a real one.
    if (at > 0 && isLowSurrogate(text.charCodeAt(at)) && isHighSurrogate(text.charCodeAt(at - 1))) continue;
    const candidate = { start: cp, end: cp + codePoints(value, 0, value.length) };
    if (!best || Math.abs(candidate.start - near) < Math.abs(best.start - near)) best = candidate;
  }
  return best;
}

function codePoints(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    n++;
    if (isHighSurrogate(s.charCodeAt(i)) && i + 1 < to && isLowSurrogate(s.charCodeAt(i + 1))) i++;
  }
  return n;
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
