import { runFinlabel as runCli } from '../support/cliRun';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LABEL_TYPES, LabelSchema } from '../../src/common/labelSchema';
import { MAX_JSON_DEPTH } from '../../src/server/dataset/jsonDepth';
import { validateJsonl } from '../../src/server/dataset/validateFile';
import { formatSchemaProblem, labelSchemaFileText, parseLabelSchemaText } from '../../src/server/schema/labelSchemaText';
import { checkLabelTypes, LABEL_PALETTE } from '../../src/server/schema/labelTypeRules';
import { findSchemaFile, loadSchemaForDataset } from '../../src/server/schema/schemaDiscovery';
import { resolveSchemaFile } from '../../src/server/schema/schemaFileLocation';
import { resolveLabelSchema } from '../../src/server/schema/schemaPrecedence';

const schemaText = (labels: unknown[]): string => `${JSON.stringify({ labels }, null, 2)}\n`;
/** "line:column severity message" of each problem, lines and columns from 1. */
const located = (text: string): string[] =>
  parseLabelSchemaText(text).problems.map((p) => `${p.range.start.line + 1}:${p.range.start.character + 1} ${p.severity} ${p.message}`);

describe('label schema: parsing a schema file', () => {
  it('reads names, tags, colours, keys and descriptions', () => {
    const parsed = parseLabelSchemaText(
      schemaText([
        { name: '借款金额', tag: 'LOAN_AMOUNT', color: '#E8A33D', key: '1', description: 'principal' },
        { name: '利率', tag: 'INTEREST_RATE', color: '#a2c', key: '4' },
      ]),
    );
    assert.equal(parsed.ok, true);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.types, [
      { name: '借款金额', tag: 'LOAN_AMOUNT', color: '#e8a33d', key: '1', description: 'principal' },
      { name: '利率', tag: 'INTEREST_RATE', color: '#aa22cc', key: '4', description: '' },
    ]);
  });

  it('fills in a missing colour from the palette (skipping colours in use) and the next free key', () => {
    const parsed = parseLabelSchemaText(
      schemaText([
        { name: '借款金额', tag: 'LOAN_AMOUNT', color: LABEL_PALETTE[0], key: '2' },
        { name: '担保方式', tag: 'GUARANTEE_TYPE' },
        { name: '还款期限', tag: 'REPAY_PERIOD', key: '1' },
        { name: '利率', tag: 'INTEREST_RATE' },
      ]),
    );
    assert.equal(parsed.ok, true);
    assert.deepEqual(
      parsed.types.map((t) => [t.tag, t.key, t.color]),
      [
        ['LOAN_AMOUNT', '2', LABEL_PALETTE[0]],
        ['GUARANTEE_TYPE', '3', LABEL_PALETTE[1]],
        ['REPAY_PERIOD', '1', LABEL_PALETTE[2]],
        ['INTEREST_RATE', '4', LABEL_PALETTE[3]],
      ],
    );
  });

  it('gives no key to types past the ninth, and reuses palette colours past the palette', () => {
    const labels = Array.from({ length: 14 }, (_, i) => ({ name: `类型${i + 1}`, tag: `TYPE_${i + 1}` }));
    const parsed = parseLabelSchemaText(schemaText(labels));
    assert.equal(parsed.ok, true);
    assert.deepEqual(
      parsed.types.map((t) => t.key),
      ['1', '2', '3', '4', '5', '6', '7', '8', '9', undefined, undefined, undefined, undefined, undefined],
    );
    assert.ok(!('key' in parsed.types[9]), 'no key property at all, rather than key: undefined');
    assert.deepEqual(parsed.types.map((t) => t.color).slice(0, LABEL_PALETTE.length), [...LABEL_PALETTE]);
    assert.equal(parsed.types[LABEL_PALETTE.length].color, LABEL_PALETTE[0]);
  });

  it('names the line and column of a JSON syntax error', () => {
    const text = '{\n  "labels": [\n    {"name": "借款金额", "tag": "LOAN_AMOUNT"}\n    {"name": "担保方式", "tag": "GUARANTEE_TYPE"}\n  ]\n}\n';
    const parsed = parseLabelSchemaText(text);
    assert.equal(parsed.ok, false);
    assert.deepEqual(parsed.types, []);
    assert.deepEqual(located(text)[0], '4:5 error invalid JSON: expected ","');
  });

  it('refuses a file nested thousands of levels deep at the bracket past the limit, without overflowing the stack', () => {
    const text = `{\n  "labels": [{"name": "借款金额", "tag": "LOAN_AMOUNT", "x": ${'['.repeat(6000)}${']'.repeat(6000)}}]\n}\n`;
    assert.equal(parseLabelSchemaText(text).ok, false);
    // "x" opens level 4 (after the file's object, "labels" and the entry): level 513 is its 510th "[".
    const column = text.split('\n')[1].indexOf('[[') + 1 + (MAX_JSON_DEPTH + 1 - 4);
    assert.deepEqual(located(text), [`2:${column} error the schema file is nested more than ${MAX_JSON_DEPTH} levels deep`]);
  });

  it('places each invalid entry at the value concerned and names the entry', () => {
    const text = schemaText([
      { name: '借款金额', tag: 'loan_amount', color: 'orange', key: '1' },
      { name: '担保方式', tag: 'GUARANTEE_TYPE', key: 2 },
      { tag: 'REPAY_PERIOD' },
    ]);
    const lines = text.split('\n');
    /** "line:column" (from 1) of `needle` in the text, moved `skip` characters on. */
    const at = (needle: string, skip = 0): string => {
      const line = lines.findIndex((l) => l.includes(needle));
      return `${line + 1}:${lines[line].indexOf(needle) + skip + 1}`;
    };
    assert.deepEqual(located(text), [
      `${at('"loan_amount"')} error label type 1 (借款金额): "tag" must be an upper-case identifier (A-Z, 0-9 and _, starting with a letter), not "loan_amount"; did you mean "LOAN_AMOUNT"?`,
      `${at('"orange"')} error label type 1 (借款金额): "color" must be a hex colour like "#e8a33d", not "orange"`,
      `${at('"key": 2', '"key": '.length)} error label type 2 (担保方式): "key" must be one of "1" to "9" (a string; Alt+key labels a selection), not 2`,
      // A missing property is marked at the entry's opening brace.
      `${lines.findIndex((l) => l.includes('"REPAY_PERIOD"'))}:5 error label type 3: has no "name" (the display name files use, e.g. 借款金额)`,
    ]);
  });

  it("rejects duplicate names, tags and keys, and a name that is another type's tag", () => {
    const parsed = parseLabelSchemaText(
      schemaText([
        { name: '借款金额', tag: 'LOAN_AMOUNT', key: '1' },
        { name: '借款金额', tag: 'AMOUNT' },
        { name: '担保', tag: 'LOAN_AMOUNT' },
        { name: 'GUARANTEE_TYPE', tag: 'GUARANTEE', key: '1' },
        { name: '担保方式', tag: 'GUARANTEE_TYPE' },
      ]),
    );
    assert.equal(parsed.ok, false);
    assert.deepEqual(
      parsed.problems.map((p) => p.message),
      [
        'label type 2 (借款金额): name "借款金额" is already the name of label type 1 (借款金额)',
        'label type 3 (担保): tag "LOAN_AMOUNT" is already the tag of label type 1 (借款金额)',
        'label type 4 (GUARANTEE_TYPE): key "1" is already the key of label type 1 (借款金额)',
        'label type 5 (担保方式): tag "GUARANTEE_TYPE" is already the name of label type 4 (GUARANTEE_TYPE)',
      ],
    );
  });

  it('warns about unknown and duplicate properties but still uses the schema', () => {
    const text = '{"labels": [{"name": "借款金额", "tag": "LOAN_AMOUNT", "colour": "#fff", "key": "1", "key": "2"}], "version": 2}';
    const parsed = parseLabelSchemaText(text);
    assert.equal(parsed.ok, true);
    assert.equal(parsed.types[0].key, '2', 'the last of duplicate keys wins, as in JSON.parse');
    assert.deepEqual(located(text), [
      `1:${text.indexOf('"colour"') + 1} warning label type 1 (借款金额): unknown property "colour" is ignored (a type has name, tag, color, key, description)`,
      `1:${text.indexOf('"key"') + 1} warning property "key" appears more than once; the last one is used`,
      `1:${text.indexOf('"version"') + 1} warning unknown property "version" is ignored (the file has "labels")`,
    ]);
  });

  it('reports an empty file, a file without "labels", an empty list, comments and trailing commas', () => {
    assert.match(located('  \n')[0], /^1:1 error the schema file is empty/);
    assert.match(located('{"types": []}')[1], /^1:1 error the schema file has no "labels" array/);
    assert.match(located('{"labels": []}')[0], /^1:12 error the schema defines no label types/);
    assert.match(located('[]')[0], /^1:1 error the schema file must hold a JSON object/);
    assert.match(located('{"labels": [{"name": "a", "tag": "A"}] // note\n}')[0], /^1:40 error invalid JSON: comments are not allowed/);
    assert.match(located('{"labels": [{"name": "a", "tag": "A"},]}')[0], /^1:\d+ error invalid JSON: expected a value/);
  });

  it('counts columns after a byte order mark, non-BMP characters and \\r\\n line ends like the editor does', () => {
    const text = '\uFEFF{\r\n  "labels": [{"name": "𠀋😀", "tag": "bad"}]\r\n}\r\n';
    const [problem] = parseLabelSchemaText(text).problems;
    // The editor shows the BOM-less text; LSP columns are UTF-16, so 𠀋 and 😀 count two each.
    assert.deepEqual(problem.range.start, { line: 1, character: '  "labels": [{"name": "𠀋😀", "tag": '.length });
    const column = '  "labels": [{"name": "𠀋😀", "tag": '.length + 1;
    assert.ok(formatSchemaProblem('labels.json', problem).startsWith(`labels.json:2:${column}: error: label type 1 (𠀋😀): "tag" must be`));
    const good = parseLabelSchemaText('\uFEFF{"labels": [{"name": "𠀋😀", "tag": "RARE"}]}');
    assert.equal(good.ok, true);
    assert.equal(good.types[0].name, '𠀋😀');
  });

  it('writes a file that parses back to the same types', () => {
    const text = labelSchemaFileText(DEFAULT_LABEL_TYPES);
    const parsed = parseLabelSchemaText(text);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.types, DEFAULT_LABEL_TYPES);
  });
});

