import * as assert from 'node:assert/strict';
import { DEFAULT_LABEL_TYPES } from '../../src/common/labelSchema';
import { codePointSlice } from '../../src/server/dataset/jsonStringMap';
import { BioScheme, IGNORED_LABEL } from '../../src/server/entities/bioScheme';
import { encodeEntitySplit, evaluateEntities, type EncodedEntitySplit } from '../../src/server/entities/entityDataset';
import { decodeEntities, PredictionShapeError, type PredictedEntity } from '../../src/server/entities/entityDecoding';
import { encodeEntityRecord, encodeText, type EncodedEntityRecord, type EntityLabel } from '../../src/server/entities/entityEncoding';
import { tokenWindows, type WindowOptions } from '../../src/server/entities/tokenWindows';
import { Rng } from '../../src/server/util/prng';
import { generateRecords } from '../../src/server/samples/records';
import { BertTokenizer } from '../../src/server/tokenization/bertTokenizer';
import { loadTokenizerFolder } from '../../src/server/tokenization/tokenizerFolder';

const bert = BertTokenizer.from(loadTokenizerFolder('models/tokenizers/bert-base-chinese'));
const scheme = new BioScheme(DEFAULT_LABEL_TYPES);
const SMALL: WindowOptions = { maxLength: 34, overlap: 8 };

/** Label ids of the encoded examples as a model that is always right would predict them (-100 read as O). */
const goldPredictions = (r: EncodedEntityRecord): number[][] => r.examples.map((e) => e.labelIds.map((id) => (id === IGNORED_LABEL ? 0 : id)));
const asLabels = (spans: readonly PredictedEntity[]): EntityLabel[] => spans.map(({ entity, start, end }) => ({ entity, start, end }));
const sortLabels = (labels: readonly EntityLabel[]): EntityLabel[] =>
  [...labels].sort((a, b) => a.start - b.start || a.end - b.end || (a.entity < b.entity ? -1 : 1));

describe('entities: BIO scheme and windows', () => {
  it('names O, then B-/I- per type in schema order, with the tags', () => {
    assert.deepEqual(scheme.names, ['O', 'B-LOAN_AMOUNT', 'I-LOAN_AMOUNT', 'B-GUARANTEE_TYPE', 'I-GUARANTEE_TYPE', 'B-REPAY_PERIOD', 'I-REPAY_PERIOD']);
    assert.deepEqual(scheme.tagOf(3), { kind: 'B', type: DEFAULT_LABEL_TYPES[1] });
    assert.deepEqual(scheme.tagOf(IGNORED_LABEL), { kind: 'O' });
    assert.deepEqual(scheme.tagOf(7), { kind: 'O' });
  });

  it('cuts long texts into overlapping windows, each token owned by exactly one, farthest from the edges', () => {
    assert.deepEqual(tokenWindows(10, { maxLength: 6, overlap: 2 }), [
      { start: 0, end: 4, ownStart: 0, ownEnd: 3 },
      { start: 2, end: 6, ownStart: 3, ownEnd: 5 },
      { start: 4, end: 8, ownStart: 5, ownEnd: 7 },
      { start: 6, end: 10, ownStart: 7, ownEnd: 10 },
    ]);
    assert.deepEqual(tokenWindows(510), [{ start: 0, end: 510, ownStart: 0, ownEnd: 510 }]);
    const rng = new Rng(3);
    for (let k = 0; k < 200; k++) {
      const n = rng.int(0, 3000);
      const maxLength = rng.int(3, 600);
      const overlap = rng.int(0, maxLength - 3);
      const windows = tokenWindows(n, { maxLength, overlap }, k % 2 === 0 ? undefined : (t) => (t * 7919) % 101);
      let next = 0;
      for (const w of windows) {
        assert.ok(w.end - w.start <= maxLength - 2 && w.start <= w.ownStart && w.ownEnd <= w.end, JSON.stringify({ n, maxLength, overlap, w }));
        assert.equal(w.ownStart, next);
        next = w.ownEnd;
      }
      assert.equal(next, n);
    }
    assert.throws(() => tokenWindows(5, { maxLength: 10, overlap: 8 }), /window overlap 8 must be an integer from 0 to 7/);
  });

  it('starts a window at the best-ranked token within overlap/2 of its regular place, keeping every token owned once', () => {
    // 0 + 382: of [318, 446], 360 ranks best. 360 + 382 = 742: of [678, 806], 700. 700 + 382 = 1082:
    // no ranked token in [1018, 1146], so the best of the rest: 1018 (rank 1000 + t). The text ends
    // at 1700: the last window starts at 1190.
    const ranks = new Map([
      [100, 0],
      [330, 5],
      [360, 1],
      [690, 9],
      [700, 3],
    ]);
    const windows = tokenWindows(1700, { maxLength: 512, overlap: 128 }, (t) => ranks.get(t) ?? 1000 + t);
    assert.deepEqual(
      windows.map((w) => w.start),
      [0, 360, 700, 1018, 1700 - 510],
    );
    let next = 0;
    for (const w of windows) {
      assert.equal(w.ownStart, next);
      next = w.ownEnd;
    }
    assert.equal(next, 1700);
  });

  it('after an edit that adds tokens near the start of a long contract, the windows after it hold the same token ids as before', () => {
    const records = generateRecords(new Rng(21));
    const text = records
      .slice(0, 40)
      .map((r) => r.text)
      .join('\n');
    const chars = Array.from(text);
    const edited = [...chars.slice(0, 50), '另附😀补充条款三项。', ...chars.slice(50)].join('');
    const before = encodeText(bert, text);
    const after = encodeText(bert, edited);
    assert.ok(after.windows.length >= 4, `${after.windows.length} windows`);
    const known = new Set(before.inputIds.map((ids) => ids.join(' ')));
    const rerun = after.inputIds.filter((ids) => !known.has(ids.join(' '))).length;
    // The window holding the edit (and at most one whose sentence anchor the shift moved) is new.
    assert.ok(rerun <= 2, `${rerun} of ${after.windows.length} windows changed`);
  });
});

