import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encodeCreditRows } from '../../src/server/credit/creditDataset';
import { imputedText } from '../../src/server/credit/imputation';
import { loadCreditModel, type CreditModel } from '../../src/server/credit/creditModelFolder';
import { CreditProbabilities } from '../../src/server/credit/creditProbabilities';
import { creditFileRows } from '../../src/server/credit/creditRows';
import { reasonText, rowReasons } from '../../src/server/credit/rowReasons';
import { WorkerJobs } from '../../src/server/worker/workerJobs';
import { WorkerSupervisor } from '../../src/server/worker/workerSupervisor';
import { repoPython, trainTinyCreditModel } from '../creditModelFixture';
import { runFinlabel } from '../support/cliRun';

const REPO = resolve(__dirname, '..', '..', '..');
const HEADER = '企业名称,纳税额(万元),水电费(万元),经营年限(年),区域,区域经济指数,是否违约';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The first `n` data rows of the sample CSV, with its header. */
function sampleLines(n: number): string[] {
  return readFileSync(join(REPO, 'samples', 'credit.csv'), 'utf8')
    .split('\n')
    .slice(0, n + 1);
}

interface ScoredRecord {
  input: string;
  probability: string;
  prediction: string;
}

/** Splits a scored CSV's records (quoted line breaks kept) into the input part and the two score cells; blank lines are left out. */
function scoredRecords(text: string): ScoredRecord[] {
  const out: ScoredRecord[] = [];
  for (const m of text.matchAll(/((?:"(?:[^"]|"")*"|[^"\r\n])*)(\r\n|\n|$)/g)) {
    if (m[0] === '') break;
    if (m[1] === '') continue;
    const cells = /^(.*),([^,]*),([^,]*)$/s.exec(m[1]);
    assert.ok(cells, `a record with score cells: ${m[1]}`);
    out.push({ input: cells[1] + m[2], probability: cells[2], prediction: cells[3] });
  }
  return out;
}

const gbk = (text: string): Buffer =>
  execFileSync(repoPython(REPO), ['-c', 'import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().decode("utf-8").encode("gbk"))'], { input: text });

