import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEFAULT_LABEL_TYPES, LabelSchema } from '../../src/common/labelSchema';
import type { RecordView } from '../../src/common/lspProtocol';
import { SHIPPED_ENTITY_MODEL } from '../../src/common/shippedModels';
import { nextUncertainCreditRow } from '../../src/server/credit/uncertainRows';
import type { CreditFileRows, CreditRow } from '../../src/server/credit/creditRows';
import { csvRowProblem } from '../../src/server/credit/csvTable';
import { JsonlDocumentModel } from '../../src/server/dataset/documentModel';
import { recordView } from '../../src/server/dataset/recordView';
import { editRecordLabels } from '../../src/server/dataset/recordLabelEdit';
import { encodeText } from '../../src/server/entities/entityEncoding';
import { EntityPredictor } from '../../src/server/inference/entityPredictor';
import { argmaxLabels, logSoftmaxRows, OnnxTokenClassifier } from '../../src/server/inference/onnxTokenClassifier';
import { BioScheme } from '../../src/server/entities/bioScheme';
import { decodeEntityScores } from '../../src/server/entities/entityDecoding';
import { disagreements } from '../../src/server/predictions/disagreements';
import { modelFilter, nextUncertain, uncertaintyRanking } from '../../src/server/predictions/modelFilters';
import { RecordPredictions } from '../../src/server/predictions/recordPredictions';
import { repoRoot } from '../support/tinyEntityModel';

const softmax = (logits: number[]): number[] => {
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
};

describe('token log-probabilities and margins on the constrained path', () => {
  it('logSoftmaxRows gives each real token the log softmax of its logits (padding left out)', () => {
    // batch 2, padded length 3, 4 labels; the second sequence has 2 real tokens.
    const rows = [
      [2, 1, 0, -1],
      [0, 0, 3, 0],
      [1, 1, 1, 1],
      [5, -2, 4.5, 0],
      [-1, 0.5, 0.25, 0.5],
      [9, 9, 9, 9],
    ];
    const result = logSoftmaxRows(Float32Array.from(rows.flat()), [3, 2], 3, 4);
    assert.deepEqual(
      result.map((r) => r.length),
      [12, 8],
      'padding is not predicted',
    );
    const real = [
      [rows[0], rows[1], rows[2]],
      [rows[3], rows[4]],
    ];
    real.forEach((seq, b) =>
      seq.forEach((logits, t) => {
        softmax(logits).forEach((p, k) => assert.ok(Math.abs(Math.exp(result[b][t * 4 + k]) - p) < 1e-6, `sequence ${b} token ${t} label ${k}`));
      }),
    );
    assert.deepEqual(argmaxLabels(result[0], 4), [0, 2, 0], 'ties go to the first label');
  });

  it("a text's uncertainty is the lowest margin, p(path tag) - p(best other tag), among the tokens each window owns", () => {
    const scheme = new BioScheme(DEFAULT_LABEL_TYPES.slice(0, 1));
    const encoded = {
      text: 'abcd',
      tokens: { ids: [1, 2, 3, 4], starts: [0, 1, 2, 3], ends: [1, 2, 3, 4] },
      windows: [
        { start: 0, end: 3, ownStart: 0, ownEnd: 2 },
        { start: 1, end: 4, ownStart: 2, ownEnd: 4 },
      ],
      inputIds: [],
    } as unknown as Parameters<typeof decodeEntityScores>[0];
    const lp = (...p: number[][]): Float32Array => Float32Array.from(p.flat().map(Math.log));
    const cls = [1, 0, 0];
    // Window 0 rows: [CLS] t0 t1 t2 [SEP]; its t2 row (0.34/0.33/0.33) is window 1's token and does not count.
    const w0 = lp(cls, [0.9, 0.05, 0.05], [0.6, 0.3, 0.1], [0.34, 0.33, 0.33], cls);
    // Window 1 rows: [CLS] t1 t2 t3 [SEP]; t3's argmax is I without a B before it: the path says O there.
    const w1 = lp(cls, [0.2, 0.2, 0.6], [0.8, 0.1, 0.1], [0.3, 0.1, 0.6], cls);
    const decoded = decodeEntityScores(encoded, scheme, [w0, w1]);
    assert.deepEqual(decoded.spans, [], 'no I without its B');
    // Margins: t0 0.9-0.05, t1 0.6-0.3, t2 0.8-0.1, t3 (path O) 0.3-0.6.
    assert.ok(Math.abs(decoded.minMargin! - (0.3 - 0.6)) < 1e-6, `${decoded.minMargin}`);
    const empty = { ...encoded, tokens: { ids: [], starts: [], ends: [] }, windows: [{ start: 0, end: 0, ownStart: 0, ownEnd: 0 }] } as unknown as Parameters<
      typeof decodeEntityScores
    >[0];
    assert.equal(decodeEntityScores(empty, scheme, [lp(cls, cls)]).minMargin, null);
    assert.throws(() => decodeEntityScores(encoded, scheme, [w0]), /prediction rows/);
  });
});

