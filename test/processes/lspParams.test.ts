import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StreamMessageReader, StreamMessageWriter, type Message } from 'vscode-jsonrpc/node';
import * as lspProtocol from '../../src/common/lspProtocol';
import { CLIENT_NOTIFICATIONS, CLIENT_REQUESTS } from '../../src/common/lspSchemas';
import { badParams, fieldName, HUGE, namesField, NESTED } from '../support/paramsGarbage';
import { builtFile } from '../support/builtFile';
import { initializeParams, spawnLanguageServer, TEST_INITIALIZATION_OPTIONS } from '../harness/languageServerProcess';

/**
 * Garbage params generated from each message's schema (test/support/paramsGarbage.ts) sent to the real
 * language server (dist/server.js): it answers InvalidParams naming the field, and stays up.
 */

/** What a server that fails inside a handler says instead of naming the field. */
const JAVASCRIPT_ERRORS = ['Cannot read properties', 'is not a function', '[object Object]', 'undefined (reading'];
const INVALID_PARAMS = -32602;

// ---- A JSON-RPC client that sends params exactly as given ------------------------------------------

interface ResponseError {
  code: number;
  message: string;
}

/** vscode-jsonrpc's own client turns null or array params into positional ones; this one writes what it is given. */
class RawClient {
  private nextId = 1;
  private readonly pending = new Map<number, (m: { result?: unknown; error?: ResponseError }) => void>();
  readonly logs: string[] = [];
  private readonly writer: StreamMessageWriter;

  constructor(readonly server: ChildProcess) {
    this.writer = new StreamMessageWriter(server.stdin!);
    const reader = new StreamMessageReader(server.stdout!);
    reader.listen((message: Message) => {
      const m = message as { id?: number | string | null; method?: string; params?: { message?: string }; result?: unknown; error?: ResponseError };
      if (m.method !== undefined && m.id !== undefined) {
        // A request from the server (configuration, capability registration): nothing to give.
        void this.writer.write({ jsonrpc: '2.0', id: m.id, result: m.method === 'workspace/configuration' ? [] : null } as Message);
      } else if (m.method !== undefined) {
        if (m.method === 'window/logMessage' || m.method === 'window/showMessage') this.logs.push(String(m.params?.message));
      } else if (typeof m.id === 'number') {
        this.pending.get(m.id)?.(m);
        this.pending.delete(m.id);
      }
    });
  }

  request(method: string, params: unknown): Promise<{ result?: unknown; error?: ResponseError }> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      void this.writer.write({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) } as Message);
    });
  }

  notify(method: string, params: unknown): void {
    void this.writer.write({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) } as Message);
  }
}

function startServer(cwd: string): RawClient {
  return new RawClient(spawnLanguageServer(builtFile('dist', 'server.js'), { cwd }));
}

function assertNoJavaScriptError(text: string, context: string): void {
  for (const e of JAVASCRIPT_ERRORS) assert.ok(!text.includes(e), `${context}: the server said "${text}"`);
}

// ---- The tests -------------------------------------------------------------------------------------

