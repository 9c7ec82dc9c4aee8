import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NotificationType, RequestType, RequestType0, StreamMessageReader, StreamMessageWriter, type Message } from 'vscode-jsonrpc/node';
import * as z from 'zod';
import * as contractProtocol from '../../src/common/contractProtocol';
import * as documentImportProtocol from '../../src/common/documentImportProtocol';
import * as lspProtocol from '../../src/common/lspProtocol';
import { CLIENT_NOTIFICATIONS, CLIENT_REQUESTS, RecordViewParams, ServerInitializationOptions } from '../../src/common/lspSchemas';
import { parseParams } from '../../src/server/lsp/checkedHandlers';
import { repoRoot } from '../support/tinyEntityModel';

/**
 * Every request and notification the client may send is checked at the server's boundary: garbage
 * params are generated from each message's schema (src/common/lspSchemas.ts), so a new message is
 * covered as soon as it has one, and sent to the real language server (dist/server.js).
 */

/** Notifications the server sends; the client reads them, so they have no schema to check. */
const SERVER_NOTIFICATIONS = [
  'finlabel/documentSpans',
  'finlabel/labelSchemaChanged',
  'finlabel/workerStatus',
  'finlabel/backgroundRetraining',
  'finlabel/backgroundRetraining/baseline',
  'finlabel/environmentProgress',
  'finlabel/documentPredictions',
  'finlabel/predictionModel',
  'finlabel/training/progress',
  'finlabel/training/ended',
  'finlabel/creditFileStatus',
  'finlabel/documentSuggestions',
];
/** Standard LSP messages the server answers itself: checked like FinLabel's own, though lspProtocol.ts does not define them. */
const STANDARD_LSP = ['textDocument/hover', 'textDocument/codeAction', 'textDocument/inlayHint', 'workspace/didChangeWatchedFiles'];
/** What a server that fails inside a handler says instead of naming the field. */
const JAVASCRIPT_ERRORS = ['Cannot read properties', 'is not a function', '[object Object]', 'undefined (reading'];
const INVALID_PARAMS = -32602;

type Path = (string | number)[];
interface BadParams {
  /** The params to send (undefined: none). */
  value: unknown;
  /** The field the message must name. */
  path: Path;
  what: string;
}

// ---- Garbage from the schemas ----------------------------------------------------------------------

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema | boolean;
  prefixItems?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
};

const NESTED = { nested: { deeper: ['x'] } };
const HUGE = 1e300;

