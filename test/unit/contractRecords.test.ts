import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LABEL_TYPES, LabelSchema } from '../../src/common/labelSchema';
import type { DatasetRecord } from '../../src/common/dataset';
import type { TextEdit } from '../../src/common/lspProtocol';
import { applyReplacement, type AnchoredLabel } from '../../src/server/contracts/anchorLabels';
import { CodePointText } from '../../src/server/dataset/codePointText';
import { contractRecordEdit, recordNeedsSync, type ResolvedAction } from '../../src/server/contracts/contractEdits';
import { findContractRecord } from '../../src/server/contracts/contractRecords';
import { readFolderDatasets, writeFolderDataset } from '../../src/server/contracts/folderDatasets';
import { JsonlDocumentModel } from '../../src/server/dataset/documentModel';
import { validateJsonl } from '../../src/server/dataset/validateFile';

const [LOAN, GUARANTEE, PERIOD] = DEFAULT_LABEL_TYPES;
const SOURCE = 'contracts/借款合同.txt';
const TEXT = '甲方😀公司\r\n借款金额为人民币500万元整，𠀋担保方式为抵押。\r\n借款期限3年。';
const cp = (s: string): string[] => Array.from(s);

function model(content: string): JsonlDocumentModel {
  const m = new JsonlDocumentModel(new LabelSchema());
  m.update(content);
  return m;
}

function applyEdit(content: string, edit: TextEdit): string {
  const lines = content.split('\n');
  const offset = (p: { line: number; character: number }): number => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return content.slice(0, offset(edit.range.start)) + edit.newText + content.slice(offset(edit.range.end));
}

/** Runs an action on the dataset content and returns the content after its edit. */
function run(
  content: string,
  text: string,
  labels: readonly AnchoredLabel[],
  action: ResolvedAction,
): { content: string; summary: string; edit: TextEdit | null } {
  const m = model(content);
  const result = contractRecordEdit(
    { source: SOURCE, text: new CodePointText(text), labels },
    { model: m, eol: '\n', name: 'contracts.labels.jsonl' },
    findContractRecord(m, SOURCE),
    action,
  );
  assert.ok(result.ok, result.ok ? '' : result.message);
  return { content: result.edit ? applyEdit(content, result.edit) : content, summary: result.summary, edit: result.edit };
}

function at(text: string, value: string): { start: number; end: number } {
  const chars = cp(text);
  const needle = cp(value);
  for (let s = 0; s + needle.length <= chars.length; s++) if (chars.slice(s, s + needle.length).join('') === value) return { start: s, end: s + needle.length };
  throw new Error(`${value} not found`);
}

function records(content: string): DatasetRecord[] {
  return content
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as DatasetRecord);
}

function placed(content: string): AnchoredLabel[] {
  const lookup = findContractRecord(model(content), SOURCE);
  assert.equal(lookup.kind, 'found');
  return lookup.kind === 'found' ? lookup.record.labels : [];
}

