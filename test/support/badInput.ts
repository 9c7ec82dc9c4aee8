// A seeded generator of bad input files: valid records mixed at random lines with lines
// that are bad in one way each, and for every file which lines are bad and what the good ones are.
// One function per kind of badness; test/unit/badInput.test.ts and test/processes/badInput.test.ts run every command on every file.

/** The seed of a run: FINLABEL_BAD_INPUT_SEED when set (to replay a failure), else a fixed one. */
export function badInputSeed(): number {
  const fromEnv = process.env.FINLABEL_BAD_INPUT_SEED?.trim();
  if (fromEnv) {
    const seed = Number(fromEnv);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`FINLABEL_BAD_INPUT_SEED must be a non-negative integer, got "${fromEnv}"`);
    return seed;
  }
  return 1414;
}

/** mulberry32: small, fast and the same on every machine. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

/**
 * How a line is bad, which says which commands must report it:
 * - not-utf8: bytes that are not UTF-8; every command refuses the whole file at the first such line;
 * - not-a-record: not a JSON object with a text (malformed, too deep, truncated, ...);
 * - unusable-label: a record with a label whose offsets cannot be used (reversed, out of range, not integers);
 * - wrong-label: a record with a label that can be placed but is wrong (value differs, unknown type, overlap);
 * - bad-row / bad-cell: a CSV row with another number of cells / a cell that cannot be read (still scored).
 */
export type Badness = 'not-utf8' | 'not-a-record' | 'unusable-label' | 'wrong-label' | 'bad-row' | 'bad-cell';

export interface BadLine {
  /** 1-based line in the file. */
  line: number;
  badness: Badness;
  /** What is wrong, for failure messages. */
  what: string;
}

export type BadFormat = 'jsonl' | 'doccano' | 'labelstudio' | 'cluener' | 'csv';

export interface GoodLine {
  /** 1-based line in the file. */
  line: number;
  /** The record's id (JSONL and import formats). */
  id?: string;
  /** The line as it must come out: a dataset line, in the file as it is (jsonl) or as import writes it. */
  expected: string;
}

export interface BadFile {
  /** A title for the test. */
  kind: string;
  /** The file's name (unique within a run). */
  name: string;
  format: BadFormat;
  bytes: Buffer;
  bad: BadLine[];
  good: GoodLine[];
  /** For import formats: the good records as a dataset JSONL, which the CLI exports to make this file. */
  goodDataset?: string;
}

export const CREDIT_HEADER = '企业名称,纳税额(万元),水电费(万元),经营年限(年),区域,区域经济指数,是否违约';

const VALUES: Record<string, string[]> = {
  借款金额: ['500万元', '1,200万元', '3亿元', '80万元', '😀9千万元'],
  担保方式: ['抵押', '保证', '质押', '连带责任保证'],
  还款期限: ['3年', '12个月', '五年', '𠀋两年'],
};
const FILLERS = ['本合同', '借款人', '😀', '𠀋', '，', '\r\n', '甲方', 'abc', '"引号"', '\\', '\t', ' ', '第一条'];

const codePoints = (s: string): number => Array.from(s).length;

const ASTRAL = /[\u{10000}-\u{10FFFF}]/u;

/** A valid record: fillers and labelled values, offsets in code points, sometimes a meta object; `gbk`: only characters GBK has. */
export function goodRecord(rng: Rng, id: string, gbk = false): Record<string, unknown> {
  const pick = (items: string[]): string => rng.pick(gbk ? items.filter((x) => !ASTRAL.test(x)) : items);
  let text = '';
  const labels: { entity: string; value: string; start: number; end: number }[] = [];
  const parts = 1 + rng.int(3);
  for (let i = 0; i < parts; i++) {
    text += pick(FILLERS);
    if (rng.chance(0.8)) {
      const entity = rng.pick(Object.keys(VALUES));
      const value = pick(VALUES[entity]);
      const start = codePoints(text);
      text += value;
      labels.push({ entity, value, start, end: start + codePoints(value) });
    }
  }
  text += pick(FILLERS);
  const record: Record<string, unknown> = { id, text, labels };
  if (rng.chance(0.3)) record.meta = { source: pick(['合同', 'scan 😀']), page: rng.int(90) };
  return record;
}

/** One line of a file to be: its bytes (no line break) and, for a bad one, how it is bad. */
interface Entry {
  bytes: Buffer;
  bad?: { badness: Badness; what: string };
  id?: string;
  expected?: string;
}