/** Valid values of `s` (one for each form a union may take), and bad values with the field they spoil. */
function generate(s: JsonSchema): { valid: unknown[]; bad: { value: unknown; path: Path; what: string }[] } {
  const options = s.oneOf ?? s.anyOf;
  if (options) {
    const parts = options.map(generate);
    return { valid: parts.flatMap((p) => p.valid), bad: parts.flatMap((p) => p.bad) };
  }
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const type = types.find((t) => t !== 'null');
  const nullable = types.includes('null');
  const wrong = (values: [unknown, string][]): { value: unknown; path: Path; what: string }[] =>
    values.filter(([v]) => !(nullable && v === null)).map(([value, what]) => ({ value, path: [], what }));
  switch (type) {
    case 'string': {
      const valid = s.const !== undefined ? s.const : s.enum ? s.enum[0] : 'x';
      return {
        valid: [valid],
        bad: wrong([
          [42, 'a number'],
          [null, 'null'],
          [NESTED, 'a nested object'],
          [['x'], 'an array'],
          [true, 'a boolean'],
          ...(s.const !== undefined || s.enum ? [['no-such-value', 'a value not allowed'] as [unknown, string]] : []),
        ]),
      };
    }
    case 'integer':
    case 'number': {
      const valid =
        s.const !== undefined ? s.const : s.enum ? s.enum[0] : s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : Math.max(0, s.minimum ?? 0);
      return {
        valid: [valid],
        bad: wrong([
          ['1', 'a string'],
          [null, 'null'],
          [NESTED, 'a nested object'],
          [[1], 'an array'],
          [HUGE, 'a huge number'],
          [-HUGE, 'a huge negative number'],
          [-1, 'a negative number'],
          [1.5, 'a fraction'],
        ]),
      };
    }
    case 'boolean':
      return {
        valid: [false],
        bad: wrong([
          ['true', 'a string'],
          [0, 'a number'],
          [null, 'null'],
          [NESTED, 'an object'],
        ]),
      };
    case 'array': {
      if (s.prefixItems) {
        const items = s.prefixItems.map(generate);
        const value = items.map((i) => i.valid[0]);
        return {
          valid: [value],
          bad: [
            ...wrong([
              [null, 'null'],
              ['x', 'a string'],
              [NESTED, 'an object'],
              [value.slice(1), 'too few items'],
              [[...value, value[0]], 'too many items'],
            ]),
            ...items.flatMap((item, i) => item.bad.map((b) => ({ value: value.map((v, j) => (j === i ? b.value : v)), path: [i, ...b.path], what: b.what }))),
          ],
        };
      }
      const item = typeof s.items === 'object' ? generate(s.items) : { valid: ['x'], bad: [] };
      return {
        valid: [item.valid.slice(0, 1)],
        bad: [
          ...wrong([
            [null, 'null'],
            ['x', 'a string'],
            [NESTED, 'an object instead of an array'],
          ]),
          ...item.bad.map((b) => ({ value: [b.value], path: [0, ...b.path], what: b.what })),
        ],
      };
    }
    case 'object': {
      const valid: Record<string, unknown> = {};
      const fields = Object.entries(s.properties ?? {}).map(([key, schema]) => ({ key, ...generate(schema) }));
      for (const f of fields) valid[f.key] = f.valid[0];
      const values: unknown[] = [valid];
      // The other forms of union fields, one field at a time.
      for (const f of fields) for (const v of f.valid.slice(1)) values.push({ ...valid, [f.key]: v });
      const bad = wrong([
        [null, 'null'],
        [[valid], 'an array instead of an object'],
        ['x', 'a string'],
        [42, 'a number'],
        [{}, 'an empty object'],
      ]);
      for (const f of fields) {
        if (s.required?.includes(f.key))
          bad.push({ value: Object.fromEntries(Object.entries(valid).filter(([k]) => k !== f.key)), path: [f.key], what: 'a missing field' });
        for (const b of f.bad) bad.push({ value: { ...valid, [f.key]: b.value }, path: [f.key, ...b.path], what: b.what });
      }
      // A record (no named fields): keys from propertyNames, values of additionalProperties. An object
      // with named fields that also allows others (z.looseObject) is generated by its named fields.
      if (typeof s.additionalProperties === 'object' && !s.properties) {
        const keyName = String(s.propertyNames?.enum?.[0] ?? 'key');
        const entry = generate(s.additionalProperties);
        values[0] = { [keyName]: entry.valid[0] };
        if (s.propertyNames?.enum) bad.push({ value: { 'no-such-key': entry.valid[0] }, path: [], what: 'an unknown key' });
        for (const b of entry.bad) bad.push({ value: { [keyName]: b.value }, path: [keyName, ...b.path], what: b.what });
      }
      return { valid: values, bad };
    }
    default:
      // unknown: anything goes.
      return { valid: [null], bad: [] };
  }
}

/**
 * The params a handler gets from what was sent: params by position with one argument are that
 * argument (as vscode-jsonrpc hands them over), none are like no params.
 */
function asHandled(sent: unknown): unknown {
  return Array.isArray(sent) && sent.length <= 1 ? sent[0] : sent;
}

/** Bad params for a message (each checked against the schema itself: only what it rejects is sent, so no handler runs). */
function badParams(schema: z.ZodType): BadParams[] {
  const generated = generate(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema).bad;
  const all: BadParams[] = [
    { value: undefined, path: [], what: 'no params' },
    { value: [], path: [], what: 'an empty array' },
    { value: [1, 'x'], path: [], what: 'params by position' },
    { value: [null], path: [], what: 'null by position' },
    ...generated,
  ];
  return all.filter((b) => !schema.safeParse(asHandled(b.value)).success);
}