describe('entities: encoding labels to token label ids', () => {
  const text = '借款人😀𠀋申请借款金额RMB500万元，\r\n担保方式为抵押，还款期限3年';
  const labels: EntityLabel[] = [
    { entity: '借款金额', start: 14, end: 19 },
    { entity: 'GUARANTEE_TYPE', start: 27, end: 29 },
    { entity: '还款期限', start: 34, end: 36 },
  ];

  it('gives B- to the first token of a label, I- to the rest, O outside, -100 to [CLS]/[SEP], on code points', () => {
    assert.equal(codePointSlice(text, 14, 19), '500万元');
    assert.equal(codePointSlice(text, 27, 29), '抵押');
    const r = encodeEntityRecord(bert, scheme, { text, labels });
    assert.deepEqual(r.problems, []);
    assert.equal(r.examples.length, 1);
    const pieces = r.tokens.ids.map((_, j) => codePointSlice(text, r.tokens.starts[j], r.tokens.ends[j]));
    const tagged = pieces.map((p, j) => `${p}/${scheme.names[r.examples[0].labelIds[j + 1]]}`);
    assert.deepEqual(tagged.slice(11, 16), ['RMB/O', '500/B-LOAN_AMOUNT', '万/I-LOAN_AMOUNT', '元/I-LOAN_AMOUNT', '，/O']);
    assert.ok(tagged.includes('抵/B-GUARANTEE_TYPE') && tagged.includes('押/I-GUARANTEE_TYPE') && tagged.includes('3/B-REPAY_PERIOD'));
    assert.equal(r.examples[0].labelIds[0], IGNORED_LABEL);
    assert.equal(r.examples[0].labelIds.at(-1), IGNORED_LABEL);
    assert.equal(r.examples[0].inputIds.length, r.examples[0].labelIds.length);
  });

  it('round-trips: decoding the gold label ids gives back the labels, with values, in windows too', () => {
    for (const options of [undefined, SMALL, { maxLength: 5, overlap: 1 }]) {
      const r = encodeEntityRecord(bert, scheme, { text, labels }, options);
      const decoded = decodeEntities(r, scheme, goldPredictions(r));
      assert.deepEqual(asLabels(decoded), [
        { entity: '借款金额', start: 14, end: 19 },
        { entity: '担保方式', start: 27, end: 29 },
        { entity: '还款期限', start: 34, end: 36 },
      ]);
      assert.deepEqual(
        decoded.map((d) => d.value),
        ['500万元', '抵押', '3年'],
      );
    }
  });

  it('a token that straddles a label boundary gets -100 and the label is reported, not silently moved', () => {
    const r = encodeEntityRecord(bert, scheme, { text: '金额abc元', labels: [{ entity: '借款金额', start: 3, end: 6 }] });
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].kind, 'token-boundary');
    assert.match(r.problems[0].message, /label 借款金额 \[3, 6\) "bc元" does not start and end at token boundaries \(tokens \["abc","元"\]\)/);
    assert.deepEqual(r.problems[0].kind === 'token-boundary' && r.problems[0].tokens, ['abc', '元']);
    assert.deepEqual(r.examples[0].labelIds, [IGNORED_LABEL, 0, 0, IGNORED_LABEL, scheme.beginId(0), IGNORED_LABEL]);
  });

  it('reports unknown types, unusable offsets and overlaps, and trains on the rest', () => {
    const r = encodeEntityRecord(bert, scheme, {
      text: '借款金额500万元',
      labels: [
        { entity: '利率', start: 0, end: 2 },
        { entity: '借款金额', start: 6, end: 20 },
        { entity: '借款金额', start: 4, end: 9 },
        { entity: '还款期限', start: 7, end: 9 },
      ],
    });
    assert.deepEqual(
      r.problems.map((p) => p.kind),
      ['unknown-type', 'bad-offsets', 'overlap'],
    );
    assert.match(r.problems[0].message, /"利率" is not a type of the label schema \(借款金额, 担保方式, 还款期限\)/);
    assert.match(r.problems[2].message, /label 还款期限 \[7, 9\) "万元" overlaps label 借款金额 \[4, 9\) "500万元"/);
    // The same facts as data, for readers that word them their own way (evaluation).
    assert.deepEqual(
      r.problems.map(({ message: _, ...detail }) => detail),
      [
        { kind: 'unknown-type', label: { entity: '利率', start: 0, end: 2 }, knownTypes: ['借款金额', '担保方式', '还款期限'] },
        { kind: 'bad-offsets', label: { entity: '借款金额', start: 6, end: 20 }, textLength: 9 },
        { kind: 'overlap', label: { entity: '还款期限', start: 7, end: 9 }, overlapped: { entity: '借款金额', start: 4, end: 9 } },
      ],
    );
    assert.deepEqual(
      r.gold.map((g) => [g.type.tag, g.start, g.end]),
      [
        ['LOAN_AMOUNT', 4, 9],
        ['REPAY_PERIOD', 7, 9],
      ],
    );
    assert.deepEqual(asLabels(decodeEntities(r, scheme, goldPredictions(r))), [{ entity: '借款金额', start: 4, end: 9 }]);
  });

  it('round-trips every label of the generated sample dataset (emoji, 𠀋, \\r\\n, long records), with 510-token and small windows', () => {
    const records = generateRecords(new Rng(11));
    const texts = records.map((r) => r.text).join('');
    assert.ok(texts.includes('\r\n') && /[\u{10000}-\u{10FFFF}]/u.test(texts), 'the sample holds \\r\\n and non-BMP characters');
    for (const options of [undefined, SMALL]) {
      const split = encodeEntitySplit(bert, scheme, records, options);
      assert.deepEqual(split.problems, []);
      assert.ok(
        split.records.some((r) => r.windows.length > 1),
        'some record needs several windows',
      );
      split.records.forEach((r, i) => {
        const decoded = decodeEntities(r, scheme, goldPredictions(r));
        assert.deepEqual(sortLabels(asLabels(decoded)), sortLabels(records[i].labels.map(({ entity, start, end }) => ({ entity, start, end }))), `record ${i}`);
        decoded.forEach((d) => assert.equal(d.value, codePointSlice(r.text, d.start, d.end)));
      });
    }
  });
});