describe('label schema: the setting, precedence and fallbacks', () => {
  const fileTypes = [{ name: '利率', tag: 'INTEREST_RATE', color: '#aa22cc' }];
  const settingTypes = [{ name: '借款人', tag: 'BORROWER' }];

  it('uses the file first, then the setting, then the built-in defaults', () => {
    const fromFile = resolveLabelSchema({ file: { path: '/w/.finlabel/labels.json', text: schemaText(fileTypes) }, settingTypes });
    assert.deepEqual(fromFile.source, { kind: 'file', path: '/w/.finlabel/labels.json' });
    assert.deepEqual(
      fromFile.types?.map((t) => t.tag),
      ['INTEREST_RATE'],
    );

    const fromSetting = resolveLabelSchema({ settingTypes });
    assert.deepEqual(fromSetting.source, { kind: 'setting' });
    assert.deepEqual(fromSetting.types, [{ name: '借款人', tag: 'BORROWER', color: LABEL_PALETTE[0], key: '1', description: '' }]);

    for (const unset of [undefined, null, []]) {
      const defaults = resolveLabelSchema({ settingTypes: unset });
      assert.deepEqual(defaults.source, { kind: 'default' });
      assert.deepEqual(defaults.types, DEFAULT_LABEL_TYPES);
    }
  });

  it('an invalid file has no types (keep the last good schema) and falls back to the next valid source', () => {
    const bad = resolveLabelSchema({ file: { path: '/w/labels.json', text: '{"labels": [' }, settingTypes });
    assert.equal(bad.types, undefined);
    assert.equal(bad.fileProblems[0].severity, 'error');
    assert.deepEqual(bad.fallback.source, { kind: 'setting' });
    const badBoth = resolveLabelSchema({ file: { path: '/w/labels.json', text: '{"labels": [' }, settingTypes: [{ name: 'x' }] });
    assert.deepEqual(badBoth.fallback, { source: { kind: 'default' }, types: [...DEFAULT_LABEL_TYPES] });
    const unreadable = resolveLabelSchema({ file: { path: '/w/labels.json', unreadable: 'cannot read the label schema: EACCES' }, settingTypes: undefined });
    assert.equal(unreadable.types, undefined);
    assert.deepEqual(
      unreadable.fileProblems.map((p) => [p.severity, p.message, p.range.start.line]),
      [['error', 'cannot read the label schema: EACCES', 0]],
    );
  });

  it('reports an invalid setting by its name', () => {
    const bad = resolveLabelSchema({ settingTypes: [{ name: '借款人', tag: 'borrower' }, 'x'] });
    assert.equal(bad.types, undefined);
    assert.deepEqual(
      bad.settingProblems.map((m) => m.slice(0, 60)),
      [
        'finlabel.labelSchema.types: label type 1 (借款人): "tag" must be an upper-case identifier (A-Z, 0-9 and _, starting with a letter), not "borrower"; did you mean "BORROWER"?',
        'finlabel.labelSchema.types: label type 2 must be an object like {"name": "借款金额", "tag": "LOAN_AMOUNT"}, not the string "x"',
      ].map((m) => m.slice(0, 60)),
    );
    assert.deepEqual(resolveLabelSchema({ settingTypes: { name: 'x' } }).settingProblems, [
      'finlabel.labelSchema.types: the label types must be an array of {"name","tag",...} objects, not an object',
    ]);
  });

  it('checks entries the same way for the file and the setting', () => {
    const entries = [
      { name: '借款金额', tag: 'LOAN_AMOUNT' },
      { name: '借款金额', tag: 'AMOUNT' },
    ];
    assert.deepEqual(
      checkLabelTypes(entries, []).problems.map((p) => p.message),
      parseLabelSchemaText(schemaText(entries)).problems.map((p) => p.message),
    );
  });

  it('a schema lets files use the new names and tags, and reports the removed ones as unknown', () => {
    const parsed = parseLabelSchemaText(schemaText([...DEFAULT_LABEL_TYPES.slice(0, 2), ...fileTypes]));
    const schema = new LabelSchema(parsed.types);
    const line = JSON.stringify({
      text: '利率4.35%,还款期限3年',
      labels: [
        { entity: 'INTEREST_RATE', value: '4.35%', start: 2, end: 7 },
        { entity: '还款期限', value: '3年', start: 12, end: 14 },
      ],
    });
    assert.deepEqual(
      validateJsonl(line, schema).map((p) => p.code),
      ['unknown-entity'],
    );
    assert.match(
      validateJsonl(line, schema)[0].message,
      /unknown entity type "还款期限" \(the schema has 借款金额\/LOAN_AMOUNT, 担保方式\/GUARANTEE_TYPE, 利率\/INTEREST_RATE\)/,
    );
  });
});