/** Unlabelled clauses of varied difficulty, with a labelled one and lines that are not records among them. */
const UNLABELLED = [
  '借款金额500万元,担保方式为抵押,还款期限3年',
  '😀甲方𠀋记商贸有限公司\r\n申请流动资金贷款，金额约为三百万左右，期限待定。',
  '本合同项下的保证方式为连带责任保证，保证期间为主债务履行期届满之日起两年。',
  '天气很好，我们去公园散步吧。',
  '借款人向贷款人申请借款人民币伍佰万元整，借款期限为36个月，担保方式为抵押加连带责任保证。',
  '利率按LPR加50个基点执行，按季结息，到期一次还本。',
];

/** Line 1 is a labelled record of `labelledText`; the other texts are unlabelled records (one without "labels"), with a blank and a malformed line. */
function datasetLines(labelledText: string): string[] {
  const [a, b, ...rest] = UNLABELLED.filter((t) => t !== labelledText);
  return [
    JSON.stringify({ id: 'u0', text: a, labels: [] }),
    JSON.stringify({ id: 'l1', text: labelledText, labels: [{ entity: '借款金额', value: Array.from(labelledText).slice(0, 2).join(''), start: 0, end: 2 }] }),
    JSON.stringify({ id: 'u1', text: b }),
    '',
    '{"id": "broken", "text": ',
    ...rest.map((text, i) => JSON.stringify({ id: `u${i + 2}`, text, labels: [] })),
  ];
}

/** The line of the unlabelled record of `text`. */
function lineOf(lines: readonly string[], text: string): number {
  return lines.findIndex((l) => {
    try {
      const r = JSON.parse(l) as { text: string; labels?: unknown[] };
      return r.text === text && !r.labels?.length;
    } catch {
      return false;
    }
  });
}

