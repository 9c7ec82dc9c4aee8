import * as assert from 'node:assert/strict';
import type { DatasetRecord } from '../../src/common/dataset';
import { LabelSchema } from '../../src/common/labelSchema';
import { escapeBioChar, unescapeBioChar } from '../../src/server/interchange/bio';
import {
  exportDataset,
  importDataset,
  INTERCHANGE_FORMATS,
  type ConversionOptions,
  type ConversionReport,
  type InterchangeFormat,
} from '../../src/server/interchange';

const schema = new LabelSchema();
const options: ConversionOptions = { schema };

const jsonl = (...records: unknown[]): string => records.map((r) => `${JSON.stringify(r)}\n`).join('');
const parseJsonl = (content: string | undefined): DatasetRecord[] =>
  (content ?? '')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as DatasetRecord);
const codes = (reports: ConversionReport[]): [number, string][] => reports.map((r) => [r.line, r.code]);

/** (id, text, labels as {type, start, end, value}, meta): what a lossless round trip keeps. */
function comparable(records: DatasetRecord[]): unknown[] {
  return records.map((r) => ({
    id: r.id,
    text: r.text,
    labels: (r.labels ?? [])
      .map((l) => ({ type: schema.resolve(l.entity)?.tag ?? l.entity, start: l.start, end: l.end, value: l.value }))
      .sort((a, b) => a.start - b.start || a.end - b.end),
    meta: r.meta,
  }));
}

/** A label whose value is text[start:end] in code points. */
function label(text: string, entity: string, value: string, nth = 0): { entity: string; value: string; start: number; end: number } {
  const cps = Array.from(text);
  const v = Array.from(value);
  let found = -1;
  for (let i = 0, seen = 0; i + v.length <= cps.length; i++) {
    if (cps.slice(i, i + v.length).join('') === value && seen++ === nth) {
      found = i;
      break;
    }
  }
  assert.ok(found >= 0, `${value} is in ${text}`);
  return { entity, value, start: found, end: found + v.length };
}

// The small case every format is checked on byte for byte: 😀 is one code point, two UTF-16 units.
const SMALL_TEXT = '借款😀500万元';
const SMALL = { id: 'r1', text: SMALL_TEXT, labels: [{ entity: '借款金额', value: '500万元', start: 3, end: 8 }], meta: { src: 't' } };
const SMALL_EXPECTED: Record<InterchangeFormat, string> = {
  bio: [
    '# id = "r1"',
    '# meta = {"src":"t"}',
    '借\tO',
    '款\tO',
    '😀\tO',
    '5\tB-LOAN_AMOUNT',
    '0\tI-LOAN_AMOUNT',
    '0\tI-LOAN_AMOUNT',
    '万\tI-LOAN_AMOUNT',
    '元\tI-LOAN_AMOUNT',
    '',
  ].join('\n'),
  doccano: `{"id":"r1","text":"${SMALL_TEXT}","label":[[4,9,"LOAN_AMOUNT"]],"meta":{"src":"t"}}\n`,
  labelstudio:
    `[\n{"data":{"id":"r1","text":"${SMALL_TEXT}","meta":{"src":"t"}},"annotations":[{"result":[` +
    `{"id":"L1","from_name":"label","to_name":"text","type":"labels","value":{"start":3,"end":8,"text":"500万元","labels":["LOAN_AMOUNT"]},` +
    `"meta":{"text":["normalized: ¥5,000,000 (CNY)"],"normalized":{"kind":"amount","amount":5000000,"currency":"CNY","forms":[{"notation":"digits","amount":5000000,"start":0,"end":4}]}}}]}]}\n]\n`,
  cluener: `{"id":"r1","text":"${SMALL_TEXT}","label":{"LOAN_AMOUNT":{"500万元":[[3,7]]}},"meta":{"src":"t"}}\n`,
};

