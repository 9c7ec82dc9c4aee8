import * as assert from 'node:assert/strict';
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc/node';
import type * as z from 'zod';
import * as contractProtocol from '../../src/common/contractProtocol';
import * as documentImportProtocol from '../../src/common/documentImportProtocol';
import * as lspProtocol from '../../src/common/lspProtocol';
import { CLIENT_NOTIFICATIONS, CLIENT_REQUESTS, RecordViewParams, ServerInitializationOptions } from '../../src/common/lspSchemas';
import { parseParams } from '../../src/server/lsp/checkedHandlers';
import { badParams } from '../support/paramsGarbage';

/**
 * Every request and notification the client may send is checked at the server's boundary: garbage
 * params are generated from each message's schema (src/common/lspSchemas.ts), so a new message is
 * covered as soon as it has one, and sent to the real language server (dist/server.js) by
 * test/processes/lspParams.test.ts.
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
