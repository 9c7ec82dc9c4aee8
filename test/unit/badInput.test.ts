// The bad-input suite: seeded files of every kind of bad input (test/support/badInput.ts) run
// through validate, stats, export, split, agreement, import, score and the real language server.
// For each: no crash, no stack trace or raw control character on the terminal, every bad line
// reported with its number, the input's bytes unchanged, every record written unchanged or reported.
// A failure names the seed; FINLABEL_BAD_INPUT_SEED=N npx mocha out/test/unit/badInput.test.js replays it.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { AgreementReport, DatasetStats } from '../../src/common/datasetReports';
import {
  datasetStatsRequest,
  recordViewRequest,
  serverInfoRequest,
  type DatasetCommandResult,
  type RecordView,
  type ServerInfo,
} from '../../src/common/lspProtocol';
import { trainTinyCreditModel } from '../creditModelFixture';
import {
  assembleImport,
  badInputSeed,
  creditCsv,
  fiveMegabyteLine,
  hundredThousandEmptyLines,
  IMPORT_KINDS,
  JSONL_KINDS,
  Rng,
  type BadFile,
  type Badness,
} from '../support/badInput';
import { runFinlabel } from './cliRun';

const REPO = resolve(__dirname, '..', '..', '..');
const SEED = badInputSeed();

/** Anything a terminal would act on (what runCli must never print raw). */
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const CRASH_SIGNS = [/Maximum call stack/, /\[object Object\]/, /Cannot read properties/, /\bat .*\.[jt]s:\d+:\d+/, /TypeError|RangeError|ReferenceError/];

type Run = Awaited<ReturnType<typeof runFinlabel>>;
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const linesOf = (bad: BadFile['bad'], ...kinds: Badness[]): number[] => bad.filter((b) => kinds.includes(b.badness)).map((b) => b.line);
const sorted = (xs: Iterable<number>): number[] => [...new Set(xs)].sort((a, b) => a - b);
const describeBad = (file: BadFile): string => file.bad.map((b) => `line ${b.line}: ${b.what}`).join('; ');

/** Runs `finlabel ARGS` and checks what reaches the terminal: no crash, no stack, no raw control character. */
async function finlabel(args: string[]): Promise<Run> {
  let r: Run;
  try {
    r = await runFinlabel(args);
  } catch (err) {
    assert.fail(`finlabel ${args.join(' ')} crashed: ${(err as Error).stack ?? String(err)}`);
  }
  const printed = r.stdout + r.stderr;
  const at = RAW_CONTROL.exec(printed);
  assert.equal(
    at,
    null,
    `finlabel ${args[0]} printed a raw U+${at?.[0].charCodeAt(0).toString(16).padStart(4, '0')}: ${JSON.stringify(printed.slice(Math.max(0, (at?.index ?? 0) - 80), (at?.index ?? 0) + 40))}`,
  );
  for (const sign of CRASH_SIGNS) assert.doesNotMatch(printed, sign, `finlabel ${args.join(' ')}:\n${printed.slice(0, 2000)}`);
  assert.ok([0, 1, 2].includes(r.code), `exit ${r.code}`);
  return r;
}

/** The lines `FILE:LINE: ...` of the output name, for `file`. */
function reportedLines(output: string, file: string): number[] {
  return sorted([...output.matchAll(new RegExp(`^${escapeRe(file)}:(\\d+): `, 'gm'))].map((m) => Number(m[1])));
}

/** The dataset lines of a JSONL file as split, export and import write them (blank lines dropped). */
const jsonlLines = (text: string): string[] => text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '');

/** A file's first line that is not UTF-8, when it has one: every command refuses the whole file there. */
const refusedAt = (file: BadFile): number | undefined => linesOf(file.bad, 'not-utf8')[0];

interface Written {
  path: string;
  file: BadFile;
  sha: string;
}