const good = (record: Record<string, unknown>): Entry => {
  const line = JSON.stringify(record);
  return { bytes: Buffer.from(line), id: String(record.id), expected: line };
};
const bad = (line: string | Buffer, badness: Badness, what: string): Entry => ({
  bytes: typeof line === 'string' ? Buffer.from(line) : line,
  bad: { badness, what },
});

/** Good records and bad lines in a random order, with random line breaks; `last` (if any) ends the file without one. */
function assemble(
  rng: Rng,
  kind: string,
  name: string,
  entries: Entry[],
  options: { last?: Entry; bom?: boolean; goodFirst?: boolean; mixedBreaks?: boolean } = {},
): BadFile {
  const fileEol = rng.pick(['\n', '\r\n']);
  const eol = (): string => (options.mixedBreaks ? rng.pick(['\n', '\r\n', '\r']) : fileEol);
  const lines = rng.shuffle(entries);
  // A BOM belongs to the file, not to a bad line: the first line is a good one.
  if (options.bom || options.goodFirst) {
    const first = lines.findIndex((e) => !e.bad);
    lines.unshift(...lines.splice(first, 1));
  }
  const chunks: Buffer[] = options.bom ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
  const file: BadFile = { kind, name, format: 'jsonl', bytes: Buffer.alloc(0), bad: [], good: [] };
  lines.forEach((e, i) => {
    chunks.push(e.bytes, Buffer.from(eol()));
    if (e.bad) file.bad.push({ line: i + 1, ...e.bad });
    else file.good.push({ line: i + 1, id: e.id, expected: (options.bom && i === 0 ? '\ufeff' : '') + e.expected });
  });
  if (options.last) {
    chunks.push(options.last.bytes);
    if (options.last.bad) file.bad.push({ line: lines.length + 1, ...options.last.bad });
  } else if (rng.chance(0.3)) {
    chunks.pop(); // no line break after the last line
  }
  file.bytes = Buffer.concat(chunks);
  return file;
}

/** `n` good records with ids `${prefix}1`, ... */
function goods(rng: Rng, prefix: string, n: number): Entry[] {
  return Array.from({ length: n }, (_, i) => good(goodRecord(rng, `${prefix}${i + 1}`)));
}

/** A good record's line with `bytes` inserted into its text, after the opening quote. */
function withBytesInText(rng: Rng, id: string, bytes: number[]): Buffer {
  const line = JSON.stringify(goodRecord(rng, id));
  const at = line.indexOf('"text":"') + 8;
  return Buffer.concat([Buffer.from(line.slice(0, at)), Buffer.from(bytes), Buffer.from(line.slice(at))]);
}

// ---- JSONL datasets --------------------------------------------------------------------------------

/** Invalid UTF-8: \xff\xfe inside the text string of some records. */
export function invalidUtf8(rng: Rng): BadFile {
  const bads = Array.from({ length: 1 + rng.int(3) }, (_, i) => bad(withBytesInText(rng, `ff${i}`, [0xff, 0xfe]), 'not-utf8', '\\xff\\xfe in a string'));
  return assemble(rng, 'invalid UTF-8 bytes (\\xff\\xfe) inside a JSON string', 'invalid-utf8.jsonl', [...goods(rng, 'r', 4 + rng.int(4)), ...bads]);
}

let gbkTable: Map<string, Buffer> | undefined;
/** Encodes text as GBK (built from the platform's GBK decoder; ASCII as it is). */
export function encodeGbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const c = decoder.decode(Uint8Array.from([lead, trail]));
        if (c.length === 1 && c !== '\ufffd' && !gbkTable.has(c)) gbkTable.set(c, Buffer.from([lead, trail]));
      }
    }
  }
  return Buffer.concat(
    Array.from(text, (c) => {
      if (c.charCodeAt(0) < 0x80) return Buffer.from(c);
      const bytes = gbkTable!.get(c);
      if (!bytes) throw new Error(`no GBK for ${c}`);
      return bytes;
    }),
  );
}