describe('the language server answers garbage params with InvalidParams naming the field, and stays up', function () {
  this.timeout(120_000);
  let dir: string;
  let ws: string;
  let client: RawClient;
  let pid: number;

  before(async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'finlabel-params-')));
    ws = join(dir, 'ws');
    mkdirSync(ws);
    writeFileSync(
      join(ws, 'data.jsonl'),
      `${JSON.stringify({ id: 'r1', text: '借款金额500万元', labels: [{ entity: '借款金额', value: '500万元', start: 4, end: 9 }] })}\n`,
    );
    // The server runs in the temporary folder: nothing it might write lands in the repository.
    client = startServer(dir);
    const init = await client.request('initialize', initializeParams({ workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'ws' }] }));
    assert.equal(init.error, undefined, init.error?.message);
    client.notify('initialized', {});
    pid = ((await client.request(lspProtocol.serverInfoRequest.method, undefined)).result as { pid: number }).pid;
  });
  after(() => {
    client?.server.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The same server answers a valid request. */
  async function assertAlive(after: string): Promise<void> {
    const info = await client.request(lspProtocol.serverInfoRequest.method, undefined);
    assert.equal((info.result as { pid: number } | undefined)?.pid, pid, `the server did not answer after ${after}`);
  }

  for (const [method, schema] of CLIENT_REQUESTS) {
    if (!schema) continue;
    it(`${method}: every kind of garbage gets -32602 and the field's name`, async () => {
      const cases = badParams(schema);
      assert.ok(cases.length > 5, `only ${cases.length} bad params`);
      for (const bad of cases) {
        const answer = await client.request(method, bad.value);
        const context = `${method} with ${bad.what} at ${fieldName(bad.path)} (${JSON.stringify(bad.value)})`;
        assert.ok(answer.error, `${context} was answered ${JSON.stringify(answer.result)}`);
        assertNoJavaScriptError(answer.error.message, context);
        assert.equal(answer.error.code, INVALID_PARAMS, `${context}: ${answer.error.message}`);
        assert.ok(answer.error.message.startsWith(`${method}: `), `${context}: ${answer.error.message}`);
        assert.ok(namesField(answer.error.message, bad.path), `${context}: ${answer.error.message}`);
      }
      await assertAlive(method);
    });
  }

  it('requests without params ignore whatever params come', async () => {
    // restartWorker would start Python: left out.
    for (const method of ['finlabel/labelTypes', 'finlabel/serverInfo', 'finlabel/training/jobs', 'finlabel/stopWorker']) {
      assert.equal(CLIENT_REQUESTS.get(method), null);
      for (const params of [null, [], [1, 2], { a: NESTED }, 'x', 42, HUGE]) {
        const answer = await client.request(method, params);
        assert.equal(answer.error, undefined, `${method} with ${JSON.stringify(params)}: ${answer.error?.message}`);
      }
    }
  });

  for (const [method, schema] of CLIENT_NOTIFICATIONS) {
    it(`${method}: garbage is logged once, naming the field, and ignored`, async () => {
      for (const bad of badParams(schema)) {
        const before = client.logs.length;
        client.notify(method, bad.value);
        // Messages are handled in order: the log line comes before this answer.
        await assertAlive(`${method} with ${bad.what}`);
        const logged = client.logs.slice(before).filter((l) => l.startsWith(`${method}: `));
        const context = `${method} with ${bad.what} at ${fieldName(bad.path)}`;
        assert.equal(logged.length, 1, `${context}: logged ${JSON.stringify(client.logs.slice(before))}`);
        assertNoJavaScriptError(logged[0], context);
        assert.ok(namesField(logged[0], bad.path), `${context}: ${logged[0]}`);
      }
    });
  }

  it('after all that, a valid request is answered as before and nothing said is a JavaScript error', async () => {
    const stats = await client.request(lspProtocol.datasetStatsRequest.method, { uri: pathToFileURL(join(ws, 'data.jsonl')).href });
    assert.equal((stats.result as { ok: boolean }).ok, true, JSON.stringify(stats));
    const view = await client.request(lspProtocol.recordViewRequest.method, { uri: pathToFileURL(join(ws, 'data.jsonl')).href, index: 0 });
    assert.equal(view.error, undefined);
    for (const line of client.logs) assertNoJavaScriptError(line, 'log');
  });
});

describe('the language server checks its initialization options', function () {
  this.timeout(60_000);
  let dir: string;
  let client: RawClient;
  before(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'finlabel-init-')));
    client = startServer(dir);
  });
  after(() => {
    client?.server.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('bad initializationOptions get -32602 naming the option; good ones start the server', async () => {
    const init = (initializationOptions: unknown) =>
      client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions });
    for (const [options, field] of [
      [null, 'params.initializationOptions:'],
      [{ ...TEST_INITIALIZATION_OPTIONS, pythonPath: 42 }, 'params.initializationOptions.pythonPath:'],
      [
        { ...TEST_INITIALIZATION_OPTIONS, predictions: { modelPath: '', enabled: 'yes', showDisagreements: false } },
        'params.initializationOptions.predictions.enabled:',
      ],
      [
        { ...TEST_INITIALIZATION_OPTIONS, backgroundRetraining: { enabled: true, afterLabels: -1, trainingSeconds: 40 } },
        'params.initializationOptions.backgroundRetraining.afterLabels:',
      ],
    ] as [unknown, string][]) {
      const answer = await init(options);
      assert.equal(answer.error?.code, INVALID_PARAMS, JSON.stringify(answer));
      assert.ok(answer.error.message.startsWith(`initialize: ${field}`), answer.error.message);
      assertNoJavaScriptError(answer.error.message, 'initialize');
    }
    const good = await init(TEST_INITIALIZATION_OPTIONS);
    assert.equal(good.error, undefined, good.error?.message);
    client.notify('initialized', {});
    const info = await client.request(lspProtocol.serverInfoRequest.method, undefined);
    assert.equal((info.result as { pid: number }).pid, client.server.pid);
  });
});
