/**
 * CoNLL-style BIO, one character (Unicode code point) per line:
 *
 *     # id = "dd-0001"
 *     # meta = {"source":"generated"}
 *     借<TAB>B-LOAN_AMOUNT
 *     款<TAB>I-LOAN_AMOUNT
 *     ，<TAB>O
 *     <blank line between records>
 *
 * - Tags are B-TYPE / I-TYPE / O with TYPE the schema's tag by default (`--entity`).
 * - Record keys other than text and labels (id, meta, anything unknown) are kept as comment lines
 *   `# KEY = JSON` before the record's characters (JSON on one line, U+0085/U+2028/U+2029 escaped
 *   too); import accepts records without them and reads a value that is not JSON as a plain string
 *   (`# id = doc-1`); a value nested deeper than MAX_JSON_DEPTH skips its record, reported. A key
 *   with a space or "=" cannot be written and is reported.
 * - Characters that would break the line structure are escaped, reversibly: `\n` `\r` `\t` and `\\`
 *   for newline, carriage return, tab and backslash; `\uXXXX` for every other control character
 *   (C0, DEL, C1), U+2028/U+2029, U+FEFF and lone surrogates. A space needs no escape (the tab
 *   separates). Import also reads a lone `\` as a backslash.
 * - Overlapping or nested spans cannot be tagged: the earliest-starting (then longest) span is kept
 *   and each span overlapping a kept one is reported and left out.
 * - Import also reads space-separated lines (`借 B-LOAN_AMOUNT`), BIOES/BMES tags (S-, E-, M-) and
 *   CRLF files. I- or E- without a preceding span of the same type is read as a span start and reported.
 */
import { readJson } from '../dataset/jsonDepth';
import { describeLabel, reportDroppedLabelFields } from './exportRecords';
import type { CleanLabel, ExportRecord, FormatModule, RawLabel, RawRecord, Reporter } from './types';

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const UNESCAPES: Record<string, string> = { '\\': '\\', n: '\n', r: '\r', t: '\t' };
const COMMENT = /^# ([^\s=]+) = (.*)$/s;
const COMMENT_KEY = /^[^\s=]+$/;
const TAG = /^([BIMES])-(.*)$/;

/** The character as it is written in the first column. */
export function escapeBioChar(c: string): string {
  const named = ESCAPES[c];
  if (named) return named;
  const code = c.codePointAt(0) ?? 0;
  const needsEscape =
    code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0xfeff || (code >= 0xd800 && code <= 0xdfff);
  return needsEscape ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}` : c;
}

/** The character a first column stands for, or an error message. */
export function unescapeBioChar(field: string): { char: string } | { error: string } {
  if (field.startsWith('\\') && field.length > 1) {
    const m = /^\\(?:([\\nrt])|u([0-9a-fA-F]{4}))$/.exec(field);
    if (!m) return { error: `unknown escape ${JSON.stringify(field)} (BIO escapes are \\n \\r \\t \\\\ and \\uXXXX)` };
    return { char: m[1] !== undefined ? UNESCAPES[m[1]] : String.fromCharCode(parseInt(m[2], 16)) };
  }
  const chars = Array.from(field);
  if (chars.length !== 1) {
    return {
      error: chars.length === 0 ? 'empty character column' : `expected one character before the tag, got ${JSON.stringify(field)} (${chars.length} characters)`,
    };
  }
  return { char: field };
}

/** JSON on one line that no line splitter breaks: JSON.stringify leaves U+0085, U+2028 and U+2029 raw. */
function commentJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function writeRecord(record: ExportRecord, reporter: Reporter): { lines: string[]; labels: number } | undefined {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(record.extra)) {
    if (COMMENT_KEY.test(key)) lines.push(`# ${key} = ${commentJson(value)}`);
    else
      reporter.add(
        record.line,
        record.id,
        'dropped-field',
        `record key ${JSON.stringify(key)} cannot be a BIO comment key (it contains a space or "="); dropped`,
      );
  }
  const chars = Array.from(record.text);
  if (chars.length === 0 && lines.length === 0) {
    reporter.add(record.line, record.id, 'dropped-field', 'the record has an empty text and no id or other keys: BIO has no line to write for it; skipped');
    return undefined;
  }
  const tags: string[] = chars.map(() => 'O');
  let written = 0;
  for (const label of keepNonOverlapping(record, reporter)) {
    if (/[\t\n\r\u2028\u2029]/.test(label.entity)) {
      reporter.add(
        record.line,
        record.id,
        'invalid-label',
        `${describeLabel(label)}: the entity type contains a tab or line break, which a BIO tag cannot hold; not exported`,
      );
      continue;
    }
    reportDroppedLabelFields(record, label, 'BIO', reporter);
    for (let i = label.start; i < label.end; i++) tags[i] = `${i === label.start ? 'B' : 'I'}-${label.entity}`;
    written++;
  }
  chars.forEach((c, i) => lines.push(`${escapeBioChar(c)}\t${tags[i]}`));
  return { lines, labels: written };
}