describe('entities: decoding predictions', () => {
  const text = '借款金额500万元，担保方式为抵押';
  const encoded = encodeText(bert, text);
  // tokens: 借 款 金 额 500 万 元 ， 担 保 方 式 为 抵 押
  const row = (tags: number[]): number[] => [0, ...tags, 0];

  it('label ids: the closest valid BIO path (an I- run without its B- becomes a span), split at a type change, no confidence', () => {
    const I = scheme.insideId(0);
    const B2 = scheme.beginId(1);
    const I2 = scheme.insideId(1);
    const ids = row([0, 0, 0, 0, I, I, I, 0, 0, 0, 0, 0, 0, I2, I2]);
    const spans = decodeEntities(encoded, scheme, [ids]);
    assert.deepEqual(
      spans.map((s) => [s.entity, s.tag, s.start, s.end, s.value, s.confidence]),
      [
        ['借款金额', 'LOAN_AMOUNT', 4, 9, '500万元', null],
        ['担保方式', 'GUARANTEE_TYPE', 15, 17, '抵押', null],
      ],
    );
    // A lone punctuation span (the comma) is never returned.
    assert.deepEqual(decodeEntities(encoded, scheme, [row([0, 0, 0, 0, 0, 0, 0, scheme.beginId(2), 0, 0, 0, 0, 0, 0, 0])]), []);
    const switched = decodeEntities(encoded, scheme, [row([0, 0, 0, 0, scheme.beginId(0), I, B2, 0, 0, 0, 0, 0, 0, 0, 0])]);
    assert.deepEqual(
      switched.map((s) => [s.tag, s.value, s.confidence]),
      [
        ['LOAN_AMOUNT', '500万', null],
        ['GUARANTEE_TYPE', '元', null],
      ],
    );
  });

  it("takes each token's prediction from the window that owns it", () => {
    const small = encodeText(bert, text, { maxLength: 8, overlap: 4 });
    assert.ok(small.windows.length > 2);
    // Every window predicts LOAN_AMOUNT for 500万元 but, outside the tokens it owns, a wrong B-REPAY_PERIOD.
    const gold = [0, 0, 0, 0, scheme.beginId(0), scheme.insideId(0), scheme.insideId(0), 0, 0, 0, 0, 0, 0, 0, 0];
    const rows = small.windows.map((w) => [
      0,
      ...gold.slice(w.start, w.end).map((id, k) => (w.start + k >= w.ownStart && w.start + k < w.ownEnd ? id : scheme.beginId(2))),
      0,
    ]);
    assert.deepEqual(asLabels(decodeEntities(small, scheme, rows)), [{ entity: '借款金额', start: 4, end: 9 }]);
  });

  it('refuses predictions that do not fit the windows', () => {
    assert.throws(() => decodeEntities(encoded, scheme, []), PredictionShapeError);
    assert.throws(() => decodeEntities(encoded, scheme, [[0, 0]]), /window 0: 2 predicted labels for 17 input tokens/);
  });
});