describe('label schema: the file setting and discovery', () => {
  it('accepts a .json path inside the workspace folder and refuses others', () => {
    assert.deepEqual(resolveSchemaFile('/w', ''), { ok: true, path: '/w/.finlabel/labels.json', relative: '.finlabel/labels.json' });
    assert.deepEqual(resolveSchemaFile('/w', 'config/./types.json'), { ok: true, path: '/w/config/types.json', relative: 'config/types.json' });
    assert.deepEqual(resolveSchemaFile('/w', '/w/a.JSON'), { ok: true, path: '/w/a.JSON', relative: 'a.JSON' });
    assert.match(unwrapError(resolveSchemaFile('/w', '../shared/labels.json')), /must be a path inside the workspace folder \/w/);
    assert.match(unwrapError(resolveSchemaFile('/w', '/etc/labels.json')), /inside the workspace folder/);
    assert.match(unwrapError(resolveSchemaFile('/w', 'sub/../../x.json')), /inside the workspace folder/);
    assert.match(unwrapError(resolveSchemaFile('/w', 'labels.yaml')), /finlabel.labelSchema.file "labels.yaml" must name a .json file/);
  });

  it('finds the nearest .finlabel/labels.json in the folder or above, and loads it for a dataset', async () => {
    const root = mkdtempSync(join(tmpdir(), 'finlabel-schema-'));
    const deep = join(root, 'a', 'b');
    mkdirSync(deep, { recursive: true });
    mkdirSync(join(root, '.finlabel'));
    writeFileSync(join(root, '.finlabel', 'labels.json'), schemaText([{ name: '利率', tag: 'INTEREST_RATE' }]));
    assert.equal(await findSchemaFile(deep), join(root, '.finlabel', 'labels.json'));

    const load = await loadSchemaForDataset(join(deep, 'data.jsonl'));
    assert.ok(load.ok);
    assert.deepEqual(load.source, { kind: 'file', path: join(root, '.finlabel', 'labels.json') });
    assert.deepEqual(
      load.schema.types.map((t) => t.tag),
      ['INTEREST_RATE'],
    );

    mkdirSync(join(root, 'a', '.finlabel'));
    const brokenText = '{"labels": [{"name": "借款金额", "tag": "x"}]}';
    writeFileSync(join(root, 'a', '.finlabel', 'labels.json'), brokenText);
    const broken = await loadSchemaForDataset(join(deep, 'data.jsonl'));
    assert.ok(!broken.ok);
    assert.equal(broken.messages.length, 1);
    assert.ok(
      broken.messages[0].startsWith(
        `${join(root, 'a', '.finlabel', 'labels.json')}:1:${brokenText.indexOf('"x"') + 1}: error: label type 1 (借款金额): "tag" must be`,
      ),
      broken.messages[0],
    );

    const explicit = await loadSchemaForDataset(join(deep, 'data.jsonl'), join(root, 'missing.json'));
    assert.ok(!explicit.ok);
    assert.match(explicit.messages[0], /cannot read the label schema .*missing\.json: ENOENT/);
  });
});

