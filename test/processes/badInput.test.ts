// The bad-input suite's processes: the seeded files of test/support/badInput.ts through the real
// bin/finlabel.js and the real language server (dist/server.js). The in-process part is
// test/unit/badInput.test.ts; `finlabel score` with a worker-trained model is test/workerBacked/badInputScore.test.ts.
// A failure names the seed; FINLABEL_BAD_INPUT_SEED=N npx mocha out/test/processes/badInput.test.js replays it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import type { DatasetStats } from '../../src/common/datasetReports';
import {
  datasetStatsRequest,
  recordViewRequest,
  serverInfoRequest,
  type DatasetCommandResult,
  type RecordView,
  type ServerInfo,
} from '../../src/common/lspProtocol';
import { badInputSeed } from '../support/badInput';
import { badInputFiles, CRASH_SIGNS, describeBad, finlabel, linesOf, refusedAt, sha256, sorted, write } from '../support/badInputRun';
import { RAW_CONTROL } from '../support/terminalControls';
import { builtFile } from '../support/builtFile';
import { PREDICTIONS_OFF, startLanguageServer, type LanguageServer } from '../harness/languageServerProcess';

const REPO = resolve(__dirname, '..', '..', '..');
const SEED = badInputSeed();

describe(`bad input, seed ${SEED} (FINLABEL_BAD_INPUT_SEED=${SEED} replays it)`, function () {
  this.timeout(120_000);
  const { dir, jsonlFiles, written } = badInputFiles(SEED);
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

  describe('the language server (dist/server.js over stdio)', () => {
    let server: LanguageServer;
    let connection: MessageConnection;
    const diagnostics = new Map<string, { version?: number; diagnostics: { range: { start: { line: number } }; message: string }[] }>();
    let pid: number;

    before(async () => {
      for (const file of jsonlFiles) if (!written.has(file.name)) written.set(file.name, write(dir, file));
      server = await startLanguageServer({
        serverJs: builtFile('dist', 'server.js'),
        workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bad' }],
        initializationOptions: {
          predictions: PREDICTIONS_OFF,
          backgroundRetraining: { enabled: false, afterLabels: 25, trainingSeconds: 40 },
        },
        beforeListen: (c) => {
          c.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: [] }) => {
            diagnostics.set(p.uri, p);
          });
        },
      });
      connection = server.connection;
      pid = ((await connection.sendRequest(serverInfoRequest)) as ServerInfo).pid;
    });
    after(() => server?.stop());

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