/** params.op.labels[0].start, as the server names a field. */
function fieldName(path: Path): string {
  return path
    .map((k) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`))
    .reduce((p, k) => p + k, 'params');
}

/** The message names the field at `path` (or a field inside it: an empty object misses its first field). */
function namesField(message: string, path: Path): boolean {
  const name = fieldName(path);
  return [':', '.', '['].some((next) => message.includes(`${name}${next}`));
}

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
  const server = spawn(process.execPath, [join(repoRoot(), 'dist', 'server.js'), '--stdio'], { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
  return new RawClient(server);
}

const INIT_OPTIONS = { pythonPath: '', workerDir: '', managedPythonPath: '', startWorker: false };

function assertNoJavaScriptError(text: string, context: string): void {
  for (const e of JAVASCRIPT_ERRORS) assert.ok(!text.includes(e), `${context}: the server said "${text}"`);
}

// ---- The tests -------------------------------------------------------------------------------------

describe('protocol params: every message the client sends has a schema', () => {
  const exported = [...Object.entries(lspProtocol), ...Object.entries(contractProtocol), ...Object.entries(documentImportProtocol)];
  const requests = exported.filter(([, v]) => v instanceof RequestType || v instanceof RequestType0) as [
    string,
    RequestType<unknown, unknown, unknown> | RequestType0<unknown, unknown>,
  ][];
  const notifications = exported.filter(([, v]) => v instanceof NotificationType) as [string, NotificationType<unknown>][];

  it('each request in lspProtocol.ts, contractProtocol.ts and documentImportProtocol.ts has its params schema (or says it takes none), and the table names no other', () => {
    assert.ok(requests.length >= 25, `found ${requests.length} requests`);
    for (const [name, type] of requests) {
      assert.ok(CLIENT_REQUESTS.has(type.method), `${name} (${type.method}) has no entry in CLIENT_REQUESTS of src/common/lspSchemas.ts`);
      const takesParams = type instanceof RequestType;
      assert.equal(
        CLIENT_REQUESTS.get(type.method) !== null,
        takesParams,
        `${type.method}: ${takesParams ? 'takes params but has no schema' : 'takes no params but has a schema'}`,
      );
    }
    assert.deepEqual(
      [...CLIENT_REQUESTS.keys()].filter((m) => !requests.some(([, t]) => t.method === m) && !STANDARD_LSP.includes(m)),
      [],
    );
  });

  it('each notification is either checked (client -> server) or one the server sends', () => {
    for (const [name, type] of notifications) {
      const client = CLIENT_NOTIFICATIONS.has(type.method);
      assert.notEqual(
        client,
        SERVER_NOTIFICATIONS.includes(type.method),
        `${name} (${type.method}): add its params schema to CLIENT_NOTIFICATIONS, or to SERVER_NOTIFICATIONS here when the server sends it`,
      );
    }
    assert.deepEqual(
      [...CLIENT_NOTIFICATIONS.keys()].filter((m) => !notifications.some(([, t]) => t.method === m) && !STANDARD_LSP.includes(m)),
      [],
    );
  });

  it('the garbage reaches every field of every schema', () => {
    for (const [method, schema] of [...CLIENT_REQUESTS, ...CLIENT_NOTIFICATIONS]) {
      if (!schema) continue;
      const bad = badParams(schema);
      const shape = (schema as z.ZodObject).shape as Record<string, unknown>;
      for (const field of Object.keys(shape))
        assert.ok(
          bad.some((b) => b.path[0] === field),
          `${method}: no garbage for params.${field}`,
        );
    }
  });
});

describe('protocol params: messages that say what is wrong', () => {
  const message = (raw: unknown): string => {
    const parsed = parseParams('finlabel/recordView', RecordViewParams, raw);
    assert.equal(parsed.ok, false);
    return (parsed as { message: string }).message;
  };

  it('names the request, the field, what was expected and what came', () => {
    assert.equal(message({ uri: 'file:///a.jsonl', index: null }), 'finlabel/recordView: params.index: expected a number, got null');
    assert.equal(message({ uri: 'file:///a.jsonl' }), 'finlabel/recordView: params.index: missing, expected a number');
    assert.equal(
      message({ uri: { nested: 1 }, index: 1.5 }),
      'finlabel/recordView: params.uri: expected a string, got an object; params.index: expected an integer, got 1.5',
    );
    assert.equal(message({ uri: 'u', index: 1e300 }), 'finlabel/recordView: params.index: expected an integer at most 9007199254740991, got 1e+300');
    assert.equal(
      message({ uri: 'u', index: 0, filter: 'some' }),
      'finlabel/recordView: params.filter: expected one of "all", "unlabelled", "problems", "uncertain", "disagrees", got "some"',
    );
    assert.equal(message(null), 'finlabel/recordView: params: expected an object, got null');
    assert.equal(message(undefined), 'finlabel/recordView: params: missing, expected an object');
    assert.equal(message(['a', 1]), 'finlabel/recordView: params: expected an object, got an array of 2 items');
  });

  it('a union names the field that picks the form, and a long string is cut', () => {
    const parsed = parseParams('finlabel/editRecordLabels', CLIENT_REQUESTS.get('finlabel/editRecordLabels')!, {
      uri: 'u',
      version: 1,
      line: 0,
      op: { kind: 'x'.repeat(100) },
    });
    assert.equal(
      (parsed as { message: string }).message,
      `finlabel/editRecordLabels: params.op.kind: expected one of "add", "addSelection", "retype", "remove", "adjudicate", "addMany", got "${'x'.repeat(40)}"… (a string of 100 characters)`,
    );
    const labels = parseParams('finlabel/editRecordLabels', CLIENT_REQUESTS.get('finlabel/editRecordLabels')!, {
      uri: 'u',
      version: 1,
      line: 0,
      op: { kind: 'addMany', labels: [{ start: 0, end: '3', entity: 'A' }] },
    });
    assert.equal((labels as { message: string }).message, 'finlabel/editRecordLabels: params.op.labels[0].end: expected a number, got "3"');
  });

  it('counts the problems past the third', () => {
    const parsed = parseParams('initialize', ServerInitializationOptions, {}, 'params.initializationOptions');
    assert.equal(
      (parsed as { message: string }).message,
      'initialize: params.initializationOptions.pythonPath: missing, expected a string; params.initializationOptions.workerDir: missing, expected a string; params.initializationOptions.managedPythonPath: missing, expected a string; and 1 more',
    );
  });
});

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
    const init = await client.request('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'ws' }],
      capabilities: {},
      initializationOptions: INIT_OPTIONS,
    });
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
      [{ ...INIT_OPTIONS, pythonPath: 42 }, 'params.initializationOptions.pythonPath:'],
      [{ ...INIT_OPTIONS, predictions: { modelPath: '', enabled: 'yes', showDisagreements: false } }, 'params.initializationOptions.predictions.enabled:'],
      [
        { ...INIT_OPTIONS, backgroundRetraining: { enabled: true, afterLabels: -1, trainingSeconds: 40 } },
        'params.initializationOptions.backgroundRetraining.afterLabels:',
      ],
    ] as [unknown, string][]) {
      const answer = await init(options);
      assert.equal(answer.error?.code, INVALID_PARAMS, JSON.stringify(answer));
      assert.ok(answer.error.message.startsWith(`initialize: ${field}`), answer.error.message);
      assertNoJavaScriptError(answer.error.message, 'initialize');
    }
    const good = await init(INIT_OPTIONS);
    assert.equal(good.error, undefined, good.error?.message);
    client.notify('initialized', {});
    const info = await client.request(lspProtocol.serverInfoRequest.method, undefined);
    assert.equal((info.result as { pid: number }).pid, client.server.pid);
  });
});