// Records that break naive converters: non-BMP characters inside and around spans, \r\n and other
// characters BIO must escape, ids of both types, no id, an entity given by its tag.
const TRICKY_TEXTS = ['😀借款金额𠀋500万元\r\n担保方式为抵押😀，还款期限3年', '\t借款\\金额\u0001 300万元\u2028期限 𠀋36个月\r', '𠀋', ''];
const TRICKY: DatasetRecord[] = [
  {
    id: 'dd-1',
    text: TRICKY_TEXTS[0],
    labels: [label(TRICKY_TEXTS[0], '借款金额', '𠀋500万元'), label(TRICKY_TEXTS[0], '担保方式', '抵押😀'), label(TRICKY_TEXTS[0], 'REPAY_PERIOD', '3年')],
    meta: { source: 'test', nested: { a: [1, '😀', '\u2028\u0085\n\t'] } },
  },
  { id: 7, text: TRICKY_TEXTS[1], labels: [label(TRICKY_TEXTS[1], '借款金额', '300万元\u2028'), label(TRICKY_TEXTS[1], '还款期限', '𠀋36个月\r')], meta: {} },
  { text: TRICKY_TEXTS[2], labels: [label(TRICKY_TEXTS[2], '借款金额', '𠀋')] },
  { id: 'empty', text: TRICKY_TEXTS[3], labels: [] },
];