/** The spans BIO can tag: earliest start first, the longer on equal starts; the others are reported. */
function keepNonOverlapping(record: ExportRecord, reporter: Reporter): CleanLabel[] {
  const ordered = [...record.labels].sort((a, b) => a.start - b.start || b.end - a.end || a.number - b.number);
  const kept: CleanLabel[] = [];
  for (const label of ordered) {
    const previous = kept[kept.length - 1];
    if (previous && label.start < previous.end) {
      reporter.add(
        record.line,
        record.id,
        'overlapping-label',
        `${describeLabel(label)} overlaps ${describeLabel(previous)}; BIO cannot tag overlapping spans, not exported`,
      );
      continue;
    }
    kept.push(label);
  }
  return kept;
}

interface PendingRecord {
  line: number;
  comments: [string, unknown][];
  chars: string[];
  tags: { tag: string; line: number }[];
  failed: boolean;
}

function readRecords(content: string, reporter: Reporter): RawRecord[] {
  const lines = (content.startsWith('\uFEFF') ? content.slice(1) : content).split(/\r?\n/);
  const records: RawRecord[] = [];
  let pending: PendingRecord | undefined;
  const fail = (line: number, message: string): void => {
    if (pending && !pending.failed) {
      const id = pending.comments.find(([k]) => k === 'id')?.[1];
      reporter.add(line, id, 'unreadable-record', `${message}; the record starting on line ${pending.line} is skipped`);
      pending.failed = true;
    }
  };
  const flush = (): void => {
    if (pending && !pending.failed) records.push(toRawRecord(pending, reporter));
    pending = undefined;
  };

  lines.forEach((text, i) => {
    const line = i + 1;
    if (text.trim() === '') {
      flush();
      return;
    }
    pending ??= { line, comments: [], chars: [], tags: [], failed: false };
    const comment = text.includes('\t') ? null : COMMENT.exec(text);
    if (comment) {
      if (pending.chars.length > 0) {
        fail(line, `comment line "${text}" inside the record's characters (a blank line missing before it?)`);
        return;
      }
      const value = readJson(comment[2], text.length - comment[2].length + 1);
      if (!value.ok && value.tooDeep) fail(line, `the value of "# ${comment[1]}" is ${value.message}`);
      // A value that is not JSON is kept as the text it is.
      else pending.comments.push([comment[1], value.ok ? value.value : comment[2]]);
      return;
    }
    const tab = text.indexOf('\t');
    const space = text.lastIndexOf(' ');
    const split = tab >= 0 ? tab : space > 0 ? space : -1;
    if (split < 0) {
      fail(line, `expected CHARACTER<TAB>TAG, got ${JSON.stringify(text)}`);
      return;
    }
    const decoded = unescapeBioChar(text.slice(0, split));
    if ('error' in decoded) {
      fail(line, decoded.error);
      return;
    }
    const tag = text.slice(split + 1);
    if (tag !== 'O' && !TAG.test(tag)) {
      fail(line, `unknown tag ${JSON.stringify(tag)} (expected O, B-TYPE or I-TYPE)`);
      return;
    }
    pending.chars.push(decoded.char);
    pending.tags.push({ tag, line });
  });
  flush();
  return records;
}

function toRawRecord(pending: PendingRecord, reporter: Reporter): RawRecord {
  const extra: Record<string, unknown> = {};
  for (const [k, v] of pending.comments) extra[k] = v;
  const text = pending.chars.join('');
  // A CoNLL-U style "# text = ..." that agrees with the characters says nothing more.
  if (extra.text === text) delete extra.text;
  const labels: RawLabel[] = [];
  let open: { type: string; start: number; line: number } | undefined;
  const close = (end: number): void => {
    if (open) labels.push({ entity: open.type, start: open.start, end, where: `span on line ${open.line}` });
    open = undefined;
  };
  pending.tags.forEach(({ tag, line }, pos) => {
    if (tag === 'O') {
      close(pos);
      return;
    }
    const [, prefix, type] = TAG.exec(tag) ?? [];
    const continues = (prefix === 'I' || prefix === 'M' || prefix === 'E') && open?.type === type;
    if (!continues) {
      if (prefix !== 'B' && prefix !== 'S') {
        reporter.add(
          line,
          extra.id,
          'invalid-tag',
          `${tag} on line ${line} does not continue a ${type} span (no B-${type} before it); read as the start of one`,
        );
      }
      close(pos);
      open = { type, start: pos, line };
    }
    if (prefix === 'E' || prefix === 'S') close(pos + 1);
  });
  close(pending.tags.length);
  return { line: pending.line, text, labels, extra };
}

export const bioFormat: FormatModule = {
  id: 'bio',
  write(records, reporter) {
    const blocks: string[] = [];
    let labels = 0;
    for (const record of records) {
      const written = writeRecord(record, reporter);
      if (!written) continue;
      blocks.push(written.lines.join('\n'));
      labels += written.labels;
    }
    return { output: blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`, records: blocks.length, labels };
  },
  read(content, reporter) {
    return readRecords(content, reporter);
  },
};
