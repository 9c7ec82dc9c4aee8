import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LabelSchema } from '../../src/common/labelSchema';
import { JsonlDocumentModel } from '../../src/server/dataset/documentModel';
import { BertTokenizer } from '../../src/server/tokenization/bertTokenizer';
import { loadTokenizerFolder } from '../../src/server/tokenization/tokenizerFolder';
import { DatasetStringMatches } from '../../src/server/stringMatching/datasetStringMatches';
import { recordEntry, type TaggedSpan } from '../../src/server/stringMatching/recordEntry';
import { recordMatches, type StringMatch } from '../../src/server/stringMatching/recordMatches';
import { buildStringMatchTable, trieOf, type StringMatchTable } from '../../src/server/stringMatching/stringMatchTable';
import { StringTrie } from '../../src/server/stringMatching/stringTrie';
import { codePointUnits, TOKEN_END, TOKEN_START, tokenBoundaries, unitCodePoints } from '../../src/server/stringMatching/tokenBoundaries';

// Tests run from the repository root: the shipped tokenizer.
const tokenizer = BertTokenizer.from(loadTokenizerFolder('models/tokenizers/bert-base-chinese'));

interface Rec {
  text: string;
  labels?: { value: string; tag: string; nth?: number }[];
}

/** Code-point offsets of the nth occurrence (0-based) of `part` in `text`. */
function span(text: string, part: string, nth = 0): { start: number; end: number } {
  let at = -1;
  for (let k = 0; k <= nth; k++) {
    at = text.indexOf(part, at + 1);
    assert.ok(at >= 0, `"${part}" occurs ${nth + 1} times in "${text}"`);
  }
  const start = Array.from(text.slice(0, at)).length;
  return { start, end: start + Array.from(part).length };
}

const labelsOf = (r: Rec): TaggedSpan[] => (r.labels ?? []).map((l) => ({ ...span(r.text, l.value, l.nth), tag: l.tag }));

/** The string matcher over records given in memory (what the server does over a document). */
function dataset(records: Rec[]): { table: StringMatchTable; matches: (i: number) => StringMatch[] } {
  const entries = records.map((r) => ({ text: r.text, entry: recordEntry(tokenizer, r.text, labelsOf(r)) }));
  const table = buildStringMatchTable(tokenizer, entries);
  return { table, matches: (i) => recordMatches(table, records[i].text, entries[i].entry, tokenizer, labelsOf(records[i])) };
}

const slice = (text: string, m: { start: number; end: number }): string => Array.from(text).slice(m.start, m.end).join('');

describe('string matching: token boundaries', () => {
  it('flags where the BERT tokens start and end, at UTF-16 offsets, with non-BMP characters and \\r\\n', () => {
    const text = '😀𠀋\r\n借15万';
    // Tokens: 😀 | 𠀋 | 借 | 15 | 万 (the \r\n is whitespace, no token).
    const flags = tokenBoundaries(tokenizer, text);
    const starts = [...flags.keys()].filter((u) => flags[u] & TOKEN_START);
    const ends = [...flags.keys()].filter((u) => flags[u] & TOKEN_END);
    assert.deepEqual(starts, [0, 2, 6, 7, 9]);
    assert.deepEqual(ends, [2, 4, 7, 9, 10]);
  });

  it('maps code points to UTF-16 offsets and back', () => {
    const text = 'a😀\r\n𠀋b';
    assert.deepEqual([...codePointUnits(text)], [0, 1, 3, 4, 5, 7, 8]);
    const cps = unitCodePoints(text);
    assert.deepEqual([...cps], [0, 1, 1, 2, 3, 4, 4, 5, 6]);
  });
});

