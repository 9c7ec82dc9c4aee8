import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { evaluateCredit, encodeCreditRows, prepareCreditDataset, type PreparedCreditDataset } from '../../src/server/credit/creditDataset';
import { genericTemplate, BLOG_POST_TEMPLATE } from '../../src/server/credit/creditPrompt';
import { decodeCsvBytes } from '../../src/server/credit/csvBytes';
import { parseCsv, type CsvSyntaxError } from '../../src/server/credit/csvTable';
import { parseImputation } from '../../src/server/credit/imputation';
import { stratifiedSplit } from '../../src/server/credit/stratifiedSplit';
import { loadTokenizerFolder } from '../../src/server/tokenization/tokenizerFolder';

const qwen = loadTokenizerFolder('models/tokenizers/qwen2');
const sampleBytes = readFileSync('samples/credit.csv');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** GBK bytes of a text, from the inverse of Node's GBK decoder (Node has no GBK encoder). */
function gbkEncode(text: string): Uint8Array {
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder('gbk');
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([lead, trail]));
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [lead, trail]);
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else if (table.has(ch)) out.push(...table.get(ch)!);
    else throw new Error(`no GBK code for ${ch}`);
  }
  return new Uint8Array(out);
}

const prepare = (bytes: Uint8Array, options = {}, file = 'credit.csv'): PreparedCreditDataset => prepareCreditDataset(bytes, file, qwen, options);

describe('credit: reading the CSV', () => {
  it('detects UTF-8, UTF-8 with BOM and GBK, and decodes all three to the same text', () => {
    const text = sampleBytes.toString('utf8');
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...sampleBytes]);
    const gbk = gbkEncode(text);
    assert.notDeepEqual(gbk.subarray(0, 20), sampleBytes.subarray(0, 20));
    assert.deepEqual(decodeCsvBytes(sampleBytes, 'a.csv'), { text, encoding: 'utf-8' });
    assert.deepEqual(decodeCsvBytes(bom, 'a.csv'), { text, encoding: 'utf-8-bom' });
    assert.deepEqual(decodeCsvBytes(gbk, 'a.csv'), { text, encoding: 'gbk' });
  });

  it('refuses bytes that are neither UTF-8 nor GBK, naming the file and line', () => {
    assert.throws(
      () => decodeCsvBytes(new Uint8Array([0x61, 0x0a, 0x62, 0xff, 0xff]), 'x.csv'),
      /^CsvEncodingError: x\.csv: is neither UTF-8 \(line 2, byte 3 is not\) nor GBK/,
    );
  });

  it('parses quoted fields with commas, quotes and line breaks, CRLF rows; reports rows of the wrong width', () => {
    const t = parseCsv('a,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n1,2\r\n\r\n4,5,6', 'q.csv');
    assert.deepEqual(t.header, ['a', 'b', 'c']);
    assert.deepEqual(t.rows, [
      { line: 2, cells: ['x, y', 'say "hi"', 'two\r\nlines'] },
      { line: 6, cells: ['4', '5', '6'] },
    ]);
    assert.deepEqual(t.problems, [
      {
        line: 4,
        detail: '2 cells where the header has 3 columns; the row is left out',
        message: 'q.csv:4: 2 cells where the header has 3 columns; the row is left out',
      },
    ]);
  });

  it('counts a lone \\r as a line break inside quotes as between rows (as editors do): the rows after it keep their lines', () => {
    const t = parseCsv('a,b\r"old\rmac",1\r"x\ny",2\r3\n', 'q.csv');
    assert.deepEqual(t.rows, [
      { line: 2, cells: ['old\rmac', '1'] },
      { line: 4, cells: ['x\ny', '2'] },
    ]);
    assert.deepEqual(
      t.problems.map((p) => p.line),
      [6],
    );
  });

  it('names the line of broken quoting and of a bad header', () => {
    assert.throws(() => parseCsv('a,b\n1,"open\n2,3\n', 'q.csv'), /q\.csv:2: a quoted field is not closed/);
    assert.throws(() => parseCsv('a,b\n1,x"y\n', 'q.csv'), /q\.csv:2: column 2: a " inside an unquoted field/);
    assert.throws(() => parseCsv('a,a\n1,2\n', 'q.csv'), /q\.csv:1: columns 1 and 2 are both named "a"/);
    assert.throws(() => parseCsv('', 'q.csv'), /q\.csv:1: the file is empty/);
    // The place is also apart from the words, for a diagnostic that sits on the line already.
    assert.throws(
      () => parseCsv('a,b\n1,x"y\n', 'q.csv'),
      (err: CsvSyntaxError) => err.line === 2 && err.detail.startsWith('column 2: a " inside'),
    );
  });
});