const isUtf8 = (bytes: Buffer): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/** Records in GBK: some lines of a UTF-8 file were saved by a GBK tool (Excel on Chinese Windows). */
export function gbkLines(rng: Rng): BadFile {
  const bads: Entry[] = [];
  while (bads.length < 1 + rng.int(3)) {
    const id = `gbk${bads.length + 1}`;
    const text = rng.pick(['借款金额为500万元，担保方式为抵押', '还款期限三年', '甲方借款人：中文名称']);
    const bytes = encodeGbk(JSON.stringify({ id, text, labels: [] }));
    if (!isUtf8(bytes)) bads.push(bad(bytes, 'not-utf8', 'a GBK-encoded line'));
  }
  return assemble(rng, 'GBK-encoded lines among UTF-8 ones', 'gbk-lines.jsonl', [...goods(rng, 'r', 4 + rng.int(4)), ...bads]);
}

/** A JSONL saved as GBK: every line with a Chinese character is not UTF-8 (ASCII-only lines are). */
export function gbkFile(rng: Rng): BadFile {
  const entries = Array.from({ length: 5 + rng.int(4) }, (_, i) => {
    const record = rng.chance(0.2) ? { id: `a${i}`, text: 'ABC 500', labels: [] } : goodRecord(rng, `g${i}`, true);
    const bytes = encodeGbk(JSON.stringify(record));
    return isUtf8(bytes) ? good(record) : bad(bytes, 'not-utf8', 'a line in GBK');
  });
  return assemble(rng, 'a GBK-encoded JSONL', 'gbk.jsonl', entries);
}

/** Raw lone surrogates: CESU-8 style bytes (ED A0 80 .. ED BF BF) inside strings. */
export function rawSurrogates(rng: Rng): BadFile {
  const surrogates = [
    [0xed, 0xa0, 0x80],
    [0xed, 0xb0, 0x80],
    [0xed, 0xbf, 0xbf],
    [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80],
  ];
  const bads = Array.from({ length: 1 + rng.int(3) }, (_, i) =>
    bad(withBytesInText(rng, `sur${i}`, rng.pick(surrogates)), 'not-utf8', 'raw UTF-16 surrogate bytes'),
  );
  return assemble(rng, 'raw lone surrogates (ED A0 80) in a string', 'surrogates.jsonl', [...goods(rng, 'r', 4 + rng.int(4)), ...bads]);
}

/** Lines nested 6,000 levels deep and just past the limit, and a record at the limit (arrays of arrays in a record). */
export function deepNesting(rng: Rng): BadFile {
  const deep = (id: string, depth: number): string => `{"id":"${id}","text":"a","labels":[],"x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  const bads = [bad(deep('deep1', 6000), 'not-a-record', 'nested 6,000 levels deep')];
  // 512 levels (the record and 511 arrays) is the most a line may have: one more is too deep.
  bads.push(bad(deep('deep2', 512 + rng.int(5000)), 'not-a-record', 'nested too deep'));
  bads.push(bad(`${'['.repeat(6000)}${']'.repeat(6000)}`, 'not-a-record', 'a bare array nested 6,000 levels deep'));
  const atLimit = deep('limit', 511);
  return assemble(rng, 'a line nested 6,000 levels deep', 'deep.jsonl', [
    ...goods(rng, 'r', 4 + rng.int(4)),
    { bytes: Buffer.from(atLimit), id: 'limit', expected: atLimit },
    ...bads,
  ]);
}

const CONTROLS = ['\u001b', '\u0007', '\u0000', '\u001b[31m', '\u001b]0;pwned\u0007', '\u009b', '\u202e'];

/** Control characters (ESC, BEL, NUL) in values the CLI echoes: an unknown entity, a wrong value, an id; raw in a string. */
export function controlCharacters(rng: Rng): BadFile {
  const c = (): string => rng.pick(CONTROLS);
  const record = (id: string): Record<string, unknown> & { labels: { entity: string; value: string; start: number; end: number }[] } => {
    const r = goodRecord(rng, id) as ReturnType<typeof record>;
    if (r.labels.length === 0) r.labels.push({ entity: '借款金额', value: Array.from(r.text as string)[0], start: 0, end: 1 });
    return r;
  };
  const makers: (() => Entry)[] = [
    () => {
      const r = record(`ctl-entity${c()}`);
      r.labels[0].entity = `${c()}借款金额${c()}`;
      return bad(JSON.stringify(r), 'wrong-label', 'an unknown entity type with control characters');
    },
    () => {
      const r = record(`ctl-value${c()}`);
      r.labels[0].value = `${c()}${r.labels[0].value}`;
      return bad(JSON.stringify(r), 'wrong-label', 'a value with control characters that differs from the text');
    },
    () => {
      const r = record(`${c()}ctl-id${c()}`);
      r.labels.push({ entity: '借款金额', value: 'x', start: 5, end: 2 });
      return bad(JSON.stringify(r), 'unusable-label', 'an id with control characters and a reversed span');
    },
    // Raw in a string (JSON does not allow it): the line is not JSON.
    () =>
      bad(
        JSON.stringify(record('ctl-raw')).replace('"text":"', `"text":"${rng.pick(['\u0000', '\u001b', '\u0007'])}`),
        'not-a-record',
        'a raw control character in a string',
      ),
    () => bad(`${rng.pick(['\u0000', '\u001b[2J', '\u0007'])}{"text":"a"}`, 'not-a-record', 'a raw control character before the JSON'),
    // Lone surrogates written as JSON escapes are valid JSON: echoed, they are escaped too.
    () => {
      const r = record(`sur-id\ud800`);
      r.labels[0].entity = `\udc00借款金额`;
      r.labels.push({ entity: '借款金额', value: '\ud83d', start: 0, end: 1 });
      return bad(JSON.stringify(r), 'wrong-label', 'escaped lone surrogates in an id, an entity and a value');
    },
  ];
  const loneSurrogateText = good({
    id: 'sur-text',
    text: `借款\ud800金额\udfff500万元`,
    labels: [{ entity: '借款金额', value: '500万元', start: 6, end: 11 }],
  });
  const bads = makers.map((m) => m());
  return assemble(rng, 'control characters (ESC, BEL, NUL) and lone surrogates in echoed values', 'controls.jsonl', [
    ...goods(rng, 'r', 4 + rng.int(4)),
    loneSurrogateText,
    ...bads,
  ]);
}