describe('entities: evaluate/entities answers with the micro span F1 of the dev predictions', () => {
  const records = generateRecords(new Rng(5)).slice(0, 40);
  const dev: EncodedEntitySplit = encodeEntitySplit(bert, scheme, records, SMALL);
  const perfect = dev.records.flatMap(goldPredictions);

  it('perfect predictions score 1; all-O predictions score 0 with recall 0', () => {
    const labels = records.reduce((n, r) => n + r.labels.length, 0);
    assert.ok(labels > 100);
    const best = evaluateEntities(dev, { jobId: 'j', epoch: 1, predictions: perfect });
    assert.equal(best.metric, 1);
    assert.equal(best.name, 'micro span F1');
    const none = evaluateEntities(dev, { jobId: 'j', epoch: 2, predictions: perfect.map((r) => r.map(() => 0)) });
    assert.equal(none.metric, 0);
    assert.equal(none.details?.recall, 0);
    assert.equal(none.details?.precision, null);
  });

  it('one span predicted as another type is a miss and a false alarm: hand-computed F1', () => {
    const total = records.reduce((n, r) => n + r.labels.length, 0);
    const predictions = perfect.map((r) => r.slice());
    // In the first example: the first LOAN_AMOUNT span becomes GUARANTEE_TYPE (one miss, one false alarm).
    const first = predictions[0];
    const b = first.indexOf(scheme.beginId(0));
    assert.ok(b > 0);
    for (let t = b; first[t] === scheme.beginId(0) || (t > b && first[t] === scheme.insideId(0)); t++)
      first[t] = t === b ? scheme.beginId(1) : scheme.insideId(1);
    const result = evaluateEntities(dev, { jobId: 'j', epoch: 1, predictions });
    // matched = total - 1, gold = total, predicted = total: F1 = 2(total-1) / 2 total.
    assert.ok(Math.abs(result.metric - (total - 1) / total) < 1e-12, `${result.metric}`);
  });

  it("refuses a prediction count that is not the dev set's", () => {
    assert.throws(
      () => evaluateEntities(dev, { jobId: 'j', epoch: 1, predictions: perfect.slice(1) }),
      new RegExp(`${perfect.length - 1} predicted examples for a dev set of ${perfect.length}`),
    );
  });
});