describe('credit: the sample CSV to prompts and CreditExamples', function () {
  // preparing the 1,000-row sample twice (GBK, BOM) takes about 1 s idle, over 2 s on a loaded machine
  this.timeout(15_000);
  const data = prepare(sampleBytes);
  const labels = parseCsv(sampleBytes.toString('utf8'), 'x').rows.map((r) => Number(r.cells[6]));

  it("uses the original blog post's columns and template, Qwen2 label tokens 15 and 16, and splits 8:2 stratified", () => {
    assert.equal(data.encoding, 'utf-8');
    assert.equal(data.template, BLOG_POST_TEMPLATE);
    assert.deepEqual(data.labelTokenIds, [15, 16]);
    assert.deepEqual(
      data.columns.features.map((f) => `${f.name}:${f.kind}`),
      ['企业名称:categorical', '纳税额(万元):float', '水电费(万元):float', '经营年限(年):integer', '区域:categorical', '区域经济指数:float'],
    );
    assert.equal(data.train.length + data.dev.length, 3000);
    const positives = labels.filter((l) => l === 1).length;
    assert.equal(data.dev.length, Math.round(positives * 0.2) + Math.round((3000 - positives) * 0.2));
    assert.equal(data.dev.filter((e) => e.label === 1).length, Math.round(positives * 0.2));
    assert.deepEqual(data.problems, []);
  });

  it("writes the original blog post's prompt, and its tokens are the Python tokenizer's", () => {
    const fixture = JSON.parse(gunzipSync(readFileSync('test/fixtures/tokenizer/qwen2.json.gz')).toString('utf8')) as {
      cases: { text: string; ids: number[] }[];
    };
    const pythonIds = new Map(fixture.cases.map((c) => [c.text, c.ids]));
    const row2 = [...data.trainRows, ...data.devRows].find((r) => r.line === 2)!;
    assert.equal(
      row2.prompt,
      '企业信贷审批评估:\n企业名称:佛山创丰医药有限公司\n纳税额:2.06万元,水电费:1.17万元\n经营年限:6年,区域:华南\n区域经济指数:111.2\n请判断该企业是否存在信贷违约风险(输出0=正常,1=违约):',
    );
    const complete = [...data.trainRows, ...data.devRows].filter((r) => r.line <= 301 && r.imputed.length === 0);
    assert.ok(complete.length > 250);
    for (const r of complete) assert.deepEqual(r.inputIds, pythonIds.get(r.prompt), `line ${r.line}`);
  });

  it('fits imputation on the training rows only and reports per row what was filled', () => {
    const tax = data.imputation.columns.find((c) => c.column === '纳税额(万元)')!;
    const years = data.imputation.columns.find((c) => c.column === '经营年限(年)')!;
    assert.deepEqual([tax.strategy, years.strategy], ['mean', 'mode']);
    assert.equal(data.imputation.columns.find((c) => c.column === '区域经济指数')!.strategy, 'median');
    // Changing every dev row's tax does not move the fitted mean.
    const devLines = new Set(data.devRows.map((r) => r.line));
    const lines = sampleBytes.toString('utf8').split('\n');
    const skewed = lines.map((l, i) => (devLines.has(i + 1) ? l.replace(/^("[^"]*"|[^,"]*),[^,]+,/, '$1,99999.00,') : l)).join('\n');
    assert.ok(skewed.split('99999.00').length > 400);
    assert.deepEqual(prepare(utf8(skewed)).imputation, data.imputation);
    const filled = [...data.trainRows, ...data.devRows].filter((r) => r.imputed.includes('纳税额(万元)'));
    assert.ok(filled.length > 50);
    for (const r of filled) assert.ok(r.prompt.includes(`纳税额:${(tax.value as number).toFixed(2)}万元`), r.prompt);
  });

  it('gives the same examples from the GBK and UTF-8-BOM files, reporting the encoding', () => {
    const gbk = prepare(gbkEncode(sampleBytes.toString('utf8')));
    const bom = prepare(new Uint8Array([0xef, 0xbb, 0xbf, ...sampleBytes]));
    assert.equal(gbk.encoding, 'gbk');
    assert.equal(bom.encoding, 'utf-8-bom');
    assert.deepEqual(gbk.train, data.train);
    assert.deepEqual(bom.dev, data.dev);
  });
});

