// The bad-input suite's processes: the seeded files of test/support/badInput.ts through the real
// bin/finlabel.js, `finlabel score` with a credit model trained by the worker, and the real language server
// (dist/server.js). The in-process part is test/unit/badInput.test.ts.
// A failure names the seed; FINLABEL_BAD_INPUT_SEED=N npx mocha out/test/processes/badInput.test.js replays it.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { DatasetStats } from '../../src/common/datasetReports';
import {
  datasetStatsRequest,
  recordViewRequest,
  serverInfoRequest,
  type DatasetCommandResult,
  type RecordView,
  type ServerInfo,
} from '../../src/common/lspProtocol';
import { trainTinyCreditModel } from '../creditModelFixture';
import { badInputSeed, creditCsv } from '../support/badInput';
import {
  badInputFiles,
  CRASH_SIGNS,
  describeBad,
  finlabel,
  linesOf,
  refusedAt,
  reportedLines,
  sha256,
  sorted,
  write,
  type Run,
  type Written,
} from '../support/badInputRun';
import { RAW_CONTROL } from '../support/terminalControls';
import { builtFile } from './builtFile';

const REPO = resolve(__dirname, '..', '..', '..');
const SEED = badInputSeed();

describe(`bad input, seed ${SEED} (FINLABEL_BAD_INPUT_SEED=${SEED} replays it)`, function () {
  this.timeout(120_000);
  const { dir, rngFor, jsonlFiles, written } = badInputFiles(SEED);
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('JSONL datasets: validate, stats, export, split, agreement', () => {
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
      server = spawn(process.execPath, [builtFile('dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
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