/** Lines starting with an emoji (or other non-ASCII) that are not JSON. */
export function emojiLines(rng: Rng): BadFile {
  const starts = ['😀 {"text": "借款500万元"}', '😀', '𠀋{"text":"a"}', '借款金额500万元', '\ufeff{"text":"a BOM in the middle"}', '🏦🏦🏦'];
  const bads = starts.map((s) => bad(s, 'not-a-record', 'a line starting with an emoji that is not JSON'));
  // A BOM on the first line is the file's: there, the line is a record.
  return assemble(rng, 'lines starting with an emoji that are not JSON', 'emoji.jsonl', [...goods(rng, 'r', 4 + rng.int(4)), ...bads], { goodFirst: true });
}

/** Malformed JSON of the usual kinds. */
export function malformedJson(rng: Rng): BadFile {
  const kinds = [
    '{"id":"m1","text":"借款500万元","labels":[}',
    '{"id":"m2","text":"借款500万元",}',
    "{'id':'m3','text':'借款'}",
    '{id:"m4",text:"借款"}',
    '{"id":"m5","text":"借款500万元"',
    '{"id":"m6","text":"未闭合}',
    '{"id":"m7","text":"a"} trailing',
    '{"id":"m8","text":"\\x41"}',
    '}{',
    ',',
  ];
  const bads = kinds.map((s) => bad(s, 'not-a-record', 'malformed JSON'));
  return assemble(rng, 'malformed JSON lines', 'malformed.jsonl', [...goods(rng, 'r', 4 + rng.int(4)), ...bads]);
}

/** The last line cut off in the middle (no line break after it). */
export function truncatedLastLine(rng: Rng): BadFile {
  const line = JSON.stringify(goodRecord(rng, 'cut'));
  const last = bad(line.slice(0, 1 + rng.int(line.length - 2)), 'not-a-record', 'the last line cut off');
  return assemble(
    rng,
    'a truncated last line',
    'truncated.jsonl',
    [...goods(rng, 'r', 3 + rng.int(4)), ...(rng.chance(0.5) ? [bad('{"text":', 'not-a-record', 'malformed JSON')] : [])],
    { last },
  );
}

/** A UTF-8 BOM at the start of the file, with bad lines after it. */
export function byteOrderMark(rng: Rng): BadFile {
  // Records only (bad labels, no line that is not a record), so that split writes them.
  const bads = [
    bad('{"id":"b1","text":"借款","labels":[{"entity":"借款金额","value":"借款","start":0,"end":9}]}', 'unusable-label', 'a span past the end'),
    bad('{"id":"b2","text":"借款","labels":[{"entity":"借款金额","value":"款","start":0,"end":1}]}', 'wrong-label', 'a value that differs'),
  ];
  return assemble(rng, 'a UTF-8 byte order mark', 'bom.jsonl', [...goods(rng, 'r', 3 + rng.int(4)), ...bads], { bom: true });
}