describe('credit: missing values, bad rows, saved settings at inference', () => {
  const rows = [
    '企业名称,纳税额(万元),水电费(万元),经营年限(年),区域,区域经济指数,是否违约',
    '"甲,公司",10.00,2.00,5,华东,100.0,0',
    '乙公司,,3.00,7,华东,101.0,0',
    '丙公司,30.00,,,,,1',
    '丁公司,40.00,4.00,9,华南,99.0,1',
    '戊公司,50.00,5.00,3,华南,98.0,2',
    '己公司,60.00,6.00,4,西北,97.0',
    '庚公司,70.00,7.00,5,华东,96.0,0',
    '辛公司,80.00,8.00,6,华东,95.0,1',
    '壬公司,20.00,1.00,2,华南,94.0,0',
    '癸公司,25.00,1.50,1,华中,93.0,1',
  ];
  const data = prepare(utf8(rows.join('\r\n')), { testRatio: 0.25 }, 'small.csv');

  it('reports the bad label and the short row by line and column, and uses the rest', () => {
    assert.deepEqual(
      data.problems.map((p) => p.message),
      [
        'small.csv:6: label column "是否违约" holds "2", not 0 or 1; the row is left out',
        'small.csv:7: 6 cells where the header has 7 columns; the row is left out',
      ],
    );
    assert.equal(data.problems[0].column, '是否违约');
    assert.equal(data.train.length + data.dev.length, 8);
  });

  it("fills a row's missing cells and says which", () => {
    const row4 = [...data.trainRows, ...data.devRows].find((r) => r.line === 4)!;
    assert.deepEqual(row4.imputed, ['水电费(万元)', '经营年限(年)', '区域', '区域经济指数']);
    assert.doesNotMatch(row4.prompt, /:,|:万元|:年/);
    const row2 = [...data.trainRows, ...data.devRows].find((r) => r.line === 2)!;
    assert.match(row2.prompt, /企业名称:甲,公司\n/);
  });

  it('scores new rows with the saved imputation values (JSON round trip), never refitted on them', () => {
    const saved = parseImputation(JSON.stringify(data.imputation), 'imputation.json');
    const settings = { columns: data.columns, template: data.template, imputation: saved, labelTokenIds: data.labelTokenIds };
    const fresh = ['区域经济指数,企业名称,纳税额(万元),水电费(万元),经营年限(年),区域', '500.0,新公司,,9999.00,abc,华东'].join('\n');
    const scored = encodeCreditRows(utf8(fresh), 'new.csv', qwen, settings);
    const tax = saved.columns.find((c) => c.column === '纳税额(万元)')!;
    assert.equal(scored.rows.length, 1);
    assert.equal(scored.rows[0].label, null);
    assert.deepEqual(scored.rows[0].imputed, ['纳税额(万元)', '经营年限(年)']);
    assert.match(scored.rows[0].prompt, new RegExp(`纳税额:${(tax.value as number).toFixed(2)}万元,水电费:9999.00万元`));
    assert.deepEqual(
      scored.problems.map((p) => p.message),
      ['new.csv:2: column "经营年限(年)" holds "abc", not a number; it is treated as missing and filled'],
    );
    assert.throws(
      () => encodeCreditRows(utf8('企业名称,区域\nx,y\n'), 'new.csv', qwen, settings),
      /new\.csv: the model's feature columns "纳税额\(万元\)", "水电费\(万元\)", "经营年限\(年\)", "区域经济指数" are not in the file/,
    );
  });

  it('names the missing label column and template placeholders that are not features', () => {
    assert.throws(() => prepare(utf8('a,b\n1,0\n'), {}, 'x.csv'), /x\.csv: the label column "是否违约" is not a column of the file \(columns: a, b\)/);
    assert.throws(() => prepare(sampleBytes, { template: '纳税额{纳税额}' }), /the prompt template names \{纳税额\}, which is not a feature column/);
    assert.throws(
      () => prepare(utf8('a,是否违约\n1,0\n2,0\n3,1\n')),
      /3 rows? with label|1 row with label 1; a stratified split needs at least 2 of each class/,
    );
  });
});

