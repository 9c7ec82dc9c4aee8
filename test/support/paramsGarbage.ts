// Garbage params generated from each message's schema (src/common/lspSchemas.ts), for both tiers: the unit
// tests check that it reaches every field, the process tests send it to the real language server.
import * as z from 'zod';

export type Path = (string | number)[];
export interface BadParams {
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

export const NESTED = { nested: { deeper: ['x'] } };
export const HUGE = 1e300;

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
export function badParams(schema: z.ZodType): BadParams[] {
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
export function fieldName(path: Path): string {
  return path
    .map((k) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`))
    .reduce((p, k) => p + k, 'params');
}

/** The message names the field at `path` (or a field inside it: an empty object misses its first field). */
export function namesField(message: string, path: Path): boolean {
  const name = fieldName(path);
  return [':', '.', '['].some((next) => message.includes(`${name}${next}`));
}
