import * as assert from 'node:assert/strict';
import { LabelSchema } from '../../src/common/labelSchema';
import { bucketOf, distribution } from '../../src/server/analysis/distribution';
import { datasetStats } from '../../src/server/analysis/stats';
import { statsMarkdown } from '../../src/server/analysis/statsReport';
import { validateJsonl } from '../../src/server/dataset/validateFile';

const schema = new LabelSchema();

// Offsets are code points. Line 2's text:
//   𠀋 担 保 方 式 为 抵 押 \r \n 还 款 期 限 3  年
//   0  1  2  3  4  5  6  7  8  9  10 11 12 13 14 15   (16 characters; 𠀋 is two UTF-16 units)
const goodLines = [
  JSON.stringify({ id: 's1', text: '😀借款金额500万元', labels: [{ entity: '借款金额', value: '500万元', start: 5, end: 10, annotator: 'alice' }] }),
  JSON.stringify({
    id: 's2',
    text: '𠀋担保方式为抵押\r\n还款期限3年',
    labels: [
      { entity: 'GUARANTEE_TYPE', value: '抵押', start: 6, end: 8 },
      { entity: '还款期限', value: '3年', start: 14, end: 16, annotator: 'bob' },
    ],
  }),
  JSON.stringify({ text: '无标注' }),
];
const content = [
  ...goodLines,
  '',
  '{"text": "broken',
  JSON.stringify({ text: '利率5%', labels: [{ entity: '利率', value: '5%', start: 2, end: 4 }] }),
  JSON.stringify({ text: '借款1万', labels: [{ entity: '借款金额', value: '1万', start: 2, end: 9 }] }),
].join('\r\n');

describe('datasetStats', () => {
  it("the fixture's first lines are valid: their offsets are right", () => {
    assert.deepEqual(validateJsonl(goodLines.join('\n'), schema), []);
  });

  const stats = datasetStats(content, 'small.jsonl', schema);

  it('counts records, labelled and unlabelled, and the lines that are not records', () => {
    assert.equal(stats.lines, 6);
    assert.equal(stats.records, 5);
    assert.equal(stats.labelledRecords, 4);
    assert.equal(stats.unlabelledRecords, 1);
    assert.deepEqual(stats.rejectedLines, [5]);
    assert.equal(stats.labels, 4);
    assert.equal(stats.unplacedLabels, 1, 'the label [2, 9) of a 4-character text');
  });

  it('labels per schema type (names and tags together), unknown types apart, lengths in code points', () => {
    assert.deepEqual(
      stats.types.map((t) => [t.type, t.tag, t.labels, t.records, t.spanLength.min, t.spanLength.max]),
      [
        ['借款金额', 'LOAN_AMOUNT', 1, 1, 5, 5],
        ['担保方式', 'GUARANTEE_TYPE', 1, 1, 2, 2],
        ['还款期限', 'REPAY_PERIOD', 1, 1, 2, 2],
      ],
    );
    assert.deepEqual(
      stats.unknownTypes.map((t) => [t.type, t.tag, t.labels, t.spanLength.max]),
      [['利率', null, 1, 2]],
    );
  });

  it('span and text length distributions', () => {
    // Span lengths 5, 2, 2, 2 -> sorted 2 2 2 5: p50 = 2nd value, p90 = ceil(3.6) = 4th value, mean 11/4.
    assert.deepEqual(stats.spanLength, {
      count: 4,
      min: 2,
      p50: 2,
      p90: 5,
      max: 5,
      mean: 2.75,
      histogram: [
        { from: 2, to: 2, count: 3 },
        { from: 3, to: 4, count: 0 },
        { from: 5, to: 8, count: 1 },
      ],
    });
    // Text lengths: 10 (😀 is one), 16 (𠀋 one, \r\n two), 3, 4, 4 -> sorted 3 4 4 10 16.
    const t = stats.textLength;
    assert.deepEqual([t.count, t.min, t.p50, t.p90, t.max, t.mean], [5, 3, 4, 16, 16, 37 / 5]);
    assert.deepEqual(
      t.histogram.map((b) => [b.from, b.to, b.count]),
      [
        [3, 4, 3],
        [5, 8, 0],
        [9, 16, 2],
      ],
    );
  });

  it('annotators and problems by code', () => {
    assert.deepEqual(stats.annotators, [
      { name: 'alice', labels: 1 },
      { name: 'bob', labels: 1 },
    ]);
    assert.equal(stats.labelsWithoutAnnotator, 2);
    assert.deepEqual(
      stats.problems.map((p) => [p.code, p.count, p.lines]),
      [
        ['malformed-json', 1, [5]],
        ['unknown-entity', 1, [6]],
        ['offset-out-of-range', 1, [7]],
      ],
    );
    assert.equal(stats.problemCount, 3);
  });

  it('an empty file has empty distributions, not NaN', () => {
    const empty = datasetStats('', 'empty.jsonl', schema);
    assert.equal(empty.records, 0);
    assert.deepEqual(empty.spanLength, { count: 0, min: null, p50: null, p90: null, max: null, mean: null, histogram: [] });
    assert.match(statsMarkdown(empty), /Records: \*\*0\*\*/);
  });

  it('the Markdown report shows each figure in an aligned table', () => {
    const md = statsMarkdown(stats);
    assert.match(md, /\| 借款金额 +\| LOAN_AMOUNT +\| +1 \| +1 \| +5 \| +5 \| +5 \| +5 \| +5\.0 \|/);
    assert.match(md, /### Types not in the label schema[\s\S]*\| 利率 /);
    assert.match(md, /\| malformed-json +\| +1 \| 5 +\|/);
    assert.match(md, /Lines that are not records: \*\*1\*\* \(line 5\)/);
  });
});

describe('distribution', () => {
  it('buckets lengths by powers of two', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 8, 9, 1000].map(bucketOf), [
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 4],
      [3, 4],
      [5, 8],
      [5, 8],
      [9, 16],
      [513, 1024],
    ]);
  });

  it('nearest-rank percentiles', () => {
    const d = distribution([10, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // 10 values: p50 is the 5th smallest (5), p90 the 9th (9).
    assert.deepEqual([d.min, d.p50, d.p90, d.max, d.mean], [1, 5, 9, 10, 5.5]);
    assert.equal(
      d.histogram.reduce((n, b) => n + b.count, 0),
      10,
    );
  });
});