describe('string matching: the trie of labelled strings', () => {
  const found = (trie: StringTrie, text: string): string[] => {
    const out: string[] = [];
    trie.walk(text, tokenBoundaries(tokenizer, text), (start, end, value) => out.push(`${value}@${start}-${end}`));
    return out;
  };

  it('finds every string on token boundaries, overlapping ones too', () => {
    const trie = new StringTrie(['抵押', '最高额抵押', '额抵', '']);
    assert.equal(trie.size, 3);
    assert.deepEqual(found(trie, '以最高额抵押担保，抵押物'), ['最高额抵押@1-6', '额抵@3-5', '抵押@4-6', '抵押@9-11']);
  });

  it('with() makes the next trie (strings added and removed) and leaves the earlier one as it was', () => {
    const first = new StringTrie(['抵押', '保证']);
    const second = first.with(['抵押物', '质押'], ['保证']);
    assert.deepEqual([...second.strings].sort(), ['抵押', '抵押物', '质押'].sort());
    assert.deepEqual(found(second, '抵押物与质押，保证'), ['抵押@0-2', '抵押物@0-3', '质押@4-6']);
    assert.deepEqual([...first.strings].sort(), ['保证', '抵押']);
    assert.deepEqual(found(first, '抵押物与质押，保证'), ['抵押@0-2', '保证@7-9']);
  });

  it('trieOf keeps the previous trie for the same strings and edits it for a few changes', () => {
    const labelled = (...strings: string[]): Map<string, Map<string, number>> => new Map(strings.map((x) => [x, new Map([['T', 1]])]));
    const first = trieOf(labelled('抵押', '保证'));
    assert.equal(trieOf(labelled('保证', '抵押'), first), first);
    const next = trieOf(labelled('抵押', '质押'), first);
    assert.notEqual(next, first);
    assert.deepEqual([...next.strings].sort(), ['抵押', '质押'].sort());
  });
});

describe('string matching: suggestions', () => {
  it('suggests a labelled string where it occurs unlabelled on token boundaries, never inside a token ("5万元" not in "15万元")', () => {
    const records: Rec[] = [
      { text: '借款金额5万元，期限一年。', labels: [{ value: '5万元', tag: 'LOAN_AMOUNT' }] },
      { text: '借款金额15万元，另有1500万元授信。' },
      { text: '申请借款5万元整。' },
    ];
    const { matches } = dataset(records);
    assert.deepEqual(matches(1), [], 'no token starts at the "5" of "15" or of "1500"');
    const found = matches(2);
    assert.equal(found.length, 1);
    assert.deepEqual(
      { ...found[0] },
      { ...span(records[2].text, '5万元'), value: '5万元', tag: 'LOAN_AMOUNT', confidence: 1 / 2, labelled: 1, occurrences: 2 },
    );
  });

  it('offsets are code points of the record text, with emoji, CJK Extension B and \\r\\n before the match', () => {
    const records: Rec[] = [
      { text: '担保方式为抵押。', labels: [{ value: '抵押', tag: 'GUARANTEE_TYPE' }] },
      { text: '😀甲方𠀋记商贸\r\n以房产抵押，另加𠀋𠀋抵押物清单。' },
    ];
    const { matches } = dataset(records);
    const found = matches(1);
    assert.deepEqual(
      found.map((m) => [m.start, m.end]),
      [span(records[1].text, '抵押', 0), span(records[1].text, '抵押', 1)].map((s) => [s.start, s.end]),
    );
    assert.deepEqual(
      found.map((m) => [m.start, m.end]),
      [
        [12, 14],
        [19, 21],
      ],
      'code points: 😀 and each 𠀋 count one, \\r\\n two',
    );
    for (const m of found) assert.equal(slice(records[1].text, m), '抵押');
    assert.equal(found[0].confidence, 1 / 3, 'labelled once, occurs three times in the dataset');
  });

  it('confidence = times labelled with the type / times the string occurs on token boundaries in the dataset', () => {
    const records: Rec[] = [
      { text: '抵押担保，抵押物为房产。', labels: [{ value: '抵押', tag: 'GUARANTEE_TYPE' }] },
      { text: '以抵押方式担保。', labels: [{ value: '抵押', tag: 'GUARANTEE_TYPE' }] },
      { text: '抵押物清单另附。' },
      { text: '无抵押。' },
    ];
    const { table, matches } = dataset(records);
    const stats = table.statsOf('抵押')!;
    assert.equal(stats.labelled, 2);
    assert.equal(stats.occurrences, 5, 'two in the first record, one in each other');
    assert.equal(stats.confidence, 2 / 5);
    assert.deepEqual(
      matches(2).map((m) => [m.start, m.end, m.confidence]),
      [[0, 2, 2 / 5]],
    );
    assert.deepEqual(
      matches(3).map((m) => [m.start, m.end, m.tag]),
      [[1, 3, 'GUARANTEE_TYPE']],
    );
    assert.deepEqual(
      matches(0).map((m) => [m.start, m.end]),
      [[5, 7]],
      'the unlabelled occurrence of a labelled record too',
    );
  });

  it('a string labelled with several types: the most frequent one, its share of the occurrences', () => {
    const records: Rec[] = [
      { text: '期限3年。', labels: [{ value: '3年', tag: 'REPAY_PERIOD' }] },
      { text: '还款3年。', labels: [{ value: '3年', tag: 'REPAY_PERIOD' }] },
      { text: '经营3年。', labels: [{ value: '3年', tag: 'YEARS' }] },
      { text: '合同3年期。' },
    ];
    const { table, matches } = dataset(records);
    assert.deepEqual(
      [...table.statsOf('3年')!.byTag],
      [
        ['REPAY_PERIOD', 2],
        ['YEARS', 1],
      ],
    );
    assert.deepEqual(
      matches(3).map((m) => [m.value, m.tag, m.confidence, m.labelled, m.occurrences]),
      [['3年', 'REPAY_PERIOD', 2 / 4, 2, 4]],
    );
  });

  it('a tie between types goes to the type labelled first', () => {
    const { table } = dataset([
      { text: '甲：抵押', labels: [{ value: '抵押', tag: 'B_TYPE' }] },
      { text: '乙：抵押', labels: [{ value: '抵押', tag: 'A_TYPE' }] },
    ]);
    assert.equal(table.statsOf('抵押')!.tag, 'B_TYPE');
  });

  it("skips an occurrence that overlaps a gold label of the record (any type), and does not repeat the record's own labels", () => {
    const records: Rec[] = [
      { text: '借款金额5万元。', labels: [{ value: '5万元', tag: 'LOAN_AMOUNT' }] },
      { text: '金额5万元整，另5万元。', labels: [{ value: '5万元整', tag: 'OTHER' }] },
    ];
    const { matches } = dataset(records);
    assert.deepEqual(matches(0), []);
    assert.deepEqual(
      matches(1).map((m) => slice(records[1].text, m) + '@' + m.start),
      ['5万元@8'],
      'only the occurrence clear of 5万元整',
    );
  });

  it('a label that does not lie on token boundaries still counts as an occurrence (confidence never above 1)', () => {
    const records: Rec[] = [{ text: '借款15万元。', labels: [{ value: '5万元', tag: 'LOAN_AMOUNT' }] }, { text: '借款5万元。' }];
    const { table, matches } = dataset(records);
    assert.deepEqual({ labelled: table.statsOf('5万元')!.labelled, occurrences: table.statsOf('5万元')!.occurrences }, { labelled: 1, occurrences: 2 });
    assert.equal(matches(1)[0].confidence, 1 / 2);
  });

  it('finds nothing when nothing is labelled, and tokenizes no record that holds no labelled string', () => {
    const records: Rec[] = [{ text: '借款5万元。' }, { text: '无关的文字。' }];
    const entries = records.map((r) => ({ text: r.text, entry: recordEntry(tokenizer, r.text, []) }));
    const table = buildStringMatchTable(tokenizer, entries);
    assert.equal(table.size, 0);
    assert.deepEqual(recordMatches(table, records[0].text, entries[0].entry, tokenizer, []), []);
    assert.ok(entries.every((e) => e.entry.bounds === undefined));
  });
});