function write(dir: string, file: BadFile): Written {
  const path = join(dir, file.name);
  writeFileSync(path, file.bytes);
  return { path, file, sha: sha256(file.bytes) };
}

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
  const dir = mkdtempSync(join(tmpdir(), 'finlabel-bad-input-'));
  // Each file draws from its own generator: one file is the same whichever tests run.
  const rngFor = (k: number): Rng => new Rng(SEED * 97 + k);
  const jsonlFiles: BadFile[] = [...JSONL_KINDS, fiveMegabyteLine, hundredThousandEmptyLines].map((kind, k) => kind(rngFor(k)));
  const written = new Map<string, Written>();
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

    it('the real bin/finlabel.js prints what runCli prints, with no raw control byte, and exits the same', async () => {
      for (const name of ['controls.jsonl', 'deep.jsonl', 'invalid-utf8.jsonl', 'nul.jsonl']) {
        const file = jsonlFiles.find((f) => f.name === name)!;
        const w = written.get(name) ?? write(dir, file);
        for (const args of [
          ['validate', w.path],
          ['export', w.path, '--to', 'bio', '-o', join(dir, `${name}.real.bio`)],
        ]) {
          const real = spawnSync(process.execPath, [join(REPO, 'bin', 'finlabel.js'), ...args], { encoding: 'buffer', timeout: 30_000 });
          const inProcess = await finlabel(args);
          const printed = Buffer.concat([real.stdout, real.stderr]).toString('utf8');
          assert.equal(real.status, inProcess.code, `${args[0]} ${name}: ${printed}`);
          assert.equal(real.stdout.toString('utf8'), inProcess.stdout);
          assert.doesNotMatch(printed, RAW_CONTROL, `${args[0]} ${name}`);
          for (const sign of CRASH_SIGNS) assert.doesNotMatch(printed, sign);
        }
      }
    });
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
    const threads = process.env.OMP_NUM_THREADS;
    before(async () => {
      // One torch thread: the tiny model gains nothing from more, and the machine's cores are shared.
      process.env.OMP_NUM_THREADS = '1';
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
    after(() => {
      if (threads === undefined) delete process.env.OMP_NUM_THREADS;
      else process.env.OMP_NUM_THREADS = threads;
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

  describe('the language server (dist/server.js over stdio)', () => {
    let server: ChildProcess;
    let connection: MessageConnection;
    const diagnostics = new Map<string, { version?: number; diagnostics: { range: { start: { line: number } }; message: string }[] }>();
    let pid: number;

    before(async () => {
      for (const file of jsonlFiles) if (!written.has(file.name)) written.set(file.name, write(dir, file));
      server = spawn(process.execPath, [join(REPO, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
      connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
      connection.onRequest('workspace/configuration', () => []);
      connection.onRequest('client/registerCapability', () => null);
      connection.onRequest('window/showMessageRequest', () => null);
      connection.onRequest('window/workDoneProgress/create', () => null);
      connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: [] }) => {
        diagnostics.set(p.uri, p);
      });
      connection.listen();
      await connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bad' }],
        capabilities: {},
        initializationOptions: {
          pythonPath: '',
          workerDir: '',
          managedPythonPath: '',
          startWorker: false,
          predictions: { modelPath: '', enabled: false, showDisagreements: false, precision: 'auto' },
          backgroundRetraining: { enabled: false, afterLabels: 25, trainingSeconds: 40 },
        },
      });
      await connection.sendNotification('initialized', {});
      pid = ((await connection.sendRequest(serverInfoRequest)) as ServerInfo).pid;
    });
    after(() => {
      connection?.dispose();
      server?.kill();
    });

    for (const file of jsonlFiles) {
      it(`${file.kind} (${file.name}): diagnostics on the bad lines, record views of the good ones, still alive`, async () => {
        const w = written.get(file.name)!;
        const uri = pathToFileURL(w.path).href;
        // What VS Code opens: the bytes decoded as UTF-8, U+FFFD for bytes that are not, the BOM dropped.
        const text = new TextDecoder('utf-8').decode(file.bytes);
        await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'jsonl', version: 1, text } });
        const deadline = Date.now() + 30_000;
        while (diagnostics.get(uri)?.version !== 1) {
          assert.ok(Date.now() < deadline, `diagnostics of ${file.name} within 30 s`);
          await new Promise((r) => setTimeout(r, 20));
        }
        const published = diagnostics.get(uri)!.diagnostics;
        const lines = sorted(published.map((d) => d.range.start.line + 1));
        assert.deepEqual(
          lines,
          sorted(file.bad.map((b) => b.line)),
          `diagnostics: ${file.name}: ${describeBad(file)}\n${published
            .map((d) => `${d.range.start.line + 1}: ${d.message}`)
            .join('\n')
            .slice(0, 3000)}`,
        );

        // Every good record is viewed as it is; the bad lines are views with their problems.
        const first = (await connection.sendRequest(recordViewRequest, { uri, index: 0 })) as RecordView | null;
        assert.ok(first, 'a record view');
        const views = new Map<number, RecordView>();
        for (let index = 0; index < first.total; index++) {
          const view = (await connection.sendRequest(recordViewRequest, { uri, index })) as RecordView;
          views.set(view.line + 1, view);
        }
        for (const g of file.good) {
          const view = views.get(g.line);
          const record = JSON.parse(g.expected.replace(/^\ufeff/, '')) as { id: string; text: string };
          assert.equal(view?.text, record.text, `record view of line ${g.line}`);
          assert.equal(view.id, record.id);
          assert.deepEqual(view.problems, [], `no problem on line ${g.line}`);
        }
        const stats = (await connection.sendRequest(datasetStatsRequest, { uri })) as DatasetCommandResult<DatasetStats>;
        if (refusedAt(file) === undefined) {
          assert.ok(stats.ok, stats.ok ? '' : stats.message);
          assert.deepEqual(stats.result.rejectedLines, linesOf(file.bad, 'not-a-record'));
        }
        assert.equal(((await connection.sendRequest(serverInfoRequest)) as ServerInfo).pid, pid, 'the same server process answers');
        await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
        assert.equal(sha256(readFileSync(w.path)), w.sha, 'the file keeps its bytes');
      });
    }
  });
});