describe('credit: a CSV with other columns (Taiwan credit default, CC BY 4.0)', () => {
  const bytes = readFileSync('test/fixtures/credit/taiwan-credit-default-50.csv');
  const data = prepare(bytes, { labelColumn: 'Y' }, 'taiwan.csv');

  it('takes every column but the label and the ID as features, with the generic "列名: 值" template', () => {
    assert.deepEqual(data.columns.ignored, [{ name: 'ID', reason: 'an identifier column' }]);
    assert.equal(data.columns.features.length, 23);
    assert.equal(data.template, genericTemplate(data.columns.features.map((f) => f.name)));
    assert.equal(
      data.trainRows
        .concat(data.devRows)
        .find((r) => r.line === 2)!
        .prompt.split('\n')
        .slice(0, 3)
        .join('|'),
      '信贷审批评估:|X1: 20000|X2: 2',
    );
    assert.deepEqual([data.train.length, data.dev.length], [40, 10]);
    assert.deepEqual([data.dev.filter((e) => e.label === 1).length, data.train.filter((e) => e.label === 1).length], [3, 10]);
    assert.ok(data.train.every((e) => e.inputIds.length > 50 && e.inputIds.length < 400));
  });
});

describe('credit: stratified split and evaluate/credit', () => {
  it('is deterministic for a seed, stratified, and changes with the seed', () => {
    const labels = Array.from({ length: 100 }, (_, i) => (i % 4 === 0 ? 1 : 0) as 0 | 1);
    const a = stratifiedSplit(labels);
    assert.deepEqual(stratifiedSplit(labels), a);
    assert.equal(a.test.length, 20);
    assert.equal(a.test.filter((i) => labels[i] === 1).length, 5);
    assert.notDeepEqual(stratifiedSplit(labels, 0.2, 7).test, a.test);
  });

  it('answers with the ROC-AUC of the dev probabilities and KS, Gini, Brier in the details', () => {
    const r = evaluateCredit([0, 0, 1, 1], { jobId: 'j', epoch: 2, probabilities: [0.1, 0.4, 0.35, 0.8] });
    assert.equal(r.metric, 0.75);
    assert.equal(r.name, 'ROC-AUC');
    assert.equal(r.details?.ks, 0.5);
    assert.equal(r.details?.gini, 0.5);
    assert.throws(() => evaluateCredit([0, 1], { jobId: 'j', epoch: 1, probabilities: [0.5] }), /1 probabilities for a dev set of 2/);
    assert.throws(() => evaluateCredit([0, 0], { jobId: 'j', epoch: 1, probabilities: [0.5, 0.2] }), /one class only/);
  });
});