function unwrapError(location: ReturnType<typeof resolveSchemaFile>): string {
  assert.ok(!location.ok, 'expected a refusal');
  return location.message;
}

describe('finlabel validate with a label schema', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finlabel-cli-schema-'));
  const data = join(dir, 'data', 'rates.jsonl');
  mkdirSync(join(dir, 'data'));
  writeFileSync(data, `${JSON.stringify({ text: '年利率𠀋4.35%\r\n按月付息', labels: [{ entity: 'INTEREST_RATE', value: '4.35%', start: 4, end: 9 }] })}\n`);

  it('uses the built-in types when there is no schema, and says so', async () => {
    const r = await runCli(['validate', data, '--json']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /label schema: the built-in defaults .* \(no \.finlabel\/labels\.json found in the file's folder or above it\)/);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { code: string }).code),
      ['unknown-entity'],
    );
  });

  it('takes --schema, and finds .finlabel/labels.json above the file', async () => {
    const explicit = join(dir, 'rates-schema.json');
    writeFileSync(explicit, schemaText([{ name: '利率', tag: 'INTEREST_RATE' }]));
    const withOption = await runCli(['validate', data, '--schema', explicit]);
    assert.equal(withOption.code, 0, withOption.stdout + withOption.stderr);
    assert.ok(withOption.stderr.includes(`label schema: ${explicit} (1 type)`), withOption.stderr);

    mkdirSync(join(dir, '.finlabel'));
    writeFileSync(
      join(dir, '.finlabel', 'labels.json'),
      schemaText([
        { name: '利率', tag: 'INTEREST_RATE' },
        { name: '借款金额', tag: 'LOAN_AMOUNT' },
      ]),
    );
    const found = await runCli(['validate', data]);
    assert.equal(found.code, 0, found.stdout + found.stderr);
    assert.ok(found.stderr.includes(`label schema: ${join(dir, '.finlabel', 'labels.json')} (2 types)`), found.stderr);
  });

  it('does not follow a .finlabel that leads out of the folder holding it (exit 2, saying where it leads)', async () => {
    const ws = realpathSync(mkdtempSync(join(tmpdir(), 'finlabel-cli-linked-')));
    const elsewhere = realpathSync(mkdtempSync(join(tmpdir(), 'finlabel-cli-elsewhere-')));
    writeFileSync(join(elsewhere, 'labels.json'), schemaText([{ name: '利率', tag: 'INTEREST_RATE' }]));
    symlinkSync(elsewhere, join(ws, '.finlabel'));
    const file = join(ws, 'rates.jsonl');
    writeFileSync(file, `${JSON.stringify({ text: '年利率4.35%', labels: [] })}\n`);
    const r = await runCli(['validate', file]);
    assert.equal(r.code, 2, r.stderr);
    const schema = join(ws, '.finlabel', 'labels.json');
    assert.ok(
      r.stderr.includes(
        `the label schema ${schema} is outside the workspace folder ${ws} (it leads to ${join(elsewhere, 'labels.json')} through a symbolic link); FinLabel reads and writes files only inside the workspace folders; name a schema with --schema`,
      ),
      r.stderr,
    );
  });

  it('refuses to validate with a schema that has errors (exit 2, each error with its line)', async () => {
    const bad = join(dir, 'bad-schema.json');
    writeFileSync(bad, '{\n  "labels": [\n    {"name": "利率", "tag": "rate"}\n  ]\n}\n');
    const r = await runCli(['validate', data, '--schema', bad, '--json']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.includes(`${bad}:3:27: error: label type 1 (利率): "tag" must be an upper-case identifier`), r.stderr);
    assert.match(r.stderr, /no usable label schema; nothing was validated/);
  });
});