describe('the most uncertain unlabelled record, with the shipped default model', function () {
  this.timeout(120_000);
  let predictor: EntityPredictor;
  const schema = new LabelSchema();

  before(async () => {
    predictor = await EntityPredictor.load(join(repoRoot(), SHIPPED_ENTITY_MODEL), { threads: 1 });
  });
  after(async () => {
    await predictor?.release();
  });

  /** Each unlabelled text's lowest token margin, decoded here from its windows run one at a time. */
  async function marginsByText(texts: readonly string[]): Promise<Map<string, number>> {
    const classifier = await OnnxTokenClassifier.create(predictor.onnxFile, predictor.model.scheme.names.length, predictor.model.tokenizer.special.pad, 1);
    try {
      const out = new Map<string, number>();
      for (const text of texts) {
        const encoded = encodeText(predictor.model.tokenizer, text, predictor.model.windows);
        const rows: Float32Array[] = [];
        for (const ids of encoded.inputIds) rows.push((await classifier.run([ids])).logProbs[0]);
        out.set(text, decodeEntityScores(encoded, predictor.model.scheme, rows, undefined, predictor.model.crf).minMargin!);
      }
      return out;
    } finally {
      await classifier.release();
    }
  }

  it("predictions carry the text's lowest token margin, the same from the cache", async () => {
    const first = await predictor.predict(UNLABELLED[1]);
    const again = await predictor.predict(UNLABELLED[1]);
    const expected = (await marginsByText([UNLABELLED[1]])).get(UNLABELLED[1])!;
    assert.ok(first.minMargin !== null && Math.abs(first.minMargin - expected) < 1e-9, `${first.minMargin} vs ${expected}`);
    assert.equal(again.cached, true);
    assert.equal(again.minMargin, first.minMargin);
    assert.equal((await predictor.predict('')).minMargin, null, 'an empty text has no tokens');
  });

  it('ranks the unlabelled records by lowest margin, skips labelled records (even the least sure text), and steps through them', async () => {
    const margins = await marginsByText(UNLABELLED);
    assert.ok(new Set(margins.values()).size === UNLABELLED.length, `distinct margins: ${[...margins.values()].join(', ')}`);
    // The labelled record holds the text the model is least sure of: it must still never be offered.
    const leastSure = [...margins].sort((a, b) => a[1] - b[1])[0][0];
    const lines = datasetLines(leastSure);
    const model = new JsonlDocumentModel(schema);
    model.update(lines.join('\n'));
    const records = new RecordPredictions(() => predictor);

    const first = await records.score(model, 'unlabelled', 2);
    assert.deepEqual(first, { records: 5, scored: 2, predicted: 2, cancelled: false }, 'the budget caps one call');
    const rest = await records.score(model, 'unlabelled', 100);
    assert.deepEqual(rest, { records: 5, scored: 5, predicted: 3, cancelled: false });

    const ranking = uncertaintyRanking(model, records);
    const expectedOrder = UNLABELLED.filter((t) => t !== leastSure)
      .map((text) => ({ line: lineOf(lines, text), margin: margins.get(text)! }))
      .sort((a, b) => a.margin - b.margin || a.line - b.line);
    assert.ok(expectedOrder.every((e) => e.line >= 0));
    assert.deepEqual(
      ranking.records.map((r) => r.line),
      expectedOrder.map((e) => e.line),
    );
    ranking.records.forEach((r, i) => assert.ok(Math.abs(r.minMargin - expectedOrder[i].margin) < 1e-9));
    assert.ok(!ranking.records.some((r) => r.line === 1), 'the labelled record is not ranked');

    // From nowhere: the most uncertain; then each next one in turn; after the last: none.
    let at = nextUncertain(ranking, undefined);
    assert.equal(at?.line, expectedOrder[0].line);
    assert.equal(nextUncertain(ranking, 1)?.line, expectedOrder[0].line, 'from the labelled record: the most uncertain');
    const visited: number[] = [];
    while (at) {
      visited.push(at.line);
      at = nextUncertain(ranking, at.line);
    }
    assert.deepEqual(
      visited,
      expectedOrder.map((e) => e.line),
    );
  });

  it('the annotation view\'s "most uncertain first" filter steps through that order, and "disagrees" keeps the records the model gets wrong', async () => {
    // A labelled record whose labels are exactly the model's predictions: it agrees.
    const agreeText = '😀借款人申请借款人民币叁佰万元整，\r\n借款期限为12个月。';
    const agreeSpans = (await predictor.predict(agreeText)).spans;
    assert.ok(agreeSpans.length > 0, 'the model finds entities in the agreeing record');
    const agreeing = JSON.stringify({
      id: 'agree',
      text: agreeText,
      labels: agreeSpans.map((sp) => ({ entity: sp.entity, value: sp.value, start: sp.start, end: sp.end })),
    });
    const model = new JsonlDocumentModel(schema);
    model.update([...datasetLines(UNLABELLED[4]), agreeing].join('\n'));
    const records = new RecordPredictions(() => predictor);
    await records.score(model, 'unlabelled', 100);
    await records.score(model, 'labelled', 100);
    const ranking = uncertaintyRanking(model, records);
    const filter = modelFilter(model, records, 'uncertain', 'default-entities');
    assert.match(filter.note, /^5 unlabelled records, most uncertain first \(lowest token margin of default-entities\)$/);
    // From the labelled record (index 1), which the filter does not keep.
    let view = recordView(model, schema, { uri: 'file:///x.jsonl', version: 1, index: 1, filter: 'uncertain', direction: 'nearest' }, filter) as RecordView;
    const stepped = [view.line];
    while (view.filter.next !== null) {
      view = recordView(model, schema, { uri: 'file:///x.jsonl', version: 1, index: view.index, filter: 'uncertain', direction: 'next' }, filter) as RecordView;
      stepped.push(view.line);
    }
    assert.equal(stepped[0], ranking.records[0].line, 'nearest from a record outside the ranking: the most uncertain');
    assert.deepEqual(
      stepped,
      ranking.records.map((r) => r.line),
    );
    const back = recordView(
      model,
      schema,
      { uri: 'file:///x.jsonl', version: 1, index: view.index, filter: 'uncertain', direction: 'previous' },
      filter,
    ) as RecordView;
    assert.equal(back.line, ranking.records[ranking.records.length - 2].line, 'Previous goes back in the ranking');

    // Disagreements: the labelled record's gold (its first two characters as a loan amount) is wrong.
    const disagrees = modelFilter(model, records, 'disagrees', 'default-entities');
    const expected: number[] = [];
    for (let line = 0; line < model.lineCount; line++) {
      const text = model.analysis(line).text;
      if (!text || model.analysis(line).labels.length === 0) continue;
      const gold = model.analysis(line).labels.map((l) => ({ tag: l.type!.tag, entity: l.type!.name, start: l.start, end: l.end, value: '' }));
      if (disagreements(gold, (await predictor.predict(text.map.decoded)).spans).length > 0) expected.push(line);
    }
    assert.deepEqual(expected, [1], 'the wrong gold label disagrees; the agreeing record and the unlabelled ones are not in this filter');
    assert.match(disagrees.note, /^1 labelled record where default-entities differs from the labels$/);
    const lines: number[] = [];
    let d = recordView(model, schema, { uri: 'file:///x.jsonl', version: 1, index: 0, filter: 'disagrees', direction: 'nearest' }, disagrees) as RecordView;
    lines.push(d.line);
    while (d.filter.next !== null) {
      d = recordView(model, schema, { uri: 'file:///x.jsonl', version: 1, index: d.index, filter: 'disagrees', direction: 'next' }, disagrees) as RecordView;
      lines.push(d.line);
    }
    assert.deepEqual(lines, expected);
  });

  it('without a model the filters keep nothing (the note says why)', () => {
    const model = new JsonlDocumentModel(schema);
    model.update(datasetLines(UNLABELLED[0]).join('\n'));
    const view = recordView(model, schema, { uri: 'file:///x.jsonl', version: 1, index: 0, filter: 'uncertain', direction: 'nearest' }) as RecordView;
    assert.equal(view.filter.matching, 0);
    assert.equal(view.filter.exhausted, true);
  });

  it('a cancelled scoring stops between slices and says so', async () => {
    const model = new JsonlDocumentModel(schema);
    model.update(
      UNLABELLED.concat(
        UNLABELLED.map((t) => `${t}（副本）`),
        UNLABELLED.map((t) => `附：${t}`),
      )
        .map((text, i) => JSON.stringify({ id: `c${i}`, text }))
        .join('\n'),
    );
    const records = new RecordPredictions(() => predictor);
    let cancelled = false;
    const token = {
      get isCancellationRequested() {
        return cancelled;
      },
      onCancellationRequested: () => ({ dispose: () => undefined }),
    };
    const pending = records.score(model, 'unlabelled', 100, token);
    cancelled = true;
    const result = await pending;
    assert.equal(result.cancelled, true);
    assert.ok(result.scored < 18, `${result.scored} of 18 scored`);
  });
});