describe("contract records: the edits to a contract file's record in its dataset", () => {
  const other = '{"id": "dd-1", "text": "借款金额100万元", "labels": [], "meta": {}}\n';

  it('appends a new record with code-point offsets, keeping the other lines byte for byte', () => {
    const amount = at(TEXT, '500万元');
    const { content, summary } = run(other, TEXT, [], { kind: 'label', ...amount, type: LOAN });
    assert.ok(content.startsWith(other));
    const [, rec] = records(content);
    assert.deepEqual(rec, { id: SOURCE, text: TEXT, labels: [{ entity: '借款金额', value: '500万元', start: 15, end: 20 }], meta: { source: SOURCE } });
    assert.equal(cp(rec.text).slice(15, 20).join(''), '500万元');
    assert.equal(rec.text.indexOf('500万元'), 16, 'UTF-16 offsets would differ');
    assert.ok(content.split('\n')[1].includes('"text": "'), "the new line follows the file's spaced style");
    assert.match(summary, /500万元.*借款金额.*\[15, 20\).*new record/);
    assert.ok(content.endsWith('\n'));
  });

  it('appends to an empty dataset, and after a last line without a line break', () => {
    const amount = at(TEXT, '500万元');
    const empty = run('', TEXT, [], { kind: 'label', ...amount, type: LOAN }).content;
    assert.equal(empty.split('\n').length, 2);
    assert.ok(empty.startsWith('{"id":"contracts/'), 'compact JSON when there is no line to follow');
    const noBreak = run(other.trimEnd(), TEXT, [], { kind: 'label', ...amount, type: LOAN }).content;
    assert.equal(records(noBreak).length, 2);
    assert.ok(!noBreak.endsWith('\n'));
  });

  it('adds a label to an existing record with an insert-only edit, in start order', () => {
    const first = run(other, TEXT, [], { kind: 'label', ...at(TEXT, '抵押'), type: GUARANTEE }).content;
    const { content, edit } = run(first, TEXT, placed(first), { kind: 'label', ...at(TEXT, '500万元'), type: LOAN });
    assert.ok(edit);
    assert.deepEqual(edit.range.start, edit.range.end, 'only an insertion');
    assert.deepEqual(
      records(content)[1].labels?.map((l) => l.value),
      ['500万元', '抵押'],
    );
    assert.deepEqual(validateJsonl(content, new LabelSchema()), []);
  });

  it('refuses a duplicate label and a record line that cannot be read', () => {
    const first = run(other, TEXT, [], { kind: 'label', ...at(TEXT, '抵押'), type: GUARANTEE }).content;
    const m = model(first);
    const dup = contractRecordEdit(
      { source: SOURCE, text: new CodePointText(TEXT), labels: placed(first) },
      { model: m, eol: '\n', name: 'd.jsonl' },
      findContractRecord(m, SOURCE),
      {
        kind: 'label',
        ...at(TEXT, '抵押'),
        type: GUARANTEE,
      },
    );
    assert.equal(dup.ok, false);
    const broken = `${other}{"id": "${SOURCE}", "text": "x", "meta": {"source": "${SOURCE}"}\n`;
    const lookup = findContractRecord(model(broken), SOURCE);
    assert.equal(lookup.kind, 'invalid');
    assert.match(lookup.kind === 'invalid' ? lookup.message : '', /line 2 .*not valid JSON/);
  });

  it('writes the edited text and the re-anchored offsets with the next label, keeping unknown keys', () => {
    const labelled = run(other, TEXT, [], { kind: 'label', ...at(TEXT, '500万元'), type: LOAN }).content;
    const withKeys = other + labelled.slice(other.length).replace('"meta": {', '"reviewer": "王", "meta": {"batch": 7, ');
    const labels = placed(withKeys);
    // The user inserted a line before the amount and has not saved yet.
    const edited = `补充条款𠀋\r\n${TEXT}`;
    const moved = applyReplacement(labels, cp(edited), { start: 0, end: 0, text: '补充条款𠀋\r\n' });
    const { content, summary } = run(withKeys, edited, moved, { kind: 'label', ...at(edited, '3年'), type: PERIOD });
    const rec = records(content)[1];
    assert.equal(rec.text, edited);
    assert.deepEqual(
      rec.labels?.map((l) => [l.value, l.start, l.end]),
      [
        ['500万元', 15 + 7, 20 + 7],
        ['3年', at(edited, '3年').start, at(edited, '3年').end],
      ],
    );
    assert.equal(rec.reviewer, '王');
    assert.deepEqual(rec.meta, { batch: 7, source: SOURCE });
    assert.match(summary, /edited contract text/);
    assert.deepEqual(validateJsonl(content, new LabelSchema()), []);
  });

  it('keeps a flagged label with its old value, so validate reports the mismatch, until it is updated', () => {
    const first = run(other, TEXT, [], { kind: 'label', ...at(TEXT, '500万元'), type: LOAN }).content;
    const { start } = at(TEXT, '500万元');
    const edited =
      cp(TEXT)
        .slice(0, start + 1)
        .join('') +
      '2' +
      cp(TEXT)
        .slice(start + 1)
        .join('');
    const labels = applyReplacement(placed(first), cp(edited), { start: start + 1, end: start + 1, text: '2' });
    assert.ok(recordNeedsSync({ source: SOURCE, text: new CodePointText(edited), labels }, findRecord(first)));
    const synced = run(first, edited, labels, { kind: 'sync' }).content;
    assert.equal(records(synced)[1].labels?.[0].value, '500万元');
    const problems = validateJsonl(synced, new LabelSchema());
    assert.deepEqual(
      problems.map((p) => [p.line, p.code]),
      [[2, 'value-mismatch']],
    );

    const accepted = run(synced, edited, placed(synced), { kind: 'accept', labelIndex: 0 }).content;
    assert.deepEqual(records(accepted)[1].labels?.[0], { entity: '借款金额', value: '5200万元', start, end: start + 6 });
    assert.deepEqual(validateJsonl(accepted, new LabelSchema()), []);
  });

  it("changes a label's type and removes a label", () => {
    let content = run(other, TEXT, [], { kind: 'label', ...at(TEXT, '500万元'), type: LOAN }).content;
    content = run(content, TEXT, placed(content), { kind: 'label', ...at(TEXT, '抵押'), type: GUARANTEE }).content;
    const retyped = run(content, TEXT, placed(content), { kind: 'retype', labelIndex: 1, type: PERIOD }).content;
    assert.deepEqual(
      records(retyped)[1].labels?.map((l) => l.entity),
      ['借款金额', '还款期限'],
    );
    const removed = run(retyped, TEXT, placed(retyped), { kind: 'remove', labelIndex: 0 }).content;
    assert.deepEqual(
      records(removed)[1].labels?.map((l) => l.value),
      ['抵押'],
    );
    const empty = run(removed, TEXT, placed(removed), { kind: 'remove', labelIndex: 0 }).content;
    assert.deepEqual(records(empty)[1].labels, []);
    assert.ok(empty.startsWith(other));
  });

  it('writes a label whose text was deleted at the deletion point (start = end), never dropping it', () => {
    const content = run(other, TEXT, [], { kind: 'label', ...at(TEXT, '抵押'), type: GUARANTEE }).content;
    const { start, end } = at(TEXT, '抵押');
    const edited = cp(TEXT).slice(0, start).join('') + cp(TEXT).slice(end).join('');
    const labels = applyReplacement(placed(content), cp(edited), { start, end, text: '' });
    const synced = run(content, edited, labels, { kind: 'sync' }).content;
    assert.deepEqual(records(synced)[1].labels, [{ entity: '担保方式', value: '抵押', start, end: start }]);
    assert.equal(validateJsonl(synced, new LabelSchema())[0].code, 'offset-reversed');
    const lookup = findContractRecord(model(synced), SOURCE);
    assert.ok(lookup.kind === 'found' && lookup.record.labels.length === 1, 'read back, it is still a label of the contract');
  });

  it("writes ASCII-only lines with \\u escapes, like Python's json.dumps", () => {
    const ascii = '{"id": "dd-1", "text": "\\u501f\\u6b3e", "labels": []}\n';
    const { content } = run(ascii, TEXT, [], { kind: 'label', ...at(TEXT, '500万元'), type: LOAN });
    const line = content.split('\n')[1];
    assert.ok(/^[\x20-\x7e]*$/.test(line), line);
    assert.equal((JSON.parse(line) as DatasetRecord).text, TEXT);
  });
});

