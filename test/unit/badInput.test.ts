// The bad-input suite: seeded files of every kind of bad input (test/support/badInput.ts) run
// through validate, stats, export, split, agreement and import, in process. For each: no crash, no stack
// trace or raw control character on the terminal, every bad line reported with its number, the input's
// bytes unchanged, every record written unchanged or reported. test/processes/badInput.test.ts runs them
// through the real CLI, score and the real language server.
// A failure names the seed; FINLABEL_BAD_INPUT_SEED=N npx mocha out/test/unit/badInput.test.js replays it.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgreementReport, DatasetStats } from '../../src/common/datasetReports';
import { assembleImport, badInputSeed, IMPORT_KINDS } from '../support/badInput';
import { badInputFiles, describeBad, escapeRe, finlabel, jsonlLines, linesOf, refusedAt, reportedLines, sha256, sorted, write } from '../support/badInputRun';

const SEED = badInputSeed();

/** Exports dataset lines (made by the generator) with the CLI, as the generator's import files need. */
async function exportRecords(dir: string, name: string, records: Record<string, unknown>[], format: string): Promise<string> {
  const dataset = join(dir, `${name}.good.jsonl`);
  writeFileSync(dataset, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  const out = join(dir, `${name}.good.${format}`);
  const r = await finlabel(['export', dataset, '--to', format, '-o', out]);
  assert.equal(r.code, 0, `the good records export cleanly: ${r.stdout}${r.stderr}`);
  return readFileSync(out, 'utf8');
}

describe(`bad input, seed ${SEED} (FINLABEL_BAD_INPUT_SEED=${SEED} replays it)`, function () {
  this.timeout(120_000);
  const { dir, rngFor, jsonlFiles, written } = badInputFiles(SEED);
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('JSONL datasets: validate, stats, export, split, agreement', () => {
    for (const file of jsonlFiles) {
      it(`${file.kind} (${file.name})`, async () => {
        const w = write(dir, file);
        written.set(file.name, w);
        const context = `${file.name}: ${describeBad(file)}`;
        const refused = refusedAt(file);
        const notRecords = linesOf(file.bad, 'not-a-record');
        const records = file.good.length + linesOf(file.bad, 'unusable-label', 'wrong-label').length;
        const bom = file.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
        const inputLines = file.bytes
          .subarray(bom ? 3 : 0)
          .toString('utf8')
          .split(/\r\n|\n|\r/);

        if (refused !== undefined) {
          // Not UTF-8: refused at the first bad byte, nothing written, whatever the command.
          const out = join(dir, `${file.name}.out`);
          for (const args of [
            ['validate', w.path],
            ['validate', w.path, '--json'],
            ['stats', w.path, '--json'],
            ['export', w.path, '--to', 'doccano', '-o', out],
            ['split', w.path, '-o', out],
            ['agreement', w.path, w.path],
            ['import', w.path, '--from', 'doccano', '-o', out],
          ]) {
            const r = await finlabel(args);
            assert.equal(r.code, 2, `${args[0]}: ${context}\n${r.stderr}`);
            assert.match(
              r.stderr,
              new RegExp(`${escapeRe(w.path)}:${refused}: not valid UTF-8 at byte offset \\d+`),
              `${args[0]} names line ${refused}: ${context}`,
            );
            assert.equal(existsSync(out), false, `${args[0]} wrote nothing`);
          }
          assert.equal(sha256(readFileSync(w.path)), w.sha, 'the input keeps its bytes');
          return;
        }

        // validate: every bad line, and no good one, with its number (text and --json).
        const text = await finlabel(['validate', w.path]);
        assert.equal(text.code, file.bad.length > 0 ? 1 : 0, `${context}\n${text.stderr}`);
        assert.deepEqual(reportedLines(text.stdout, w.path), sorted(file.bad.map((b) => b.line)), `validate: ${context}\n${text.stdout}`);
        const json = await finlabel(['validate', w.path, '--json']);
        const problems = jsonlLines(json.stdout).map((l) => JSON.parse(l) as { line: number; code: string; message: string });
        assert.deepEqual(sorted(problems.map((p) => p.line)), sorted(file.bad.map((b) => b.line)), `validate --json: ${context}`);

        // stats: the records counted, the lines that are not records listed, every problem by its line.
        const stats = await finlabel(['stats', w.path, '--json']);
        assert.equal(stats.code, file.bad.length > 0 ? 1 : 0, stats.stderr);
        const figures = JSON.parse(stats.stdout) as DatasetStats;
        assert.equal(figures.records, records, `stats records: ${context}`);
        assert.deepEqual(figures.rejectedLines, notRecords, `stats rejected lines: ${context}`);
        const statLines = new Set(figures.problems.flatMap((p) => p.lines));
        for (const b of file.bad) assert.ok(statLines.has(b.line), `stats lists line ${b.line} (${b.what})`);
        assert.equal((await finlabel(['stats', w.path])).code, stats.code, 'stats as tables');

        // export: every record written, every line that is not a record or has a label it cannot write
        // reported; imported back, each record not reported is its input line byte for byte.
        const exported = join(dir, `${file.name}.doccano.jsonl`);
        const ex = await finlabel(['export', w.path, '--to', 'doccano', '-o', exported]);
        assert.equal(ex.code, file.bad.length > 0 ? 1 : 0, ex.stderr);
        const exportReports = reportedLines(ex.stdout, w.path);
        assert.deepEqual(
          sorted([...exportReports, ...notRecords, ...linesOf(file.bad, 'unusable-label')]),
          exportReports,
          `export reports every line it cannot write: ${context}\n${ex.stdout}`,
        );
        assert.deepEqual(
          exportReports.filter((l) => !file.bad.some((b) => b.line === l)),
          [],
          `export reports no good line: ${context}\n${ex.stdout}`,
        );
        assert.equal(jsonlLines(readFileSync(exported, 'utf8')).length, records, 'export writes every record');
        const back = join(dir, `${file.name}.back.jsonl`);
        await finlabel(['import', exported, '--from', 'doccano', '-o', back]);
        const byId = new Map(jsonlLines(readFileSync(back, 'utf8')).map((l) => [(JSON.parse(l) as { id?: unknown }).id, l]));
        const unreported = [
          ...file.good,
          ...file.bad
            .filter((b) => b.badness === 'wrong-label' && !exportReports.includes(b.line))
            .map((b) => ({ line: b.line, expected: inputLines[b.line - 1] })),
        ];
        for (const g of unreported) {
          const line = g.expected.replace(/^\ufeff/, '');
          assert.equal(byId.get((JSON.parse(line) as { id: unknown }).id), line, `line ${g.line} exported unchanged (imported back)`);
        }

        // split: refused naming every line that is not a record; else every record line written as it is.
        const splitDir = join(dir, `${file.name}.split`);
        const split = await finlabel(['split', w.path, '-o', splitDir, '--ratios', '0.5,0.5', '--seed', String(SEED)]);
        if (notRecords.length > 0) {
          assert.equal(split.code, 1, split.stderr);
          for (const line of notRecords) assert.match(split.stderr, new RegExp(`${escapeRe(w.path)}:${line}: `), `split names line ${line}`);
          assert.ok(!existsSync(splitDir) || readdirSync(splitDir).length === 0, 'split writes nothing');
        } else {
          assert.equal(split.code, 0, split.stderr);
          // Each split file is UTF-8 with a BOM when the input is.
          const parts = ['train', 'test'].map((name) => {
            const bytes = readFileSync(join(splitDir, `${name}.jsonl`));
            assert.equal(
              bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])),
              bom && bytes.length > 0,
              `${name}.jsonl starts with a BOM as the input does`,
            );
            return jsonlLines(bytes.subarray(bom ? 3 : 0).toString('utf8'));
          });
          const expected = inputLines.filter((l) => l.trim() !== '');
          assert.deepEqual([...parts.flat()].sort(), [...expected].sort(), `the split files hold every record line byte for byte: ${context}`);
          for (const part of parts)
            assert.deepEqual(
              part,
              expected.filter((l) => part.includes(l)),
              'in input order',
            );
        }

        // agreement of the file with itself: every record matched, what is left out named by its line.
        const agreement = await finlabel(['agreement', w.path, w.path, '--json']);
        const leftOut = linesOf(file.bad, 'not-a-record', 'unusable-label');
        assert.equal(agreement.code, leftOut.length > 0 ? 1 : 0, agreement.stderr);
        const report = JSON.parse(agreement.stdout) as AgreementReport;
        assert.equal(report.matchedRecords, records, `agreement matches every record: ${context}`);
        assert.deepEqual(reportedLines(report.problems.join('\n'), w.path), sorted(leftOut), `agreement: ${context}\n${report.problems.join('\n')}`);
        assert.equal((await finlabel(['agreement', w.path, w.path])).code, agreement.code, 'agreement as tables');

        assert.equal(sha256(readFileSync(w.path)), w.sha, 'the input keeps its bytes');
      });
    }
  });

  describe('files to import: doccano, Label Studio, CLUENER', () => {
    IMPORT_KINDS.forEach((kind, k) => {
      const rng = rngFor(50 + k);
      const spec = kind(rng);
      it(`${spec.format}: ${spec.bads.length} bad lines (${spec.bads
        .map((b) => b.what)
        .slice(0, 3)
        .join(', ')}, ...) among ${spec.goodRecords.length} records`, async () => {
        const exported = await exportRecords(dir, `import-${spec.format}`, spec.goodRecords, spec.format);
        const file = assembleImport(rng, spec, exported, spec.format, `bad.${spec.format}`);
        const w = write(dir, file);
        const context = `${file.name}: ${describeBad(file)}`;
        const out = join(dir, `${file.name}.imported.jsonl`);
        const r = await finlabel(['import', w.path, '--from', spec.format, '-o', out]);
        assert.equal(r.code, 1, r.stderr);
        assert.deepEqual(reportedLines(r.stdout, w.path), sorted(file.bad.map((b) => b.line)), `import reports: ${context}\n${r.stdout}`);
        const imported = jsonlLines(readFileSync(out, 'utf8'));
        const byId = new Map(imported.map((l) => [(JSON.parse(l) as { id?: unknown }).id, l]));
        for (const g of file.good) assert.equal(byId.get(g.id), g.expected, `record ${g.id} (line ${g.line}) imported unchanged`);
        const records = file.good.length + linesOf(file.bad, 'unusable-label', 'wrong-label').length;
        assert.equal(imported.length, records, `every record imported, those with bad labels without them: ${context}`);
        assert.equal(sha256(readFileSync(w.path)), w.sha, 'the input keeps its bytes');
      });
    });
  });
});
