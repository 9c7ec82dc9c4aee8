// The bad-input suite's `finlabel score`: the seeded credit CSVs of test/support/badInput.ts scored by a
// credit model the worker trains. The rest of the suite is test/unit/badInput.test.ts and test/processes/badInput.test.ts.
// A failure names the seed; FINLABEL_BAD_INPUT_SEED=N npx mocha out/test/workerBacked/badInputScore.test.js replays it.
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { trainTinyCreditModel } from '../creditModelFixture';
import { badInputSeed, creditCsv } from '../support/badInput';
import { badInputFiles, describeBad, finlabel, linesOf, reportedLines, sha256, sorted, write, type Run, type Written } from '../support/badInputRun';
import { oneTorchThreadInThisSuite } from './workerPython';

const REPO = resolve(__dirname, '..', '..', '..');
const SEED = badInputSeed();

describe(`bad input, seed ${SEED} (FINLABEL_BAD_INPUT_SEED=${SEED} replays it)`, function () {
  this.timeout(120_000);
  const { dir, rngFor } = badInputFiles(SEED);
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('credit CSVs: score', function () {
    this.timeout(240_000);
    const csvs = [
      creditCsv(rngFor(60), { encoding: 'gbk', quoted: false, name: 'gbk.csv', kind: 'a GBK CSV with ragged rows and 1e400' }),
      creditCsv(rngFor(61), {
        encoding: 'utf-8-bom',
        quoted: true,
        name: 'bom.csv',
        kind: 'a UTF-8 CSV with a BOM, quoted cells (commas, "", line breaks), ragged rows and 1e400',
      }),
    ];
    const scoring = new Map<string, { w: Written; out: string; run: Promise<Run> }>();
    oneTorchThreadInThisSuite();
    before(async () => {
      const train = join(dir, 'credit-train.csv');
      writeFileSync(
        train,
        readFileSync(join(REPO, 'samples', 'credit.csv'), 'utf8')
          .split('\n')
          .slice(0, 41)
          .join('\n') + '\n',
      );
      const modelDir = (await trainTinyCreditModel(REPO, join(dir, 'credit-model'), { csv: train, epochs: 1 })).dir;
      // Both files are scored at once: each run starts a worker of its own, which is most of its time.
      for (const file of csvs) {
        const w = write(dir, file);
        const out = join(dir, `${file.name}.scored.csv`);
        // --reasons 0: the two score cells only (the reason columns have their own tests)
        const run = finlabel(['score', w.path, '--model', modelDir, '-o', out, '--reasons', '0']);
        run.catch(() => undefined); // awaited (and failed) by its test
        scoring.set(file.name, { w, out, run });
      }
    });

    for (const file of csvs) {
      it(`${file.kind} (${file.name})`, async () => {
        const { w, out, run } = scoring.get(file.name)!;
        const context = `${file.name}: ${describeBad(file)}`;
        const r = await run;
        assert.equal(r.code, file.bad.length > 0 ? 1 : 0, r.stderr);
        assert.deepEqual(reportedLines(r.stderr, w.path), sorted(file.bad.map((b) => b.line)), `score reports: ${context}\n${r.stderr}`);
        // Every input record, byte for byte, with two cells added (empty on a ragged row).
        const scored = readFileSync(out);
        assert.deepEqual(scored.subarray(0, 3), Buffer.from([0xef, 0xbb, 0xbf]), 'a BOM (GBK and BOM inputs)');
        const text = scored.subarray(3).toString('utf8');
        const rows = [...text.matchAll(/((?:"(?:[^"]|"")*"|[^"\r\n])*)(\r\n|\n)/g)].map((m) => m[1]);
        const ragged = new Set(linesOf(file.bad, 'bad-row'));
        let line = 2;
        const byLine = new Map<number, { input: string; p: string; y: string }>();
        for (const row of rows.slice(1)) {
          const m = /^(.*),([^,]*),([^,]*)$/s.exec(row)!;
          byLine.set(line, { input: m[1], p: m[2], y: m[3] });
          line += row.split(/\r\n|\n|\r/).length;
        }
        assert.equal(byLine.size, file.good.length + file.bad.length, 'every row written');
        for (const g of file.good) {
          const row = byLine.get(g.line);
          assert.equal(row?.input, g.expected, `line ${g.line} written as it is`);
          assert.match(row!.p, /^0\.\d{6}$|^1\.000000$/, `line ${g.line} scored`);
        }
        for (const b of file.bad)
          assert.equal(byLine.get(b.line)?.p === '', ragged.has(b.line), `line ${b.line} (${b.what}) ${ragged.has(b.line) ? 'left unscored' : 'scored'}`);
        assert.equal(sha256(readFileSync(w.path)), w.sha, 'the input keeps its bytes');
      });
    }
  });
});
