import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatasetRecord, EntityLabel } from '../../src/common/dataset';
import { writeSamples, type SampleFile } from '../../src/server/samples';

const ENTITIES = ['借款金额', '担保方式', '还款期限'];
const NON_BMP = /[\u{10000}-\u{10FFFF}]/u;
const cps = (s: string): string[] => Array.from(s);

/** Minimal RFC 4180 reader: quoted fields, doubled quotes, commas and line breaks inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      assert.equal(field, '', `quote inside an unquoted field at offset ${i}`);
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  assert.equal(quoted, false, 'unterminated quoted field');
  assert.deepEqual(row, [], 'last line has no newline');
  assert.equal(field, '');
  return rows;
}

const rate = (ys: readonly number[]): number => ys.reduce((s, y) => s + y, 0) / ys.length;

describe('writeSamples: the generated sample workspace', function () {
  this.timeout(20000);
  let root: string;
  let a: string;
  let files: SampleFile[];
  let records: DatasetRecord[];
  let jsonl: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'finlabel-samples-'));
    a = join(root, 'a');
    files = writeSamples(a, 42);
    jsonl = readFileSync(join(a, 'due_diligence.jsonl'), 'utf8');
    records = jsonl
      .split('\n')
      .slice(0, -1)
      .map((l) => JSON.parse(l) as DatasetRecord);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const labelsOf = (r: DatasetRecord): EntityLabel[] => r.labels ?? [];
  const allLabels = (): EntityLabel[] => records.flatMap(labelsOf);

  describe('files and determinism', () => {
    it('lists the files it writes, each present, with a description', () => {
      const paths = files.map((f) => f.path);
      for (const p of ['README.md', 'due_diligence.jsonl', 'credit.csv']) assert.ok(paths.includes(p), p);
      const contracts = paths.filter((p) => p.startsWith('contracts/'));
      assert.ok(contracts.length >= 3 && contracts.length <= 4, `${contracts.length} contract files`);
      for (const f of files) {
        assert.ok(existsSync(join(a, f.path)), f.path);
        assert.ok(f.description.length > 10, f.path);
      }
      assert.match(readFileSync(join(a, 'README.md'), 'utf8'), /npx finlabel samples -o samples --seed 42/);
    });

    it('the same seed gives byte-identical files in another folder; another seed gives different ones', () => {
      const b = join(root, 'b');
      const c = join(root, 'c');
      assert.deepEqual(writeSamples(b, 42), files);
      const other = writeSamples(c, 7);
      assert.deepEqual(
        other.map((f) => f.path),
        files.map((f) => f.path),
      );
      for (const f of files) {
        const bytes = readFileSync(join(a, f.path));
        assert.ok(bytes.equals(readFileSync(join(b, f.path))), `${f.path} differs between two runs of seed 42`);
        assert.ok(!bytes.equals(readFileSync(join(c, f.path))), `${f.path} is the same for seeds 42 and 7`);
      }
    });

    it('overwrites its own files and leaves other files in the folder alone', () => {
      const d = join(root, 'd');
      writeSamples(d, 1);
      writeFileSync(join(d, 'notes.txt'), 'mine');
      writeFileSync(join(d, 'credit.csv'), 'stale');
      writeSamples(d, 42);
      assert.equal(readFileSync(join(d, 'notes.txt'), 'utf8'), 'mine');
      assert.ok(readFileSync(join(d, 'credit.csv')).equals(readFileSync(join(a, 'credit.csv'))));
      assert.deepEqual(readdirSync(d).sort(), [...readdirSync(a), 'notes.txt'].sort());
    });
  });

  describe('due_diligence.jsonl', () => {
    it('has about 300 records, one compact JSON object per "\\n"-terminated line, in the original blog post\'s format', () => {
      assert.ok(jsonl.endsWith('\n'));
      assert.ok(!jsonl.includes('\r'), 'a raw \\r in the file (must be escaped inside strings)');
      assert.ok(records.length >= 280 && records.length <= 320, `${records.length} records`);
      const ids = records.map((r) => r.id);
      assert.equal(new Set(ids).size, ids.length);
      assert.equal(ids[0], 'dd-0001');
      for (const line of jsonl.split('\n').slice(0, -1)) assert.equal(line, JSON.stringify(JSON.parse(line)));
      for (const r of records) {
        assert.deepEqual(Object.keys(r), ['id', 'text', 'labels', 'meta']);
        assert.equal(r.meta?.source, 'generated');
        assert.equal(typeof r.meta?.kind, 'string');
        for (const l of labelsOf(r)) assert.deepEqual(Object.keys(l), ['entity', 'value', 'start', 'end']);
      }
    });

    it('every label is the code-point slice of its text, sorted, not overlapping', () => {
      for (const r of records) {
        const chars = cps(r.text);
        let prevEnd = 0;
        for (const l of labelsOf(r)) {
          assert.ok(ENTITIES.includes(l.entity), l.entity);
          assert.ok(Number.isInteger(l.start) && Number.isInteger(l.end) && l.start < l.end, `${r.id} ${l.start}-${l.end}`);
          assert.ok(l.end <= chars.length, `${r.id} label past the end`);
          assert.equal(chars.slice(l.start, l.end).join(''), l.value, `${r.id} ${l.entity} [${l.start}, ${l.end})`);
          assert.ok(l.start >= prevEnd, `${r.id}: labels out of order or overlapping at ${l.start}`);
          prevEnd = l.end;
        }
      }
    });

    it('has all three entity types in many surface forms', () => {
      const forms = (entity: string): Set<string> =>
        new Set(
          allLabels()
            .filter((l) => l.entity === entity)
            .map((l) => l.value.replace(/\d/g, '9')),
        );
      const amounts = allLabels()
        .filter((l) => l.entity === '借款金额')
        .map((l) => l.value);
      const periods = allLabels()
        .filter((l) => l.entity === '还款期限')
        .map((l) => l.value);
      const guarantees = new Set(
        allLabels()
          .filter((l) => l.entity === '担保方式')
          .map((l) => l.value),
      );
      assert.ok(forms('借款金额').size >= 20, `${forms('借款金额').size} amount forms`);
      assert.ok(forms('还款期限').size >= 15, `${forms('还款期限').size} period forms`);
      for (const re of [
        /^\d+万元$/,
        /^人民币[壹贰叁肆伍陆柒捌玖拾佰仟万亿零]+元整$/,
        /^¥[\d,]+\.\d\d$/,
        /^RMB[\d.]+万元$/,
        /^\d+元$/,
        /^[\d,]+,\d{3}万元$/,
        /^[壹贰叁肆伍陆柒捌玖拾佰仟万亿零]+元$/,
      ]) {
        assert.ok(
          amounts.some((v) => re.test(v)),
          `no loan amount like ${re}`,
        );
      }
      for (const re of [
        /^\d+年$/,
        /^\d+个月$/,
        /^[一二三四五六七八九十两]+年$/,
        /^[壹贰叁肆伍陆柒捌玖拾]+年$/,
        /^自\d{4}年\d+月\d+日起至\d{4}年\d+月\d+日止$/,
      ]) {
        assert.ok(
          periods.some((v) => re.test(v)),
          `no repayment period like ${re}`,
        );
      }
      for (const g of ['抵押', '质押', '保证', '连带责任保证', '一般保证', '最高额抵押', '最高额保证', '信用']) assert.ok(guarantees.has(g), g);
      assert.ok(rate(records.map((r) => (new Set(labelsOf(r).map((l) => l.entity)).size >= 2 ? 1 : 0))) > 0.7, 'most records have several entity types');
    });

    it('has distractor amounts that are not labelled as the loan amount', () => {
      const withDistractor = records.filter((r) => {
        const covered = new Set(labelsOf(r).flatMap((l) => Array.from({ length: l.end - l.start }, (_, i) => l.start + i)));
        return Array.from(r.text.matchAll(/\d[\d,.]*万元/g)).some((m) => !covered.has(cps(r.text.slice(0, m.index)).length));
      });
      assert.ok(withDistractor.length > records.length * 0.15, `${withDistractor.length} records with unlabelled amounts`);
    });

    it('has long multi-paragraph records and a few records without entities', () => {
      const long = records.filter((r) => cps(r.text).length >= 800);
      assert.ok(long.length >= records.length * 0.05, `${long.length} long records`);
      for (const r of long) {
        assert.ok(cps(r.text).length <= 2000, `${r.id} is ${cps(r.text).length} code points`);
        assert.ok(r.text.split('\n').length >= 4, `${r.id} has no paragraphs`);
      }
      const empty = records.filter((r) => labelsOf(r).length === 0).length;
      assert.ok(empty >= 1 && empty <= records.length * 0.06, `${empty} records without labels`);
    });

    it('has records with characters outside the BMP before entities (code point and UTF-16 offsets differ)', () => {
      const nonBmp = records.filter((r) => NON_BMP.test(r.text));
      assert.ok(nonBmp.length >= records.length * 0.03 && nonBmp.length <= records.length * 0.08, `${nonBmp.length} non-BMP records`);
      // the UTF-16 length of the text before the label differs from its code point offset
      const shifted = nonBmp.filter((r) => labelsOf(r).some((l) => cps(r.text).slice(0, l.start).join('').length !== l.start));
      assert.ok(shifted.length >= 10, `${shifted.length} records where UTF-16 offsets would be wrong`);
    });

    it('has records with \\r\\n, curly and ASCII double quotes, and backslashes inside the text', () => {
      const crlf = records.filter((r) => r.text.includes('\r\n') && labelsOf(r).some((l) => l.start > cps(r.text).indexOf('\r')));
      assert.ok(crlf.length >= 3, `${crlf.length} \\r\\n records with labels after the line break`);
      const quoted = records.filter((r) => /[“”]/.test(r.text) && r.text.includes('"') && r.text.includes('\\') && labelsOf(r).length > 0);
      assert.ok(quoted.length >= 3, `${quoted.length} records with quotes and backslashes`);
      assert.ok(jsonl.includes('\\"') && jsonl.includes('\\\\') && jsonl.includes('\\r\\n'));
    });
  });

  it('other seeds give valid data of the same shape', () => {
    for (const seed of [0, 7, 2024, 2 ** 40 + 3]) {
      const dir = join(root, `seed-${seed}`);
      writeSamples(dir, seed);
      const lines = readFileSync(join(dir, 'due_diligence.jsonl'), 'utf8').split('\n').slice(0, -1);
      assert.ok(lines.length >= 280 && lines.length <= 320);
      for (const line of lines) {
        const r = JSON.parse(line) as DatasetRecord;
        let prevEnd = 0;
        for (const l of labelsOf(r)) {
          assert.equal(cps(r.text).slice(l.start, l.end).join(''), l.value, `seed ${seed} ${String(r.id)}`);
          assert.ok(l.start >= prevEnd && l.start < l.end);
          prevEnd = l.end;
        }
      }
      const [head, ...body] = parseCsv(readFileSync(join(dir, 'credit.csv'), 'utf8'));
      assert.equal(head.length, 7);
      assert.ok(body.every((r) => r.length === 7));
      const y = rate(body.map((r) => Number(r[6])));
      assert.ok(y >= 0.1 && y <= 0.2, `seed ${seed}: default rate ${y}`);
    }
  });

  describe('contracts/', () => {
    it('are multi-paragraph documents of 1,000-3,000 characters with loan amounts, periods and guarantees', () => {
      for (const f of files.filter((x) => x.path.startsWith('contracts/'))) {
        const text = readFileSync(join(a, f.path), 'utf8');
        const n = cps(text).length;
        assert.ok(n >= 1000 && n <= 3000, `${f.path}: ${n} characters`);
        assert.ok(text.endsWith('\n') && text.split('\n\n').length >= 5, `${f.path}: paragraphs`);
        assert.match(text, /万元|元整|¥|￥|RMB|CNY/, f.path);
        assert.match(text, /抵押|质押|保证|信用/, f.path);
        assert.match(text, /\d+年|\d+个月|[一二三四五六七八九十两壹贰叁肆伍陆柒捌玖拾]+(年|个月)|止/, f.path);
        if (f.path.endsWith('.md')) assert.match(text, /^# /);
      }
    });
  });

  describe('credit.csv', () => {
    let raw: string;
    let header: string[];
    let rows: string[][];
    const num = (s: string): number | null => (s === '' ? null : Number(s));
    before(() => {
      raw = readFileSync(join(a, 'credit.csv'), 'utf8');
      [header, ...rows] = parseCsv(raw);
    });

    it("is UTF-8 without BOM, '\\n' line endings, the original blog post's columns, about 3,000 rows", () => {
      assert.notEqual(raw.charCodeAt(0), 0xfeff);
      assert.ok(!raw.includes('\r') && raw.endsWith('\n'));
      assert.deepEqual(header, ['企业名称', '纳税额(万元)', '水电费(万元)', '经营年限(年)', '区域', '区域经济指数', '是否违约']);
      assert.ok(rows.length >= 2800 && rows.length <= 3200, `${rows.length} rows`);
      for (const r of rows) {
        assert.equal(r.length, 7, r.join('|'));
        assert.ok(r[0] !== '' && (r[6] === '0' || r[6] === '1'), r.join('|'));
        for (const i of [1, 2, 3, 5]) assert.ok(r[i] === '' || Number.isFinite(Number(r[i])), `${header[i]}: "${r[i]}"`);
        assert.ok(r[4] === '' || ['华东', '华南', '华北', '华中', '西南', '西北', '东北'].includes(r[4]), r[4]);
      }
    });

    it('quotes company names with commas and double quotes (RFC 4180)', () => {
      assert.ok(rows.filter((r) => r[0].includes(',')).length >= 3, 'names with commas');
      assert.ok(
        rows.some((r) => r[0].includes('"')),
        'names with double quotes',
      );
      assert.ok(raw.includes('""'), 'doubled quotes');
    });

    it('has blank cells in numeric columns (3-8%) and a few blank regions', () => {
      for (const i of [1, 2, 3, 5]) {
        const blank = rate(rows.map((r) => (r[i] === '' ? 1 : 0)));
        assert.ok(blank >= 0.03 && blank <= 0.08, `${header[i]}: ${blank}`);
      }
      const blankRegions = rows.filter((r) => r[4] === '').length;
      assert.ok(blankRegions >= 1 && blankRegions <= rows.length * 0.02, `${blankRegions} blank regions`);
    });

    it('has a default rate of 10-20% that follows the risk features, not perfectly', () => {
      const y = rows.map((r) => Number(r[6]));
      assert.ok(rate(y) >= 0.1 && rate(y) <= 0.2, `default rate ${rate(y)}`);
      const byQuartile = (value: (r: string[]) => number | null): [number, number] => {
        const known = rows.filter((r) => value(r) !== null).sort((p, q) => (value(p) as number) - (value(q) as number));
        const q = Math.floor(known.length / 4);
        return [rate(known.slice(0, q).map((r) => Number(r[6]))), rate(known.slice(-q).map((r) => Number(r[6])))];
      };
      const [lowTax, highTax] = byQuartile((r) => num(r[1]));
      assert.ok(lowTax > 2 * highTax, `tax: lowest quartile ${lowTax}, highest ${highTax}`);
      const [lowRatio, highRatio] = byQuartile((r) => (num(r[1]) && num(r[2]) !== null ? (num(r[2]) as number) / (num(r[1]) as number) : null));
      assert.ok(highRatio > lowRatio, `utility/tax: lowest quartile ${lowRatio}, highest ${highRatio}`);
      const [young, old] = byQuartile((r) => num(r[3]));
      assert.ok(young > old, `years: lowest quartile ${young}, highest ${old}`);
      const [weak, strong] = byQuartile((r) => num(r[5]));
      assert.ok(weak > strong, `regional index: lowest quartile ${weak}, highest ${strong}`);
      // noisy: even the safest quartile has defaults, the riskiest has non-defaults
      assert.ok(highTax > 0 && lowTax < 0.8);
    });
  });
});