/** Line breaks of every kind in one file: \n, \r\n and a lone \r (which editors and every command count as one). */
export function mixedLineBreaks(rng: Rng): BadFile {
  const bads = [
    bad('{"id":"cr1",', 'not-a-record', 'the first half of a record split by a lone \\r'),
    bad('"text":"借款","labels":[]}', 'not-a-record', 'the second half of a record split by a lone \\r'),
  ];
  return assemble(rng, 'mixed line breaks (\\n, \\r\\n, lone \\r)', 'line-breaks.jsonl', [...goods(rng, 'r', 5 + rng.int(4)), ...bads], { mixedBreaks: true });
}

/** NUL bytes: a line of NULs, NUL between records' fields. */
export function nulBytes(rng: Rng): BadFile {
  const kinds = ['\u0000', '\u0000\u0000\u0000\u0000', '{"id":"n1",\u0000"text":"a"}', '\u0000{"id":"n2","text":"a"}', '{"id":"n3","text":"a"}\u0000'];
  const bads = kinds.map((s) => bad(s, 'not-a-record', 'NUL bytes'));
  return assemble(rng, 'NUL bytes', 'nul.jsonl', [...goods(rng, 'r', 4 + rng.int(4)), ...bads]);
}

/** Bad offsets of every kind, and the other label problems of a record. */
export function badOffsets(rng: Rng): BadFile {
  const text = '😀借款金额𠀋500万元\r\n担保方式为抵押';
  const label = (fields: Record<string, unknown>): Record<string, unknown> => ({ entity: '借款金额', value: '𠀋500万元', start: 5, end: 11, ...fields });
  const rec = (id: string, labels: unknown, extra: Record<string, unknown> = {}): string => JSON.stringify({ id, text, labels, ...extra });
  const kinds: [string, Badness, string][] = [
    [rec('o1', [label({ start: 11, end: 5 })]), 'unusable-label', 'start after end'],
    [rec('o2', [label({ start: 5, end: 5 })]), 'unusable-label', 'an empty span'],
    [rec('o3', [label({ start: -1 })]), 'unusable-label', 'a negative start'],
    [rec('o4', [label({ end: 99 })]), 'unusable-label', 'an end past the text'],
    [rec('o5', [label({ start: 5.5 })]), 'unusable-label', 'a start that is not an integer'],
    [rec('o6', [label({ start: '5', end: '11' })]), 'unusable-label', 'offsets as strings'],
    [rec('o7', [label({ start: null })]), 'unusable-label', 'a null start'],
    [rec('o8', [{ entity: '借款金额', value: 'x' }]), 'unusable-label', 'no offsets'],
    [rec('o9', [label({ start: 1e300, end: 1e301 })]), 'unusable-label', 'offsets beyond any text'],
    [rec('o10', [label({ start: 6, end: 13 })]), 'wrong-label', 'UTF-16 offsets (value differs)'],
    [rec('o11', [label({}), label({ start: 6, end: 9, value: '500' })]), 'wrong-label', 'overlapping spans'],
    [rec('o12', [label({ entity: '利率' })]), 'wrong-label', 'an unknown entity type'],
    [rec('o13', ['借款金额']), 'unusable-label', 'a label that is not an object'],
    [rec('o14', { entity: '借款金额' }), 'unusable-label', 'labels that are not a list'],
    [JSON.stringify({ id: 'o15', labels: [] }), 'not-a-record', 'no text'],
    [JSON.stringify({ id: 'o16', text: 42, labels: [] }), 'not-a-record', 'a text that is a number'],
    [JSON.stringify([{ id: 'o17', text: 'a' }]), 'not-a-record', 'an array, not an object'],
    ['42', 'not-a-record', 'a number, not an object'],
    ['null', 'not-a-record', 'null'],
  ];
  const bads = kinds.map(([line, badness, what]) => bad(line, badness, what));
  return assemble(rng, 'bad offsets of every kind', 'offsets.jsonl', [...goods(rng, 'r', 4 + rng.int(4)), ...bads]);
}