describe('dataset interchange', () => {
  describe('export writes each format exactly', () => {
    for (const format of INTERCHANGE_FORMATS) {
      it(format, () => {
        const result = exportDataset(jsonl(SMALL), format, options);
        assert.equal(result.output, SMALL_EXPECTED[format]);
        assert.deepEqual([result.records, result.labels, result.reports], [1, 1, []]);
      });
    }
  });

  describe('import reads each format exactly', () => {
    for (const format of INTERCHANGE_FORMATS) {
      it(format, () => {
        const result = importDataset(SMALL_EXPECTED[format], format, options);
        assert.deepEqual(result.reports, []);
        assert.equal(result.output, `${JSON.stringify(SMALL)}\n`);
      });
    }
  });

  describe('export then import is lossless on 😀, 𠀋, \\r\\n, tabs, backslashes and control characters', () => {
    for (const format of INTERCHANGE_FORMATS) {
      it(format, () => {
        const exported = exportDataset(jsonl(...TRICKY), format, options);
        assert.deepEqual(exported.reports, []);
        assert.equal(exported.records, TRICKY.length);
        const imported = importDataset(exported.output!, format, options);
        assert.deepEqual(imported.reports, []);
        assert.deepEqual(comparable(parseJsonl(imported.output)), comparable(TRICKY));
      });
    }

    it('doccano with code-point offsets too', () => {
      const exported = exportDataset(jsonl(...TRICKY), 'doccano', { schema, offsets: 'codepoint' });
      assert.deepEqual((JSON.parse(exported.output!.split('\n')[0]) as { label: unknown[] }).label[0], [5, 11, 'LOAN_AMOUNT']);
      const imported = importDataset(exported.output!, 'doccano', { schema, offsets: 'codepoint' });
      assert.deepEqual(comparable(parseJsonl(imported.output)), comparable(TRICKY));
    });

    it('keeps every record key and writes entity names as asked', () => {
      const record = { id: 'k', text: '期限3年', labels: [{ entity: 'REPAY_PERIOD', value: '3年', start: 2, end: 4 }], meta: { m: 1 }, reviewed: true };
      for (const format of INTERCHANGE_FORMATS) {
        const out = exportDataset(jsonl(record), format, { schema, entity: 'name' }).output!;
        assert.ok(out.includes('还款期限') && !out.includes('REPAY_PERIOD'), `${format}: ${out}`);
        const back = parseJsonl(importDataset(out, format, { schema, entity: 'tag' }).output);
        assert.deepEqual(back, [record], format);
      }
    });
  });

  describe('BIO', () => {
    it('escapes characters that would break its lines, reversibly', () => {
      const cases: [string, string][] = [
        ['\n', '\\n'],
        ['\r', '\\r'],
        ['\t', '\\t'],
        ['\\', '\\\\'],
        ['\u0001', '\\u0001'],
        ['\u0085', '\\u0085'],
        ['\u2028', '\\u2028'],
        ['\uFEFF', '\\uFEFF'],
        ['\uD800', '\\uD800'],
        [' ', ' '],
        ['#', '#'],
        ['𠀋', '𠀋'],
        ['😀', '😀'],
      ];
      for (const [char, written] of cases) {
        assert.equal(escapeBioChar(char), written);
        assert.deepEqual(unescapeBioChar(written), { char });
      }
      assert.deepEqual(unescapeBioChar('\\'), { char: '\\' });
      assert.match((unescapeBioChar('\\x41') as { error: string }).error, /unknown escape/);
    });

    it('writes every record key on one comment line that no line splitter breaks', () => {
      const out = exportDataset(jsonl(TRICKY[0]), 'bio', options).output!;
      assert.ok(out.startsWith('# id = "dd-1"\n# meta = {"source":"test","nested":{"a":[1,"😀","\\u2028\\u0085\\n\\t"]}}\n😀\tO\n'), out.slice(0, 120));
      // Everything Python's str.splitlines() splits on, besides the \n ending each line.
      const separators = new Set(['\r', '\u000b', '\u000c', '\u001c', '\u001d', '\u001e', '\u0085', '\u2028', '\u2029']);
      assert.ok(!Array.from(out).some((c) => separators.has(c)), 'no raw line separator');
    });

    it('reports each overlapping or nested span with its record line and id, and exports the rest', () => {
      const text = '借款金额500万元担保方式为抵押';
      const content = jsonl(
        { id: 'ok', text: '还款期限3年', labels: [{ entity: '还款期限', value: '3年', start: 4, end: 6 }] },
        {
          id: 'ov',
          text,
          labels: [label(text, '借款金额', '500万元'), label(text, '还款期限', '万元担保'), label(text, '担保方式', '0万'), label(text, '担保方式', '抵押')],
        },
      );
      const result = exportDataset(content, 'bio', options);
      assert.deepEqual(codes(result.reports), [
        [2, 'overlapping-label'],
        [2, 'overlapping-label'],
      ]);
      assert.deepEqual(
        result.reports.map((r) => r.id),
        ['ov', 'ov'],
      );
      assert.match(result.reports[0].message, /label 3 GUARANTEE_TYPE "0万" \[6, 8\) overlaps label 1 LOAN_AMOUNT "500万元" \[4, 9\)/);
      assert.match(result.reports[1].message, /label 2 REPAY_PERIOD "万元担保" \[7, 11\)/);
      assert.equal(result.labels, 3);
      const back = parseJsonl(importDataset(result.output!, 'bio', options).output);
      assert.deepEqual(
        back[1].labels!.map((l) => l.value),
        ['500万元', '抵押'],
      );
    });

    it('reads comment-less, space-separated, BIOES and CRLF files, and a plain-text id', () => {
      const content = [
        '# id = doc-1',
        '借 B-LOAN_AMOUNT',
        '款 E-LOAN_AMOUNT',
        '， O',
        '年 S-REPAY_PERIOD',
        '',
        '',
        '抵\tB-GUARANTEE_TYPE',
        '押\tI-GUARANTEE_TYPE',
        '',
      ].join('\r\n');
      const result = importDataset(content, 'bio', options);
      assert.deepEqual(result.reports, []);
      assert.deepEqual(parseJsonl(result.output), [
        {
          id: 'doc-1',
          text: '借款，年',
          labels: [
            { entity: '借款金额', value: '借款', start: 0, end: 2 },
            { entity: '还款期限', value: '年', start: 3, end: 4 },
          ],
        },
        { text: '抵押', labels: [{ entity: '担保方式', value: '抵押', start: 0, end: 2 }] },
      ]);
    });

    it('reports malformed lines with their line number and skips only that record', () => {
      const content = [
        '# id = "a"',
        '借\tB-LOAN_AMOUNT',
        '款\tI-LOAN_AMOUNT',
        '',
        '# id = "b"',
        '借款\tO',
        '', // two characters on one line
        '# id = "c"',
        '借\tX-LOAN_AMOUNT',
        '', // unknown tag
        '# id = "d"',
        '\\q\tO',
        '', // unknown escape
        '# id = "e"',
        '借',
        '', // no tag
        '# id = "f"',
        '款\tI-REPAY_PERIOD',
        '期\tI-LOAN_AMOUNT',
        '', // I- without B-: read, reported
      ].join('\n');
      const result = importDataset(content, 'bio', options);
      assert.deepEqual(codes(result.reports), [
        [6, 'unreadable-record'],
        [9, 'unreadable-record'],
        [12, 'unreadable-record'],
        [15, 'unreadable-record'],
        [18, 'invalid-tag'],
        [19, 'invalid-tag'],
      ]);
      assert.deepEqual(
        result.reports.slice(0, 4).map((r) => r.id),
        ['b', 'c', 'd', 'e'],
      );
      assert.match(result.reports[0].message, /expected one character before the tag, got "借款" \(2 characters\); the record starting on line 5 is skipped/);
      assert.match(result.reports[1].message, /unknown tag "X-LOAN_AMOUNT"/);
      assert.match(result.reports[3].message, /expected CHARACTER<TAB>TAG, got "借"/);
      const records = parseJsonl(result.output);
      assert.deepEqual(
        records.map((r) => r.id),
        ['a', 'f'],
      );
      assert.deepEqual(
        records[1].labels!.map((l) => [l.entity, l.start, l.end]),
        [
          ['还款期限', 0, 1],
          ['借款金额', 1, 2],
        ],
      );
    });
  });

  describe('doccano', () => {
    it('counts offsets in UTF-16 code units and reads newer exports (entities, ids)', () => {
      const text = '😀𠀋借款500万元';
      const content = [
        JSON.stringify({ id: 3, text, entities: [{ id: 11, label: 'LOAN_AMOUNT', start_offset: 6, end_offset: 11 }], relations: [], Comments: [] }),
        JSON.stringify({
          text,
          label: [
            [2, 4, '借款金额'],
            [1, 3, '借款金额'],
            [0, 20, 'LOAN_AMOUNT'],
          ],
        }),
        '{"text": broken',
        JSON.stringify({ label: [] }),
      ].join('\n');
      const result = importDataset(content, 'doccano', options);
      assert.deepEqual(codes(result.reports), [
        [2, 'invalid-label'],
        [2, 'invalid-label'],
        [3, 'unreadable-record'],
        [4, 'unreadable-record'],
      ]);
      assert.match(result.reports[0].message, /span \[1, 3\) in UTF-16 code units cuts a character outside the BMP in half/);
      assert.match(result.reports[1].message, /span \[0, 20\) is outside the text, which has 11 UTF-16 code units/);
      assert.equal(result.reports[2].message, 'malformed JSON: unexpected character "b" (U+0062) at column 10; skipped');
      assert.match(result.reports[3].message, /no "text" field/);
      assert.deepEqual(parseJsonl(result.output), [
        { id: 3, text, labels: [{ entity: '借款金额', value: '500万元', start: 4, end: 9, id: 11 }], relations: [], Comments: [] },
        { text, labels: [{ entity: '借款金额', value: '𠀋', start: 1, end: 2 }] },
      ]);
    });

    it('reports label keys a triple cannot hold', () => {
      const record = { id: 'a', text: '抵押', labels: [{ entity: '担保方式', value: '抵押', start: 0, end: 2, annotator: 'wang' }] };
      const result = exportDataset(jsonl(record), 'doccano', options);
      assert.deepEqual(codes(result.reports), [[1, 'dropped-field']]);
      assert.match(result.reports[0].message, /label 1 GUARANTEE_TYPE "抵押" \[0, 2\): "annotator" has no place in a doccano span; dropped/);
    });
  });

  describe('Label Studio', () => {
    const text = '𠀋借款500万元';
    const task = (extra: Record<string, unknown>): Record<string, unknown> => ({
      id: 41,
      data: { text },
      annotations: [
        {
          id: 1,
          completed_by: 2,
          result: [{ from_name: 'label', to_name: 'text', type: 'labels', value: { start: 3, end: 8, text: '500万元', labels: ['LOAN_AMOUNT'] } }],
        },
      ],
      ...extra,
    });

    it('imports the first live annotation, uses the task id, and reports what it drops', () => {
      const tasks = [
        task({ created_at: '2024-01-01', predictions: [{ result: [] }], drafts: [] }),
        task({
          annotations: [
            { was_cancelled: true, result: [] },
            {
              result: [
                { type: 'choices', value: { choices: ['ok'] } },
                { type: 'labels', value: { start: 0, end: 1, text: '借', labels: ['借款金额'] } },
              ],
            },
            { result: [] },
          ],
        }),
        { data: { title: 'no text' } },
      ];
      const content = `[\n${tasks.map((t) => JSON.stringify(t)).join(',\n')}\n]\n`;
      const result = importDataset(content, 'labelstudio', options);
      assert.deepEqual(parseJsonl(result.output), [
        { id: 41, text, labels: [{ entity: '借款金额', value: '500万元', start: 3, end: 8 }] },
        { id: 41, text, labels: [{ entity: '借款金额', value: '借', start: 0, end: 1 }] },
      ]);
      const byMessage = result.reports.map((r) => `${r.line} ${r.code} ${r.message}`);
      assert.ok(
        byMessage.some((m) =>
          /^3 value-mismatch task 2 result 2 "借款金额" \[0, 1\): its text "借" differs from the text at these offsets, "𠀋"; imported as written/.test(m),
        ),
        byMessage.join('\n'),
      );
      assert.ok(
        byMessage.some((m) => /^3 dropped-field task 2 has 2 annotations: the first is imported, the other 1 dropped/.test(m)),
        byMessage.join('\n'),
      );
      assert.ok(
        byMessage.some((m) => /^4 unreadable-record task 3 has no string data.text; skipped/.test(m)),
        byMessage.join('\n'),
      );
      for (const dropped of [
        'task field "created_at"',
        '"predictions"',
        'annotation field "completed_by"',
        'a cancelled annotation',
        'a result of type "choices"',
      ]) {
        assert.ok(
          byMessage.some((m) => m.includes(dropped)),
          `${dropped} is reported: ${byMessage.join('\n')}`,
        );
      }
      assert.ok(!byMessage.some((m) => m.includes('"drafts"')), 'empty fields are not reported');
    });

    it('says where a file that is not JSON breaks, and converts nothing', () => {
      const result = importDataset('[\n{"data": {"text": "a"}},\n{"data": }\n]', 'labelstudio', options);
      assert.equal(result.output, undefined);
      assert.deepEqual(codes(result.reports), [[3, 'unreadable-record']]);
      assert.equal(result.reports[0].message, 'not a JSON document: unexpected character "}" (U+007D) at column 10; nothing converted');
    });

    it('reads UTF-16 offsets when asked', () => {
      const t = task({});
      (t.annotations as { result: { value: { start: number; end: number } }[] }[])[0].result[0].value = {
        start: 4,
        end: 9,
        text: '500万元',
        labels: ['LOAN_AMOUNT'],
      } as never;
      const result = importDataset(JSON.stringify([t]), 'labelstudio', { schema, offsets: 'utf16' });
      assert.deepEqual(parseJsonl(result.output)[0].labels, [{ entity: '借款金额', value: '500万元', start: 3, end: 8 }]);
    });
  });

  describe('CLUENER', () => {
    it('uses inclusive ends and shares a mention key between equal spans', () => {
      const text = '抵押或抵押';
      const out = exportDataset(jsonl({ text, labels: [label(text, '担保方式', '抵押', 1), label(text, '担保方式', '抵押', 0)] }), 'cluener', options).output;
      assert.equal(out, `{"text":"${text}","label":{"GUARANTEE_TYPE":{"抵押":[[3,4],[0,1]]}}}\n`);
    });

    it('reports a mention whose text is not at its offsets and keeps it as written', () => {
      const content = [
        JSON.stringify({ text: '😀借款500万元', label: { LOAN_AMOUNT: { '500万元': [[3, 7]], 借款: [[0, 1]] }, address: { 借: [[1, 1]], x: [[9, 9]] } } }),
        JSON.stringify({ text: 'a', label: { name: { a: [0] } } }),
        'nope',
      ].join('\n');
      const result = importDataset(content, 'cluener', options);
      assert.deepEqual(codes(result.reports), [
        [1, 'value-mismatch'],
        [1, 'invalid-label'],
        [1, 'unknown-entity'],
        [2, 'invalid-label'],
        [3, 'unreadable-record'],
      ]);
      assert.match(
        result.reports[0].message,
        /label.LOAN_AMOUNT\["借款"\]\[0\] "LOAN_AMOUNT" \[0, 1\]: its text "借款" differs from the text at these offsets, "😀借"; imported as written/,
      );
      assert.match(result.reports[1].message, /label.address\["x"\]\[0\] "address": span \[9, 9\] is outside the text, which has 8 characters; not imported/);
      assert.match(result.reports[2].message, /entity type "address" is not in the label schema/);
      assert.match(result.reports[3].message, /\["a"\]\[0\] 0 is not a \[start, end\] pair/);
      assert.deepEqual(
        parseJsonl(result.output).map((r) => r.labels),
        [
          [
            { entity: '借款金额', value: '借款', start: 0, end: 2 },
            { entity: 'address', value: '借', start: 1, end: 2 },
            { entity: '借款金额', value: '500万元', start: 3, end: 8 },
          ],
          [],
        ],
      );
    });
  });

  describe('what every export does with bad input', () => {
    for (const format of INTERCHANGE_FORMATS) {
      it(`${format}: reports unreadable lines and invalid labels by line and id, never fixes them`, () => {
        const content = [
          JSON.stringify({
            id: 'a',
            text: '借款500万元',
            labels: [
              { entity: '借款金额', value: '500万', start: 2, end: 7 },
              { entity: '借款金额', value: '借款', start: 0, end: 2 },
            ],
          }),
          '{not json',
          JSON.stringify({
            id: 'c',
            text: '年',
            labels: [
              { entity: '还款期限', value: '年', start: 0, end: 3 },
              { entity: 'COLLATERAL', value: '年', start: 0, end: 1 },
            ],
          }),
          JSON.stringify({ id: 'd', labels: [] }),
        ].join('\n');
        const result = exportDataset(content, format, options);
        assert.deepEqual(codes(result.reports), [
          [1, 'invalid-label'],
          [2, 'unreadable-record'],
          [3, 'invalid-label'],
          [3, 'unknown-entity'],
          [4, 'unreadable-record'],
        ]);
        assert.deepEqual(
          result.reports.map((r) => r.id),
          ['a', undefined, 'c', 'c', undefined],
        );
        assert.match(result.reports[0].message, /value "500万" does not match the text at \[2, 7\), which is "500万元"; not exported/);
        assert.match(result.reports[2].message, /outside the text.*; not exported/);
        assert.match(result.reports[3].message, /"COLLATERAL" is not in the label schema.*1 label written with it as is/);
        assert.deepEqual([result.records, result.labels], [2, 2]);
        const back = parseJsonl(importDataset(result.output!, format, { schema, entity: 'as-is' }).output);
        assert.deepEqual(
          back.map((r) => r.labels!.map((l) => l.value)),
          [['借款'], ['年']],
        );
      });
    }
  });
});
