/**
 * The boundary between the client's messages and the server's handlers: every FinLabel request and
 * notification is registered here, and its params are parsed through its schema (src/common/lspSchemas.ts)
 * before the handler sees them. A request with bad params is answered with InvalidParams (-32602) and
 * a message that names the request, the field, what was expected and what came
 * (`finlabel/recordView: params.index: expected a number, got null`); a bad notification is logged
 * to the client's console with the same message and dropped.
 */
import {
  ErrorCodes,
  ResponseError,
  type CancellationToken,
  type Connection,
  type NotificationType,
  type RequestHandler,
  type RequestHandler0,
  type RequestType,
  type RequestType0,
} from 'vscode-languageserver/node';
import type * as z from 'zod';
import { CLIENT_NOTIFICATIONS, CLIENT_REQUESTS } from '../../common/lspSchemas';

/** Problems named in one message; the rest are counted. */
const MAX_PROBLEMS = 3;
/** Longer strings are cut in messages. */
const MAX_QUOTED = 40;

/** Registers the handler of a request with params: it runs only on params its schema accepts. */
export function handleRequest<P, R>(connection: Connection, type: RequestType<P, R, void>, handler: NoInfer<RequestHandler<P, R, void>>): void {
  const schema = CLIENT_REQUESTS.get(type.method);
  if (!schema) throw new Error(`${type.method} has no params schema in src/common/lspSchemas.ts`);
  // Registered by method name, so vscode-jsonrpc hands every form of params through: it spreads an array
  // of params into arguments and appends the cancellation token.
  connection.onRequest(type.method, (...args: unknown[]) => {
    const token = args.pop() as CancellationToken;
    const parsed = parseParams(type.method, schema, paramsOf(args));
    if (!parsed.ok) throw new ResponseError(ErrorCodes.InvalidParams, parsed.message);
    return handler(parsed.params as P, token);
  });
}

/** Registers the handler of a request that takes no params (any params sent are ignored). */
export function handleRequest0<R>(connection: Connection, type: RequestType0<R, void>, handler: NoInfer<RequestHandler0<R, void>>): void {
  if (CLIENT_REQUESTS.get(type.method) !== null) throw new Error(`${type.method} is not listed as a request without params in src/common/lspSchemas.ts`);
  connection.onRequest(type.method, (...args: unknown[]) => handler(args.pop() as CancellationToken));
}

/**
 * Registers the handler of a notification: it runs only on params its schema accepts; a bad
 * notification, or one whose handler fails, is logged once and dropped.
 */
export function handleNotification<P>(connection: Connection, type: NotificationType<P>, handler: NoInfer<(params: P) => void | Promise<void>>): void {
  const schema = CLIENT_NOTIFICATIONS.get(type.method);
  if (!schema) throw new Error(`${type.method} has no params schema in src/common/lspSchemas.ts`);
  connection.onNotification(type.method, async (...args: unknown[]) => {
    const parsed = parseParams(type.method, schema, paramsOf(args));
    if (!parsed.ok) {
      connection.console.error(`${parsed.message} (notification ignored)`);
      return;
    }
    try {
      await handler(parsed.params as P);
    } catch (err) {
      connection.console.error(`${type.method} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  });
}

/**
 * The params the client sent, from the handler's arguments: JSON-RPC params by name arrive as one
 * argument; by position as one argument each, so one positional argument counts as the params
 * (as vscode-jsonrpc's typed handlers take it) and `[]` as none.
 */
function paramsOf(args: unknown[]): unknown {
  return args.length === 0 ? undefined : args.length === 1 ? args[0] : args;
}

/** `raw` parsed by `schema`, or the message that says what is wrong with it, naming `method` and the field (from `root`). */
export function parseParams(method: string, schema: z.ZodType, raw: unknown, root = 'params'): { ok: true; params: unknown } | { ok: false; message: string } {
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) return { ok: true, params: result.data };
  const issues = result.error.issues;
  const named = issues.slice(0, MAX_PROBLEMS).map((issue) => `${fieldPath(root, issue.path)}: ${describeIssue(issue)}`);
  const more = issues.length > MAX_PROBLEMS ? `; and ${issues.length - MAX_PROBLEMS} more` : '';
  return { ok: false, message: `${method}: ${named.join('; ')}${more}` };
}

/** params.range.start.line, params.ranges[0].end, params["a b"]. */
function fieldPath(root: string, path: readonly PropertyKey[]): string {
  return path
    .map((key) =>
      typeof key === 'number' ? `[${key}]` : typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(String(key))}]`,
    )
    .reduce((p, k) => p + k, root);
}

/** What was expected and what came, in words. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined
        ? `missing, expected ${expectedType(issue.expected)}`
        : `expected ${expectedType(issue.expected)}, got ${describeValue(input)}`;
    case 'invalid_value':
      return `expected ${oneOf(issue.values)}, got ${describeValue(input)}`;
    case 'invalid_union': {
      if (issue.discriminator === undefined) return 'matches none of the forms it may take';
      const value = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[issue.discriminator] : undefined;
      const options = (issue as { options?: unknown[] }).options ?? [];
      return value === undefined ? `missing, expected ${oneOf(options)}` : `expected ${oneOf(options)}, got ${describeValue(value)}`;
    }
    case 'too_small':
    case 'too_big':
      return `${sizeBound(issue)}, got ${describeSize(issue.origin, input)}`;
    case 'unrecognized_keys':
      return `unexpected key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    default:
      return issue.message;
  }
}

function expectedType(expected: string): string {
  switch (expected) {
    case 'int':
      return 'an integer';
    case 'object':
    case 'record':
      return 'an object';
    case 'array':
    case 'tuple':
      return 'an array';
    case 'boolean':
      return 'true or false';
    case 'null':
    case 'undefined':
      return expected;
    case 'nonoptional':
      return 'a value';
    default:
      return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
  }
}

function oneOf(values: readonly unknown[]): string {
  const listed = values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v)));
  return listed.length === 1 ? listed[0] : `one of ${listed.join(', ')}`;
}

/** "an integer at most 9007199254740991", "at least 2 items". */
function sizeBound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const bound = small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum;
  const inclusive = issue.inclusive !== false;
  const relation = small ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than';
  switch (issue.origin) {
    case 'array':
    case 'set':
      return `expected ${relation} ${String(bound)} item${Number(bound) === 1 ? '' : 's'}`;
    case 'string':
      return `expected ${relation} ${String(bound)} character${Number(bound) === 1 ? '' : 's'}`;
    case 'int':
      return `expected an integer ${relation} ${String(bound)}`;
    default:
      return `expected a number ${relation} ${String(bound)}`;
  }
}

function describeSize(origin: string, input: unknown): string {
  if (Array.isArray(input) && (origin === 'array' || origin === 'set')) return `${input.length} item${input.length === 1 ? '' : 's'}`;
  if (typeof input === 'string' && origin === 'string') return `${input.length} character${input.length === 1 ? '' : 's'}`;
  return describeValue(input);
}

/** A value as a message shows it: a short string quoted, a number as written, an object or array by kind only. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string')
    return value.length <= MAX_QUOTED ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, MAX_QUOTED))}… (a string of ${value.length} characters)`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  return 'an object';
}