/** One record whose text is 5 MB (one per run: it is slow), among bad lines. */
export function fiveMegabyteLine(rng: Rng): BadFile {
  const big = {
    id: 'big',
    text: `借款金额500万元${'合同正文😀'.repeat((5 * 1024 * 1024) / 15)}`,
    labels: [{ entity: '借款金额', value: '500万元', start: 4, end: 9 }],
  };
  const bads = [
    bad('{"id":"cut","text":"借款', 'not-a-record', 'a line cut off'),
    bad(
      JSON.stringify({ id: 'far', text: '借款', labels: [{ entity: '借款金额', value: '借款', start: 0, end: 9e6 }] }),
      'unusable-label',
      'a span millions past the end',
    ),
  ];
  return assemble(rng, 'a 5 MB line', 'five-mb.jsonl', [good(big), ...goods(rng, 'r', 3), ...bads]);
}

/** 100,000 empty lines (and some of spaces) with records and bad lines among them. */
export function hundredThousandEmptyLines(rng: Rng): BadFile {
  const entries: Entry[] = Array.from({ length: 100_000 }, () => ({ bytes: Buffer.from(rng.chance(0.01) ? '   ' : ''), expected: '' }));
  const blanks = entries.length;
  entries.push(
    ...goods(rng, 'r', 5),
    bad('{"id":"e1","text":', 'not-a-record', 'malformed JSON'),
    bad(JSON.stringify({ id: 'e2', text: '借款', labels: [{ entity: '借款金额', value: '借款', start: 2, end: 0 }] }), 'unusable-label', 'start after end'),
  );
  const file = assemble(rng, '100,000 empty lines', 'empty-lines.jsonl', entries);
  // Blank lines are neither records nor problems.
  file.good = file.good.filter((g) => g.expected.trim() !== '');
  if (file.good.length + file.bad.length + blanks !== entries.length) throw new Error('lost a line');
  return file;
}

// ---- files to import --------------------------------------------------------------------------------

/** Good records in another tool's format, made by the CLI's own export (the test does it), with bad lines added. */
interface ImportFile {
  format: Exclude<BadFormat, 'jsonl' | 'csv'>;
  goodRecords: Record<string, unknown>[];
  /** Bad lines in the format, inserted at random places among the exported ones. */
  bads: { line: string; badness: Badness; what: string }[];
}

/** CLUENER lines ({"text","label":{type:{mention:[[start,end_inclusive]]}}}) with bad spans. */
export function cluenerBadOffsets(rng: Rng): ImportFile {
  const text = '😀借款金额500万元，担保方式为抵押';
  const line = (id: string, spans: unknown, mention = '500万元'): string => JSON.stringify({ id, text, label: { LOAN_AMOUNT: { [mention]: spans } } });
  const kinds: [string, Badness, string][] = [
    [line('c1', [[10, 5]]), 'unusable-label', 'end before start'],
    [line('c2', [[5, 100]]), 'unusable-label', 'an end past the text'],
    [line('c3', [[5, 19]]), 'unusable-label', 'an inclusive end equal to the length'],
    [line('c4', [[-1, 3]]), 'unusable-label', 'a negative start'],
    [line('c5', [[5.5, 9]]), 'unusable-label', 'a start that is not an integer'],
    [line('c6', [[5]]), 'unusable-label', 'a span with one offset'],
    [line('c7', [[5, 10]]), 'wrong-label', 'an exclusive end (the mention differs from the text)'],
    [line('c8', '5-9'), 'unusable-label', 'spans that are not a list'],
    ['😀 {"text": "借款500万元"}', 'not-a-record', 'a line starting with an emoji'],
    ['{"text": "𠀋", 😀}', 'not-a-record', 'malformed JSON'],
    [JSON.stringify({ text: '借款', label: [] }), 'unusable-label', 'label that is a list'],
  ];
  return {
    format: 'cluener',
    goodRecords: Array.from({ length: 4 + rng.int(4) }, (_, i) => goodRecord(rng, `r${i + 1}`)),
    bads: kinds.map(([l, badness, what]) => ({ line: l, badness, what })),
  };
}