describe('string matching over a dataset document, updated after edits', () => {
  const schema = new LabelSchema();
  const line = (id: string, text: string, labels: { entity: string; value: string }[] = []): string =>
    JSON.stringify({ id, text, labels: labels.map((l) => ({ entity: l.entity, value: l.value, ...span(text, l.value) })) });

  function open(lines: string[]): { model: JsonlDocumentModel; edit: (n: number, text: string) => void } {
    let document = TextDocument.create('file:///d.jsonl', 'jsonl', 1, lines.join('\n') + '\n');
    const model = new JsonlDocumentModel(schema);
    model.reset(document);
    return {
      model,
      edit: (n, text) => {
        const changes = [{ range: { start: { line: n, character: 0 }, end: { line: n, character: document.getText().split('\n')[n].length } }, text }];
        document = TextDocument.update(document, changes, document.version + 1);
        model.applyChanges(document, changes);
      },
    };
  }

  it("suggests in every record from the document's labels (names and tags resolved by the schema), with code-point offsets after \\r\\n and non-BMP text", async () => {
    const lines = [
      line('r1', '借款金额5万元，担保方式为抵押。', [
        { entity: '借款金额', value: '5万元' },
        { entity: 'GUARANTEE_TYPE', value: '抵押' },
      ]),
      line('r2', '借款金额15万元。'),
      line('r3', '😀𠀋\r\n借款5万元，以房产抵押。'),
      '',
      'not json',
    ];
    const { model } = open(lines);
    const matches = new DatasetStringMatches();
    const report = await matches.update(model, tokenizer);
    assert.ok(report.completed);
    assert.equal(report.records, 3);
    assert.deepEqual(matches.matchesOf(model, 1, tokenizer), []);
    const text = '😀𠀋\r\n借款5万元，以房产抵押。';
    assert.deepEqual(
      matches.matchesOf(model, 2, tokenizer).map((m) => [m.tag, m.start, m.end, m.value, m.confidence]),
      [
        ['LOAN_AMOUNT', ...Object.values(span(text, '5万元')), '5万元', 1 / 2],
        ['GUARANTEE_TYPE', ...Object.values(span(text, '抵押')), '抵押', 1 / 2],
      ],
    );
    assert.deepEqual(matches.matchesOf(model, 3, tokenizer), []);
    assert.deepEqual(matches.matchesOf(model, 4, tokenizer), []);
  });

  it('after an edit reads only the records it touched; counts every record again only when a new string is labelled', async () => {
    // Record 10 has a \r\n (escaped in its JSON line), record 11 an escaped 抵 (\u62b5): their strings are found all the same.
    const text = (i: number): string => (i === 10 ? `第${i}条：借款5万元，\r\n以房产抵押。` : `第${i}条：借款5万元，以房产抵押。`);
    const lines = Array.from({ length: 40 }, (_, i) => line(`r${i}`, text(i), i === 0 ? [{ entity: '借款金额', value: '5万元' }] : []));
    lines[11] = lines[11].replace('抵', '\\u62b5');
    assert.ok(lines[10].includes('\\r\\n') && lines[11].includes('\\u62b5'));
    const { model, edit } = open(lines);
    const matches = new DatasetStringMatches();
    const first = await matches.update(model, tokenizer);
    assert.equal(first.read, 40);
    assert.equal(first.counted, 40);
    assert.equal(matches.current!.statsOf('5万元')!.confidence, 1 / 40);

    // Label the same string in record 20: no new string, so only the lines around the edit are read and counted.
    edit(20, line('r20', '第20条：借款5万元，以房产抵押。', [{ entity: '借款金额', value: '5万元' }]));
    const same = await matches.update(model, tokenizer);
    assert.ok(same.read <= 3 && same.read >= 1, `read ${same.read}`);
    assert.equal(same.counted, same.read);
    assert.equal(matches.current!.statsOf('5万元')!.confidence, 2 / 40);
    assert.deepEqual(matches.matchesOf(model, 20, tokenizer), [], 'a labelled occurrence is not suggested');

    // A string labelled for the first time: the records read again are counted, the others brought up to date.
    edit(30, line('r30', '第30条：借款5万元，以房产抵押。', [{ entity: '担保方式', value: '抵押' }]));
    const added = await matches.update(model, tokenizer);
    assert.equal(added.counted, added.read);
    assert.equal(added.counted + added.updatedCounts, 40);
    assert.equal(matches.current!.statsOf('抵押')!.confidence, 1 / 40);
    assert.equal(matches.current!.statsOf('5万元')!.confidence, 2 / 40, 'the other string keeps its counts');
    assert.deepEqual(
      matches.matchesOf(model, 5, tokenizer).map((m) => m.value),
      ['5万元', '抵押'],
    );

    // Its only label removed: the string is no longer suggested anywhere.
    edit(30, line('r30', '第30条：借款5万元，以房产抵押。'));
    const removed = await matches.update(model, tokenizer);
    assert.equal(removed.labelledStrings, 1);
    assert.equal(matches.current!.statsOf('抵押'), undefined);
    assert.equal(matches.current!.statsOf('5万元')!.occurrences, 40);
    assert.deepEqual(
      matches.matchesOf(model, 5, tokenizer).map((m) => m.value),
      ['5万元'],
    );
  });

  it('stops when the document changes under it, and yields between slices', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => line(`r${i}`, `第${i}条：借款5万元。`, i === 0 ? [{ entity: '借款金额', value: '5万元' }] : []));
    const { model } = open(lines);
    const matches = new DatasetStringMatches();
    let yields = 0;
    const report = await matches.update(model, tokenizer, { sliceMs: 0, yieldNow: async () => void yields++, stale: () => yields >= 2 });
    assert.equal(report.completed, false);
    assert.equal(matches.current, undefined, 'no table from a stopped update');
    const done = await matches.update(model, tokenizer, { sliceMs: 0, yieldNow: async () => void yields++, stale: () => false });
    assert.ok(done.completed);
    assert.equal(matches.current!.statsOf('5万元')!.occurrences, 200);
  });
});
