/**
 * Keeps labels on the characters they label while the text under them is edited. Everything works on
 * code points (the dataset's offsets), so a text is passed as its array of code points.
 */

/** A label placed on a text: code-point offsets, end exclusive. start === end marks a label whose whole text was deleted. */
export interface AnchoredLabel {
  /** The label's index in its record's "labels" array. */
  readonly index: number;
  readonly entity: string;
  /** The text that was labelled (the record's "value"): what the label expects to find at [start, end). */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** Code points [start, end) of a text replaced by `text`. */
export interface TextReplacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** intact: the text at [start, end) is the value; changed: it differs; deleted: nothing of it is left. */
export type AnchorState = 'intact' | 'changed' | 'deleted';

export function anchorState(label: AnchoredLabel, chars: readonly string[]): AnchorState {
  if (label.start >= label.end) return 'deleted';
  return sliceOf(chars, label.start, label.end) === label.value ? 'intact' : 'changed';
}

/**
 * The labels after one replacement, given the text after it. A label before or after the replaced
 * characters keeps its text and shifts; one that overlaps them takes in the inserted text (and is
 * then changed), or is deleted when the replacement covered all of it. A touched label whose value
 * appears in or right next to the inserted text is re-anchored on it: that is how undoing an edit,
 * or typing the same characters again, restores the label.
 */
export function applyReplacement(labels: readonly AnchoredLabel[], after: readonly string[], r: TextReplacement): AnchoredLabel[] {
  const inserted = Array.from(r.text).length;
  const mapped = labels.map((l) => mapLabel(l, r, inserted));
  const result = mapped.map((m) => m.label);
  const needsAnchor = mapped.map((m) => m.touched && anchorState(m.label, after) !== 'intact');
  const occupied = new Set(result.filter((_, i) => !needsAnchor[i]).map(key));
  result.forEach((label, i) => {
    if (!needsAnchor[i]) return;
    const length = Array.from(label.value).length;
    const at = nearestOccurrence(after, Array.from(label.value), label.start, {
      from: r.start - length,
      to: r.start + inserted,
      occupied,
      entity: label.entity,
    });
    if (at !== undefined) result[i] = { ...label, start: at, end: at + length };
    occupied.add(key(result[i]));
  });
  return result;
}

/** What a re-anchoring by value did: labels placed on a different occurrence, and labels left changed or deleted. */
export interface ReanchorResult {
  labels: AnchoredLabel[];
  moved: number;
  flagged: number;
}

/**
 * Re-anchors labels of `before` on `after` when all that is known is the two texts (the file was
 * edited outside the editor). Labels outside the changed stretch (common prefix and suffix) shift.
 * A label inside it is found again by the text around it (its context) when its value is still
 * between the two, else at the occurrence of its value nearest its old place; when the value no
 * longer occurs it stays flagged: changed (on what is now between its context) or deleted.
 */
export function reanchorByValue(labels: readonly AnchoredLabel[], before: readonly string[], after: readonly string[]): ReanchorResult {
  const r = replacementBetween(before, after);
  const inserted = r.end - r.start + (after.length - before.length);
  const replacement: TextReplacement = { start: r.start, end: r.end, text: after.slice(r.start, r.start + inserted).join('') };
  const mapped = labels.map((l) => mapLabel(l, replacement, inserted));
  const result = mapped.map((m) => m.label);
  const occupied = new Set(mapped.filter((m) => !m.touched).map((m) => key(m.label)));
  let moved = 0;
  const touched = mapped.map((m, i) => ({ m, i })).filter(({ m }) => m.touched);
  touched.sort((a, b) => labels[a.i].start - labels[b.i].start);
  for (const { m, i } of touched) {
    const old = labels[i];
    const found = findAgain(old, before, after, occupied);
    result[i] = found ? { ...old, ...found } : m.label;
    if (found && anchorState(result[i], after) === 'intact' && found.start !== old.start) moved++;
    occupied.add(key(result[i]));
  }
  const flagged = result.filter((l) => anchorState(l, after) !== 'intact').length;
  return { labels: result, moved, flagged };
}

/** Lengths of context (code points on each side of a label) tried, longest first, to locate it again in an edited text. */
const CONTEXTS = [8, 4, 2];
const CONTEXT = CONTEXTS[0];

function findAgain(
  label: AnchoredLabel,
  before: readonly string[],
  after: readonly string[],
  occupied: ReadonlySet<string>,
): { start: number; end: number } | undefined {
  const value = Array.from(label.value);
  const byContext = contextRange(label, before, after);
  if (byContext && after.slice(byContext.start, byContext.end).join('') === label.value) return byContext;
  const near = byContext?.start ?? label.start;
  const byValue = nearestOccurrence(after, value, near, { from: 0, to: after.length, occupied, entity: label.entity });
  if (byValue !== undefined && (!byContext || Math.abs(byValue - byContext.start) <= value.length + CONTEXT)) {
    return { start: byValue, end: byValue + value.length };
  }
  if (byContext) return byContext.start < byContext.end ? byContext : { start: byContext.start, end: byContext.start };
  return byValue === undefined ? undefined : { start: byValue, end: byValue + value.length };
}

/**
 * Where the label's text is in `after`, found by the text on its left and on its right (the longest
 * context that is found, each side on its own); with one side only, the label keeps its length.
 */
function contextRange(label: AnchoredLabel, before: readonly string[], after: readonly string[]): { start: number; end: number } | undefined {
  const length = label.end - label.start;
  const none: ReadonlySet<string> = new Set();
  const search = (needle: readonly string[], near: number, from: number, to: number): number | undefined =>
    nearestOccurrence(after, needle, near, { from, to, occupied: none, entity: '' });
  let start: number | undefined = label.start === 0 ? 0 : undefined;
  for (const n of CONTEXTS) {
    if (start !== undefined) break;
    const left = before.slice(Math.max(0, label.start - n), label.start);
    const at = search(left, label.start - left.length, 0, after.length);
    if (at !== undefined) start = at + left.length;
  }
  let end: number | undefined = label.end === before.length ? after.length : undefined;
  for (const n of CONTEXTS) {
    if (end !== undefined) break;
    const right = before.slice(label.end, label.end + n);
    // Near the start found on the left, within what an edit of the label could make of it.
    const at = start === undefined ? search(right, label.end, 0, after.length) : search(right, start + length, start, start + 2 * length + CONTEXT);
    if (at !== undefined) end = at;
  }
  if (start === undefined && end === undefined) return undefined;
  if (start === undefined) start = Math.max(0, (end as number) - length);
  if (end === undefined || end < start) end = Math.min(after.length, start + length);
  return { start, end };
}

/** The single replacement that turns `before` into `after`: everything between their common prefix and suffix. */
export function replacementBetween(before: readonly string[], after: readonly string[]): { start: number; end: number } {
  let prefix = 0;
  const shorter = Math.min(before.length, after.length);
  while (prefix < shorter && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  return { start: prefix, end: before.length - suffix };
}

function mapLabel(l: AnchoredLabel, r: TextReplacement, inserted: number): { label: AnchoredLabel; touched: boolean } {
  const delta = inserted - (r.end - r.start);
  const { start: s, end: e } = l;
  if (s === e) {
    // A deleted label's point: text inserted right at it may bring its value back.
    if (s < r.start) return { label: l, touched: false };
    if (s > r.end) return { label: { ...l, start: s + delta, end: s + delta }, touched: false };
    return { label: { ...l, start: r.start, end: r.start }, touched: true };
  }
  if (e <= r.start) return { label: l, touched: false };
  // Text inserted right before a label is not part of it; but the label counts as touched, so that
  // a changed label can take back its value (undoing a deletion at its start re-inserts it there).
  if (s >= r.end) return { label: { ...l, start: s + delta, end: e + delta }, touched: r.start === r.end && s === r.start };
  if (r.start <= s && e <= r.end) {
    // Replaced whole: the new text is the label's when exactly its characters were retyped.
    if (r.start === s && r.end === e && inserted > 0) return { label: { ...l, end: s + inserted }, touched: true };
    return { label: { ...l, start: r.start, end: r.start }, touched: true };
  }
  return {
    label: { ...l, start: s < r.start ? s : r.start, end: e > r.end ? e + delta : r.start + inserted },
    touched: true,
  };
}

/**
 * The start of the occurrence of `needle` in `chars` nearest to `near`, among starts in [from, to],
 * skipping the spans that a label of the same entity already holds.
 */
function nearestOccurrence(
  chars: readonly string[],
  needle: readonly string[],
  near: number,
  where: { from: number; to: number; occupied: ReadonlySet<string>; entity: string },
): number | undefined {
  if (needle.length === 0) return undefined;
  const first = Math.max(0, where.from);
  const last = Math.min(where.to, chars.length - needle.length);
  let best: number | undefined;
  for (let s = first; s <= last; s++) {
    if (best !== undefined && Math.abs(s - near) >= Math.abs(best - near)) {
      if (s > near) break;
      continue;
    }
    if (!matchesAt(chars, needle, s)) continue;
    if (where.occupied.has(`${where.entity}|${s}|${s + needle.length}`)) continue;
    best = s;
  }
  return best;
}

function matchesAt(chars: readonly string[], needle: readonly string[], at: number): boolean {
  for (let i = 0; i < needle.length; i++) if (chars[at + i] !== needle[i]) return false;
  return true;
}

function sliceOf(chars: readonly string[], start: number, end: number): string {
  return chars.slice(start, end).join('');
}

function key(l: AnchoredLabel): string {
  return `${l.entity}|${l.start}|${l.end}`;
}