describe('the credit row closest to the threshold', () => {
  const row = (line: number, label: 0 | 1 | null): CreditRow => ({ line, endLine: line, prompt: `row ${line}`, imputed: [], label, inputIds: [], cells: [] });
  const file: CreditFileRows = {
    encoding: 'utf-8',
    header: ['企业名称', '是否违约'],
    rows: [row(2, 0), row(3, null), row(4, null), row(5, null), row(6, null), row(7, null), row(8, 1)],
    problems: [csvRowProblem('credit.csv', 6, 'label column holds "x"', '是否违约')],
  };
  const p: Record<number, number> = { 2: 0.5, 3: 0.9, 4: 0.45, 5: 0.7, 6: 0.5, 7: 0.56, 8: 0.5 };

  it('goes to the row with an empty label cell whose P(违约) is closest to the threshold, then the next closest', () => {
    const probability = (r: CreditRow): number | undefined => (r.line === 5 ? undefined : p[r.line]);
    const first = nextUncertainCreditRow(file, '是否违约', probability, 0.5, undefined);
    assert.ok(first.ok);
    // Labelled rows (2, 8) and the row with a bad label (6) are skipped although they sit on the threshold; row 5 is not scored yet.
    assert.deepEqual(first.row, { line: 3, endLine: 3, probability: 0.45, rank: 1 });
    assert.equal(first.unlabelled, 4);
    assert.equal(first.scored, 3);
    const second = nextUncertainCreditRow(file, '是否违约', probability, 0.5, 3);
    assert.ok(second.ok);
    assert.equal(second.row?.line, 6, '|0.56 - 0.5| next');
    const third = nextUncertainCreditRow(file, '是否违约', probability, 0.5, 6);
    assert.ok(third.ok);
    assert.equal(third.row?.line, 2, 'then 0.9');
    const none = nextUncertainCreditRow(file, '是否违约', probability, 0.5, 2);
    assert.ok(none.ok);
    assert.equal(none.row, null);
    const higher = nextUncertainCreditRow(file, '是否违约', probability, 0.85, undefined);
    assert.ok(higher.ok);
    assert.equal(higher.row?.line, 2, 'the threshold decides: 0.9 is closest to 0.85');
  });
});