function findRecord(content: string) {
  const lookup = findContractRecord(model(content), SOURCE);
  assert.ok(lookup.kind === 'found');
  return lookup.record;
}

describe('folder datasets: .finlabel/contracts.json', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'finlabel-folders-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes and reads folder -> dataset, keeping other entries and keys', () => {
    mkdirSync(join(root, '.finlabel'));
    writeFileSync(join(root, '.finlabel', 'contracts.json'), JSON.stringify({ note: 'kept', datasets: { other: 'other/x.jsonl' } }));
    assert.ok(writeFolderDataset(root, 'contracts', 'contracts/contracts.labels.jsonl').ok);
    const saved = JSON.parse(readFileSync(join(root, '.finlabel', 'contracts.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(saved, { note: 'kept', datasets: { other: 'other/x.jsonl', contracts: 'contracts/contracts.labels.jsonl' } });
    assert.deepEqual(
      [...readFolderDatasets(root).datasets],
      [
        ['other', 'other/x.jsonl'],
        ['contracts', 'contracts/contracts.labels.jsonl'],
      ],
    );
  });

  it('reports invalid entries by name and refuses to overwrite a file it cannot read', () => {
    mkdirSync(join(root, '.finlabel'));
    const file = join(root, '.finlabel', 'contracts.json');
    writeFileSync(file, JSON.stringify({ datasets: { a: '../outside.jsonl', b: '/abs/x.jsonl', c: 'c/notes.txt', d: 'd/ok.jsonl' } }));
    const read = readFolderDatasets(root);
    assert.deepEqual([...read.datasets.keys()], ['d']);
    assert.deepEqual(
      read.problems.map((p) => p.folder),
      ['a', 'b', 'c'],
    );
    assert.match(read.problems[0].message, /contracts\.json.*"a" is outside the workspace folder/);
    assert.match(read.problems[2].message, /not a \.jsonl file/);

    writeFileSync(file, '{"datasets": {"a": "a.jsonl",}');
    assert.match(readFolderDatasets(root).unreadable ?? '', /contracts\.json:1:\d+: /);
    const refused = writeFolderDataset(root, 'a', 'a.jsonl');
    assert.equal(refused.ok, false);
    assert.equal(readFileSync(file, 'utf8'), '{"datasets": {"a": "a.jsonl",}', 'the file is left as it was');
  });
});