/** Label Studio tasks (one per line in the JSON array) with a span [60, 11) and "annotations" that is not a list. */
export function labelStudioBadTasks(rng: Rng): ImportFile {
  const task = (id: number, annotations: unknown, text = '借款500万元'): string => JSON.stringify({ id, data: { text }, annotations });
  const result = (start: unknown, end: unknown, label = 'LOAN_AMOUNT'): unknown => [{ result: [{ type: 'labels', value: { start, end, labels: [label] } }] }];
  const kinds: [string, Badness, string][] = [
    [task(901, result(60, 11)), 'unusable-label', 'a span [60, 11)'],
    [task(902, { result: [{ type: 'labels', value: { start: 0, end: 2, labels: ['GUARANTEE_TYPE'] } }] }), 'unusable-label', '"annotations" that is an object'],
    [task(903, 'none'), 'unusable-label', '"annotations" that is a string'],
    [task(904, result(2, 99)), 'unusable-label', 'an end past the text'],
    [task(905, result('2', 5)), 'unusable-label', 'a start that is a string'],
    [JSON.stringify({ id: 906, data: {}, annotations: [] }), 'not-a-record', 'a task without text'],
    [JSON.stringify({ id: 907, data: { text: 42 }, annotations: [] }), 'not-a-record', 'a text that is a number'],
  ];
  return {
    format: 'labelstudio',
    goodRecords: Array.from({ length: 4 + rng.int(4) }, (_, i) => goodRecord(rng, `r${i + 1}`)),
    bads: kinds.map(([l, badness, what]) => ({ line: l, badness, what })),
  };
}

/** doccano lines ({"text","label":[[start,end,"TAG"]]}, UTF-16 offsets) with bad spans and lines that are not JSON. */
export function doccanoBadLines(rng: Rng): ImportFile {
  const text = '😀借款金额500万元';
  const line = (id: number, label: unknown): string => JSON.stringify({ id, text, label });
  const kinds: [string, Badness, string][] = [
    [line(801, [[12, 7, 'LOAN_AMOUNT']]), 'unusable-label', 'end before start'],
    [line(802, [[7, 40, 'LOAN_AMOUNT']]), 'unusable-label', 'an end past the text'],
    [line(803, [[1, 7, 'LOAN_AMOUNT']]), 'unusable-label', 'a span splitting an emoji'],
    [line(804, [[7]]), 'unusable-label', 'a span with one offset'],
    [line(805, 'LOAN_AMOUNT'), 'unusable-label', 'a label that is a string'],
    ['😀 not json', 'not-a-record', 'a line starting with an emoji'],
    ['{"text": "a", "label": [[0, 1, "X"]', 'not-a-record', 'truncated JSON'],
    [`{"id":1,"text":"a","x":${'['.repeat(6000)}${']'.repeat(6000)}}`, 'not-a-record', 'nested 6,000 levels deep'],
  ];
  return {
    format: 'doccano',
    goodRecords: Array.from({ length: 4 + rng.int(4) }, (_, i) => goodRecord(rng, `r${i + 1}`)),
    bads: kinds.map(([l, badness, what]) => ({ line: l, badness, what })),
  };
}

/**
 * The import file: `exported` is the CLI's export of the good records (one record per line; Label
 * Studio's between "[" and "]"), the bad lines inserted among them at random.
 */
export function assembleImport(rng: Rng, spec: ImportFile, exported: string, kind: string, name: string): BadFile {
  const eol = exported.includes('\r\n') ? '\r\n' : '\n';
  let lines = exported.split(eol);
  if (lines[lines.length - 1] === '') lines.pop();
  const head = spec.format === 'labelstudio' ? [lines[0]] : [];
  const tail = spec.format === 'labelstudio' ? [lines[lines.length - 1]] : [];
  if (spec.format === 'labelstudio') lines = lines.slice(1, -1).map((l) => l.replace(/,$/, ''));
  if (lines.length !== spec.goodRecords.length) throw new Error(`export wrote ${lines.length} lines for ${spec.goodRecords.length} records`);
  const entries = [...lines.map((l, i) => ({ line: l, id: String(spec.goodRecords[i].id), expected: JSON.stringify(spec.goodRecords[i]) })), ...spec.bads] as {
    line: string;
    id?: string;
    expected?: string;
    badness?: Badness;
    what?: string;
  }[];
  rng.shuffle(entries);
  const file: BadFile = { kind, name, format: spec.format, bytes: Buffer.alloc(0), bad: [], good: [] };
  const body = entries.map((e, i) => {
    const line = head.length + i + 1;
    if (e.badness) file.bad.push({ line, badness: e.badness, what: e.what! });
    else file.good.push({ line, id: e.id, expected: e.expected! });
    return spec.format === 'labelstudio' && i < entries.length - 1 ? `${e.line},` : e.line;
  });
  file.bytes = Buffer.from([...head, ...body, ...tail, ''].join(eol));
  return file;
}