describe('accepting several suggestions of a record as one edit (addMany)', () => {
  const schema = new LabelSchema();
  const text = '😀甲方𠀋记\r\n借款人民币伍佰万元整，期限36个月，以房产抵押担保。';
  const cps = Array.from(text);
  const at = (value: string): { start: number; end: number } => {
    const start = Array.from(text.slice(0, text.indexOf(value))).length;
    return { start, end: start + Array.from(value).length };
  };
  const line = `{"id": "m1", "text": ${JSON.stringify(text)}, "labels": [], "meta": {"k": 1}}`;

  it('adds every label in start order in one minimal edit of the line, keeping the other keys', () => {
    const model = new JsonlDocumentModel(schema);
    model.update(['{"id": "m0", "text": "x"}', line].join('\n'));
    const amount = at('人民币伍佰万元整');
    const period = at('36个月');
    const result = editRecordLabels(model, schema, 1, {
      kind: 'addMany',
      labels: [
        { ...period, entity: 'REPAY_PERIOD' },
        { ...amount, entity: '借款金额' },
      ],
    });
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.equal(result.edit.range.start.line, 1);
    assert.equal(result.edit.range.end.line, 1);
    const after = line.slice(0, result.edit.range.start.character) + result.edit.newText + line.slice(result.edit.range.end.character);
    const record = JSON.parse(after) as { labels: { entity: string; value: string; start: number; end: number }[]; meta: unknown };
    assert.deepEqual(record.labels, [
      { entity: '借款金额', value: cps.slice(amount.start, amount.end).join(''), start: amount.start, end: amount.end },
      { entity: '还款期限', value: '36个月', start: period.start, end: period.end },
    ]);
    assert.deepEqual(record.meta, { k: 1 });
  });

  it('refuses the whole edit when one label cannot be added, and says which', () => {
    const model = new JsonlDocumentModel(schema);
    model.update(line);
    const bad = editRecordLabels(model, schema, 0, {
      kind: 'addMany',
      labels: [
        { ...at('36个月'), entity: '还款期限' },
        { start: 3, end: 999, entity: '借款金额' },
      ],
    });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.message, /\[3, 999\) is not a non-empty span/);
    const unknown = editRecordLabels(model, schema, 0, { kind: 'addMany', labels: [{ ...at('36个月'), entity: 'NOPE' }] });
    assert.match(unknown.ok ? '' : unknown.message, /Unknown entity type "NOPE"/);
  });
});