describe('finlabel score: a credit CSV scored by a trained credit model through the real worker', function () {
  this.timeout(240_000);
  let dir: string;
  let modelDir: string;
  let model: CreditModel;
  let supervisor: WorkerSupervisor;
  let jobs: WorkerJobs;
  const threads = process.env.OMP_NUM_THREADS;

  /** P(违约) of prompts asked of the worker directly, without the CLI. */
  const workerProbabilities = async (inputIds: number[][]): Promise<number[]> => (await jobs.scoreCredit({ modelDir, batch: inputIds })).probabilities;

  before(async () => {
    process.env.OMP_NUM_THREADS = '1';
    dir = mkdtempSync(join(tmpdir(), 'finlabel-score-'));
    modelDir = (await trainTinyCreditModel(REPO, join(dir, 'model'))).dir;
    model = loadCreditModel(modelDir);
    supervisor = new WorkerSupervisor({
      workerDir: join(REPO, 'src', 'server', 'worker', 'python'),
      locatePython: async () => ({ ok: true, python: repoPython(REPO), source: 'setting' }),
    });
    jobs = new WorkerJobs(supervisor);
  });
  after(async () => {
    jobs?.dispose();
    await supervisor?.dispose();
    if (threads === undefined) delete process.env.OMP_NUM_THREADS;
    else process.env.OMP_NUM_THREADS = threads;
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps every input column and row in order byte for byte (quotes, \\r\\n, 😀 𠀋, a blank line) and adds P(违约) and 预测 equal to the worker's", async () => {
    const lines = sampleLines(30);
    lines.splice(3, 0, '"深圳😀𠀋科技, 有限公司",12.50,3.10,4,华南,101.2,0');
    lines.splice(5, 0, '"多行\r\n名称""有限""公司",8.00,2.00,3,华东,99.0,1');
    lines.splice(8, 0, '');
    const text = `${lines.join('\r\n')}\r\n`;
    const input = join(dir, 'rows.csv');
    writeFileSync(input, text);
    const out = join(dir, 'rows.scored.csv');
    const r = await runFinlabel(['score', input, '--model', modelDir, '-o', out, '--threshold', '0.3', '--reasons', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /32 rows of .*rows\.csv \(UTF-8\) scored/);
    const written = readFileSync(out, 'utf8');
    const records = scoredRecords(written);
    assert.equal(written.replace(/,[^,\r\n]*,[^,\r\n]*(?=\r\n)/g, ''), text, 'every record as written, the blank line in its place');
    assert.deepEqual(records[0], { input: `${HEADER}\r\n`, probability: '违约概率', prediction: '预测' });
    const expected = await workerProbabilities(encodeCreditRows(Buffer.from(text), input, model.tokenizer, model.settings).rows.map((x) => x.inputIds));
    const data = records.slice(1);
    assert.equal(data.length, expected.length);
    data.forEach((x, i) => {
      assert.ok(Math.abs(Number(x.probability) - expected[i]) < 1e-6, `row ${i + 1}: ${x.probability} vs the worker's ${expected[i]}`);
      assert.equal(x.prediction, expected[i] >= 0.3 ? '1' : '0');
    });
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('partial')),
      [],
      'no temporary file is left',
    );
  });

  it("--reasons N (default 3) adds 主要原因1..N: each row's reasons exactly as computed from the worker's scores, the same on a second run", async () => {
    const text = `${sampleLines(12).join('\n')}\n`;
    const input = join(dir, 'reasons.csv');
    writeFileSync(input, text);
    const first = join(dir, 'reasons.scored.csv');
    const r = await runFinlabel(['score', input, '--model', modelDir, '-o', first]);
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(first, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    assert.ok(lines[0].endsWith(',违约概率,预测,主要原因1,主要原因2,主要原因3'), lines[0]);
    const rows = creditFileRows(Buffer.from(text), input, model);
    // In the requests the command makes: the rows first, then their counterfactuals (padding within a batch moves the last digits).
    const probabilities = new CreditProbabilities(model.key);
    await probabilities.fill(rows.rows, workerProbabilities);
    const expected = await rowReasons(model, rows.header, rows.rows, probabilities, workerProbabilities, 3);
    rows.rows.forEach((row, i) => {
      const cells = lines[i + 1].split(',').slice(-3);
      const want = expected.get(row.line)!.map(reasonText);
      assert.deepEqual(cells, [...want, '', '', ''].slice(0, 3), `line ${row.line}`);
      for (const c of want) assert.match(c, /^\S+ \S+ \(\+0\.\d{2,3}\)$/);
    });
    const second = join(dir, 'reasons.again.csv');
    assert.equal((await runFinlabel(['score', input, '--model', modelDir, '-o', second, '--reasons', '2'])).code, 0);
    const again = readFileSync(second, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    assert.ok(again[0].endsWith(',预测,主要原因1,主要原因2'));
    again.slice(1).forEach((l, i) => assert.deepEqual(l.split(',').slice(-2), lines[i + 1].split(',').slice(-3, -1)));
    assert.match(
      (await runFinlabel(['score', input, '--model', modelDir, '-o', second, '--reasons', '2.5'])).stderr,
      /--reasons must be a whole number from 0, got "2.5"/,
    );
  });

  it('reports a row with another number of cells and unparsable cells by line, keeps it with empty score cells and scores the rest (exit 1)', async () => {
    const lines = sampleLines(6);
    lines[2] = '坏行有限公司,1.0,2.0,华东,0';
    lines[3] = lines[3].replace(/^([^,]*,[^,]*),[^,]*,/, '$1,1e400,');
    lines[4] = lines[4].replace(/^([^,]*),[^,]*,/, '$1,abc,');
    lines[5] = lines[5].replace(/,[01]$/, ',是');
    const input = join(dir, 'bad.csv');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const out = join(dir, 'bad.scored.csv');
    const r = await runFinlabel(['score', input, '--model', modelDir, '-o', out, '--json', '--reasons', '0']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /bad\.csv:3: 5 cells where the header has 7 columns/);
    assert.match(
      r.stderr,
      /bad\.csv:4: column "水电费\(万元\)" holds "1e400", a number too large to compute with \(beyond ±1\.8e308\); it is treated as missing and filled/,
    );
    assert.match(r.stderr, /bad\.csv:5: column "纳税额\(万元\)" holds "abc", not a number; it is treated as missing and filled/);
    assert.match(r.stderr, /bad\.csv:6: label column "是否违约" holds "是", not 0 or 1/);
    const summary = JSON.parse(r.stdout) as { rows: number; scored: number; problems: { line: number; column?: string }[] };
    assert.deepEqual(
      summary.problems.map((p) => [p.line, p.column ?? null]),
      [
        [3, null],
        [4, '水电费(万元)'],
        [5, '纳税额(万元)'],
        [6, '是否违约'],
      ],
    );
    assert.equal(summary.rows, 6);
    assert.equal(summary.scored, 5);
    const records = scoredRecords(readFileSync(out, 'utf8'));
    assert.equal(records.length, 7);
    assert.equal(records[2].input, `${lines[2]}\n`);
    assert.deepEqual([records[2].probability, records[2].prediction], ['', '']);
    for (const k of [1, 3, 4, 5, 6]) assert.match(records[k].probability, /^0\.\d{6}$/, `line ${k + 1} is scored`);
  });

  it('fills missing and unparsable values with the imputation saved with the model, not refitted on the scored file', async () => {
    const tax = model.settings.imputation.columns.find((c) => c.column === '纳税额(万元)')!;
    const saved = imputedText(tax);
    const rows = [
      '大额一有限公司,9000.00,1.00,5,华东,100.0,',
      '大额二有限公司,9100.00,1.00,5,华东,100.0,',
      '缺失有限公司,,1.00,5,华东,100.0,',
      '乱码有限公司,n/a?,1.00,5,华东,100.0,',
      '溢出有限公司,1e400,1.00,5,华东,100.0,',
    ];
    const bytes = Buffer.from(`${HEADER}\n${rows.join('\n')}\n`);
    const file = creditFileRows(bytes, 'big.csv', model);
    assert.deepEqual(
      file.rows.map((r) => r.imputed),
      [[], [], ['纳税额(万元)'], ['纳税额(万元)'], ['纳税额(万元)']],
    );
    assert.equal(file.rows[4].prompt, file.rows[2].prompt.replace('缺失', '溢出'), 'a number beyond a double is filled like a missing one, never Infinity');
    assert.ok(file.rows[2].prompt.includes(`纳税额:${saved}万元`), `${file.rows[2].prompt} shows the saved ${saved}`);
    assert.notEqual(saved, '9050.00');
    const input = join(dir, 'big.csv');
    writeFileSync(input, bytes);
    const r = await runFinlabel(['score', input, '--model', modelDir, '-o', join(dir, 'big.scored.csv'), '--reasons', '0']);
    assert.equal(r.code, 1, 'the unparsable cell is reported');
    const scored = scoredRecords(readFileSync(join(dir, 'big.scored.csv'), 'utf8'));
    const [expected] = await workerProbabilities([model.tokenizer.tokenizer.encode(file.rows[2].prompt).ids]);
    assert.ok(Math.abs(Number(scored[3].probability) - expected) < 1e-6);
  });

  it("finds the base model a card.json names by a path relative to the model folder, not to the worker's working directory", async () => {
    // A model folder moved with its base next to it: the card says "../qwen-base".
    const moved = join(dir, 'moved');
    cpSync(modelDir, join(moved, 'model'), { recursive: true });
    renameSync(join(moved, 'model', 'base'), join(moved, 'qwen-base'));
    const cardFile = join(moved, 'model', 'card.json');
    const card = JSON.parse(readFileSync(cardFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(cardFile, JSON.stringify({ ...card, base: { kind: 'folder', path: '../qwen-base' } }));
    const batch = encodeCreditRows(Buffer.from(`${sampleLines(3).join('\n')}\n`), 'rows.csv', model.tokenizer, model.settings).rows.map((x) => x.inputIds);
    const viaCard = (await jobs.scoreCredit({ modelDir: join(moved, 'model'), batch })).probabilities;
    const original = await workerProbabilities(batch);
    viaCard.forEach((p, i) => assert.ok(Math.abs(p - original[i]) < 1e-6, `row ${i + 1}: ${p} vs ${original[i]}`));
  });

  it('writes UTF-8 with BOM for a BOM input and for a GBK input (and says so), with the same rows', async () => {
    const text = `${sampleLines(4).join('\n')}\n`;
    writeFileSync(join(dir, 'bom.csv'), Buffer.concat([BOM, Buffer.from(text)]));
    writeFileSync(join(dir, 'gbk.csv'), gbk(text));
    const utf8 = await runFinlabel(['score', join(dir, 'bom.csv'), '--model', modelDir, '-o', join(dir, 'bom.out.csv'), '--reasons', '0']);
    assert.equal(utf8.code, 0, utf8.stderr);
    assert.match(utf8.stderr, /\(UTF-8 with BOM\) scored/);
    const fromGbk = await runFinlabel(['score', join(dir, 'gbk.csv'), '--model', modelDir, '-o', join(dir, 'gbk.out.csv'), '--reasons', '0']);
    assert.equal(fromGbk.code, 0, fromGbk.stderr);
    assert.match(fromGbk.stderr, /gbk\.csv is GBK; .*gbk\.out\.csv is written as UTF-8 with BOM/);
    for (const name of ['bom.out.csv', 'gbk.out.csv']) {
      const bytes = readFileSync(join(dir, name));
      assert.deepEqual(bytes.subarray(0, 3), BOM, `${name} starts with a BOM`);
      assert.equal(
        scoredRecords(bytes.subarray(3).toString('utf8'))
          .map((x) => x.input)
          .join(''),
        text,
      );
    }
    assert.equal(
      readFileSync(join(dir, 'bom.out.csv'), 'utf8'),
      readFileSync(join(dir, 'gbk.out.csv'), 'utf8'),
      'the same probabilities whatever the encoding',
    );
  });

  it('refuses to overwrite the input, a folder that is not a credit model, a bad threshold (exit 2, nothing written)', async () => {
    const input = join(dir, 'same.csv');
    const text = `${sampleLines(2).join('\n')}\n`;
    writeFileSync(input, text);
    const same = await runFinlabel(['score', input, '--model', modelDir, '-o', join(dir, '.', 'same.csv')]);
    assert.equal(same.code, 2);
    assert.match(same.stderr, /is the input file/);
    assert.equal(readFileSync(input, 'utf8'), text);
    const notModel = await runFinlabel(['score', input, '--model', dir, '-o', join(dir, 'x.csv')]);
    assert.equal(notModel.code, 2);
    assert.match(notModel.stderr, /prompt\.json: the file does not exist/);
    const threshold = await runFinlabel(['score', input, '--model', modelDir, '-o', join(dir, 'x.csv'), '--threshold', '1.5']);
    assert.equal(threshold.code, 2);
    assert.match(threshold.stderr, /--threshold must be a number from 0 to 1/);
    assert.equal(existsSync(join(dir, 'x.csv')), false);
  });
});