// ---- credit CSVs ----------------------------------------------------------------------------------

const COMPANIES = ['佛山创丰医药有限公司', '武汉荣泰建材有限公司', '西安科盛医药有限责任公司', '深圳宏达科技有限公司', '杭州信诚贸易有限公司'];
const REGIONS = ['华南', '华中', '西北', '华东', '华北'];

function creditRow(rng: Rng): string[] {
  return [
    rng.pick(COMPANIES),
    (rng.next() * 50).toFixed(2),
    (rng.next() * 10).toFixed(2),
    String(1 + rng.int(20)),
    rng.pick(REGIONS),
    (60 + rng.next() * 60).toFixed(1),
    rng.pick(['0', '1', '']),
  ];
}

/** A row's bad variant: a cell too few or too many, 1e400, a number that is not one, a label that is not 0/1. */
function badCreditRow(rng: Rng, row: string[]): { cells: string[]; badness: Badness; what: string } {
  const choice = rng.int(5);
  if (choice === 0) return { cells: row.slice(0, 3 + rng.int(3)), badness: 'bad-row', what: 'too few cells' };
  if (choice === 1) return { cells: [...row, 'extra'], badness: 'bad-row', what: 'a cell too many' };
  const cells = [...row];
  if (choice === 2) cells[1 + rng.int(2)] = rng.pick(['1e400', '-1e400', '1E+999']);
  else if (choice === 3) cells[1 + rng.int(2)] = rng.pick(['abc', 'n/a?', '12..5', '\u001b[31m7\u0007']);
  else cells[6] = rng.pick(['是', '2', 'yes']);
  return {
    cells,
    badness: 'bad-cell',
    what: choice === 2 ? 'a number beyond a double (1e400)' : choice === 3 ? 'a number that is not one' : 'a label that is not 0/1',
  };
}

/** A credit CSV: rows with quoted cells (commas, doubled quotes, line breaks of each kind) when `quoted`, bad rows at random. */
export function creditCsv(rng: Rng, options: { encoding: 'gbk' | 'utf-8-bom' | 'utf-8'; quoted: boolean; name: string; kind: string }): BadFile {
  const eol = rng.pick(['\n', '\r\n']);
  const file: BadFile = { kind: options.kind, name: options.name, format: 'csv', bytes: Buffer.alloc(0), bad: [], good: [] };
  const records: string[] = [CREDIT_HEADER];
  let line = 2;
  const rows = 8 + rng.int(6);
  for (let i = 0; i < rows; i++) {
    let cells = creditRow(rng);
    let badness: Badness | undefined;
    let what = '';
    if (rng.chance(0.35)) ({ cells, badness, what } = badCreditRow(rng, cells));
    // Each way of quoting once (the first rows), then at random.
    const quoted = [`"${cells[0]}, 分公司"`, `"${cells[0]}""总部"""`, `"${cells[0]}${eol}二部"`, `"${cells[0]}\r三部"`, '"😀𠀋科技"'];
    if (options.quoted && (i < quoted.length || rng.chance(0.5))) cells[0] = i < quoted.length ? quoted[i] : rng.pick(quoted);
    const record = cells.join(',');
    if (badness) file.bad.push({ line, badness, what });
    else file.good.push({ line, expected: record });
    records.push(record);
    // A line break inside a quoted cell (\n, \r\n or a lone \r, as editors count them) starts a line.
    line += record.split(/\r\n|\n|\r/).length;
  }
  const text = records.join(eol) + eol;
  file.bytes =
    options.encoding === 'gbk'
      ? encodeGbk(text)
      : Buffer.concat([options.encoding === 'utf-8-bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text)]);
  return file;
}

/** Every JSONL kind that is made again for each seed (the slow ones are made once by the test). */
export const JSONL_KINDS = [
  invalidUtf8,
  gbkLines,
  gbkFile,
  rawSurrogates,
  deepNesting,
  controlCharacters,
  emojiLines,
  malformedJson,
  truncatedLastLine,
  byteOrderMark,
  mixedLineBreaks,
  nulBytes,
  badOffsets,
];
export const IMPORT_KINDS = [cluenerBadOffsets, labelStudioBadTasks, doccanoBadLines];
