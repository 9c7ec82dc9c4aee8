import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { standaloneReportHtml } from '../../src/common/evaluationReportHtml';
import type { EntityEvaluationReport } from '../../src/common/evaluationReport';
import { LabelSchema } from '../../src/common/labelSchema';
import type { FeatureColumn } from '../../src/server/credit/creditColumns';
import { BioScheme } from '../../src/server/entities/bioScheme';
import { encodeEntityRecord, type EntityLabel } from '../../src/server/entities/entityEncoding';
import { DEFAULT_WINDOW_OPTIONS } from '../../src/server/entities/tokenWindows';
import { fitBaselineEncoder } from '../../src/server/evaluation/baselineFeatures';
import { classifierFigures } from '../../src/server/evaluation/classifierFigures';
import { evaluateEntityModel, type PredictTokenScores } from '../../src/server/evaluation/entityEvaluation';
import type { EntityModelFolder } from '../../src/server/inference/entityModelFolder';
import { evaluationMarkdown } from '../../src/server/evaluation/evaluationMarkdown';
import { fitLogisticRegression, predictProbability } from '../../src/server/evaluation/logisticRegression';
import { TypeConfusionTally, unmatchedSpans } from '../../src/server/evaluation/spanErrors';
import { BertTokenizer } from '../../src/server/tokenization/bertTokenizer';
import { loadTokenizerFolder } from '../../src/server/tokenization/tokenizerFolder';

const repo = path.resolve(__dirname, '..', '..', '..');
const close = (actual: number | null | undefined, expected: number, what: string, tolerance = 1e-12): void => {
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < tolerance, `${what}: ${actual} != ${expected}`);
};

describe('evaluation: misses, false alarms and the confusion between types', () => {
  it('pairs a same-span different-type prediction, finds boundary errors, and counts the rest (hand-computed)', () => {
    const gold = [
      { type: 'A', start: 0, end: 2 },
      { type: 'B', start: 5, end: 7 },
      { type: 'A', start: 10, end: 12 },
    ];
    const predicted = [
      { type: 'A', start: 0, end: 2 },
      { type: 'A', start: 5, end: 7 },
      { type: 'B', start: 11, end: 13 },
      { type: 'C', start: 20, end: 22 },
    ];
    const { matched, unmatched } = unmatchedSpans(gold, predicted);
    assert.deepEqual(matched, [{ type: 'A', start: 0, end: 2 }]);
    assert.deepEqual(
      unmatched.map((u) => [u.kind, u.span.type, u.span.start, u.relation, u.other?.type ?? null]),
      [
        ['miss', 'B', 5, 'type', 'A'],
        ['miss', 'A', 10, 'boundary', 'B'],
        ['falseAlarm', 'A', 5, 'type', 'B'],
        ['falseAlarm', 'B', 11, 'boundary', 'A'],
        ['falseAlarm', 'C', 20, 'none', null],
      ],
    );
    const tally = new TypeConfusionTally(['A', 'B', 'C']);
    tally.add(matched, unmatched);
    assert.deepEqual(tally.result(), {
      types: ['A', 'B', 'C'],
      // rows gold A, B, C; columns predicted A, B, C
      cells: [
        [1, 0, 0],
        [1, 0, 0],
        [0, 0, 0],
      ],
      missed: [1, 0, 0],
      boundary: [1, 0, 0],
      falseAlarms: [0, 1, 1],
    });
  });

  it('duplicates match as often as they occur, like the span metric', () => {
    const span = { type: 'A', start: 1, end: 3 };
    const { matched, unmatched } = unmatchedSpans([span, span], [span]);
    assert.equal(matched.length, 1);
    assert.deepEqual(
      unmatched.map((u) => [u.kind, u.relation]),
      [['miss', 'boundary']],
    );
  });
});

describe('evaluation: an entity model on a dataset (predictions given as label ids)', () => {
  const schema = new LabelSchema();
  const tokenizer = BertTokenizer.from(loadTokenizerFolder(path.join(repo, 'models', 'tokenizers', 'bert-base-chinese')));
  const model: EntityModelFolder = {
    dir: '/models/m',
    name: 'm',
    onnxFile: '/models/m/model.onnx',
    int8File: undefined,
    tokenizer,
    scheme: new BioScheme(schema.types),
    windows: DEFAULT_WINDOW_OPTIONS,
    calibration: undefined,
    spanShapes: new Map(),
    crf: undefined,
    segmenter: undefined,
  };
  const summary = {
    dir: '/models/m',
    task: 'entities' as const,
    trainedOn: null,
    training: {
      devMetricName: 'micro span F1',
      bestEpoch: 2,
      epochs: [
        { epoch: 1, trainLoss: 1.5, devMetric: 0.4 },
        { epoch: 2, trainLoss: 0.7, devMetric: 0.8 },
      ],
    },
  };

  // Record texts with characters outside the BMP and an escaped \r\n before the spans.
  const t1 = '😀借款金额500万元，担保方式为抵押';
  const t2 = '𠀋第二条\r\n还款期限3年，借款200万元';
  const label = (text: string, entity: string, value: string, from = 0): EntityLabel & { value: string } => {
    const start = [...text].findIndex((_, i) => [...text].slice(i, i + [...value].length).join('') === value && i >= from);
    return { entity, value, start, end: start + [...value].length };
  };
  const gold1 = [label(t1, '借款金额', '500万元'), label(t1, '担保方式', '抵押')];
  const gold2 = [label(t2, '还款期限', '3年'), label(t2, '借款金额', '200万元')];
  const dataset = [JSON.stringify({ id: 'a', text: t1, labels: gold1 }), 'not json', '', JSON.stringify({ id: 'b', text: t2, labels: gold2 })].join('\n');

  /** Log-probabilities that make each token's label id (-100: O) the likely one: 0.9, the rest sharing 0.1. */
  const labelCount = model.scheme.names.length;
  const scoresOf = (ids: readonly number[]): Float32Array => {
    const out = new Float32Array(ids.length * labelCount).fill(Math.log(0.1 / (labelCount - 1)));
    ids.forEach((id, t) => (out[t * labelCount + (id < 0 ? 0 : id)] = Math.log(0.9)));
    return out;
  };
  /** The model "predicts" these labels: their BIO encoding, as sure token distributions. */
  const predictorOf = (predicted: EntityLabel[][]): PredictTokenScores => {
    const rows = [t1, t2].flatMap((text, r) =>
      encodeEntityRecord(tokenizer, model.scheme, { text, labels: predicted[r] }).examples.map((e) => scoresOf(e.labelIds)),
    );
    let next = 0;
    return async (batch) => {
      const out = rows.slice(next, next + batch.length);
      next += batch.length;
      return out;
    };
  };

  it('scores strictly per type, micro and macro, and lists each miss and false alarm at its line, code points and columns', async () => {
    // Record 1: the amount right, the guarantee as a period (type confusion). Record 2: the period right,
    // the amount one character short (boundary), and a false alarm on 第二条.
    const predicted = [
      [gold1[0], { entity: '还款期限', start: gold1[1].start, end: gold1[1].end }],
      [gold2[0], { entity: '借款金额', start: gold2[1].start, end: gold2[1].end - 1 }, { entity: '担保方式', start: 1, end: 4 }],
    ];
    const report = await evaluateEntityModel(model, summary, dataset, 'dd.jsonl', predictorOf(predicted));
    assert.deepEqual(report.data, { file: 'dd.jsonl', records: 2, goldSpans: 4, predictedSpans: 5 });
    // No calibration in this model: threshold 0, every decoded span counted; each token's label at 0.9
    // puts every span's score (a geometric mean of 0.9s and ~0.98) in the 0.9-1.0 bin, where 2 of 5 are right.
    assert.deepEqual([report.confidence.threshold, report.confidence.source, report.confidence.candidateSpans], [0, 'none', 5]);
    assert.deepEqual(
      report.confidence.reliability.filter((b) => b.count > 0).map((b) => [b.from, b.count, b.precision]),
      [[0.9, 5, 0.4]],
    );
    assert.deepEqual(report.problems, ['dd.jsonl:2: malformed JSON: unexpected character "o" (U+006F) at column 2; not evaluated']);
    assert.deepEqual(report.notes, []);
    const byType = Object.fromEntries(report.types.map((t) => [t.type, t]));
    // 借款金额: gold 2, predicted 2, matched 1 -> P 1/2, R 1/2, F1 1/2.
    assert.deepEqual([byType['借款金额'].gold, byType['借款金额'].predicted, byType['借款金额'].matched], [2, 2, 1]);
    close(byType['借款金额'].f1, 0.5, '借款金额 F1');
    // 担保方式: gold 1, predicted 1 (the false alarm), matched 0 -> F1 0.
    close(byType['担保方式'].f1, 0, '担保方式 F1');
    // 还款期限: gold 1, predicted 2, matched 1 -> P 1/2, R 1, F1 2/3.
    close(byType['还款期限'].precision, 0.5, '还款期限 precision');
    close(byType['还款期限'].f1, 2 / 3, '还款期限 F1');
    // micro: matched 2 of 4 gold and 5 predicted -> P 2/5, R 1/2, F1 4/9; macro (1/2 + 0 + 2/3) / 3.
    close(report.micro.precision, 0.4, 'micro P');
    close(report.micro.recall, 0.5, 'micro R');
    close(report.micro.f1, 4 / 9, 'micro F1');
    close(report.macro.f1, (0.5 + 0 + 2 / 3) / 3, 'macro F1');
    assert.deepEqual(report.confusion.cells[1], [0, 0, 1], '担保方式 predicted as 还款期限 at the same span');
    assert.deepEqual(
      [report.confusion.missed, report.confusion.boundary, report.confusion.falseAlarms],
      [
        [1, 0, 0],
        [1, 0, 0],
        [1, 1, 0],
      ],
    );

    assert.equal(report.errorsTotal, 5);
    assert.deepEqual(
      report.errors.map((e) => [e.kind, e.type, e.line, e.start, e.end, e.text, e.other.relation]),
      [
        ['miss', '担保方式', 0, gold1[1].start, gold1[1].end, '抵押', 'type'],
        ['falseAlarm', '还款期限', 0, gold1[1].start, gold1[1].end, '抵押', 'type'],
        ['falseAlarm', '担保方式', 3, 1, 4, '第二条', 'none'],
        ['miss', '借款金额', 3, gold2[1].start, gold2[1].end, '200万元', 'boundary'],
        ['falseAlarm', '借款金额', 3, gold2[1].start, gold2[1].end - 1, '200万', 'boundary'],
      ],
    );
    // Columns point at the span in the line as written: after 😀 (two UTF-16 units) and the escaped \r\n.
    const lines = dataset.split('\n');
    for (const e of report.errors) assert.equal(lines[e.line].slice(e.columns!.start, e.columns!.end), e.text, `columns of ${e.text}`);
  });

  it('a label of a type the model does not know is a problem (left out); one inside a token is a note (counted)', async () => {
    const text = '借款RMB5299万元';
    const record = JSON.stringify({
      text,
      labels: [
        { entity: '利率', start: 0, end: 2 },
        { entity: '借款金额', start: 6, end: 11 },
      ],
    });
    const predict: PredictTokenScores = async (batch) => batch.map((ids) => scoresOf(ids.map(() => 0)));
    const report = await evaluateEntityModel(model, summary, record, 'x.jsonl', predict);
    assert.equal(report.problems.length, 1);
    assert.match(report.problems[0], /^x\.jsonl:1: .*"利率" is not a type the model knows.*; left out of the figures$/);
    assert.equal(report.notes.length, 1);
    assert.match(report.notes[0], /^x\.jsonl:1: .*does not start and end at token boundaries.*\(it is counted\)$/);
    assert.deepEqual([report.data.goldSpans, report.errorsTotal], [1, 1]);
  });

  it('a byte order mark does not move the columns (editors do not show it)', async () => {
    const predicted = [[gold1[0]], gold2];
    const report = await evaluateEntityModel(model, summary, `\ufeff${dataset}`, 'dd.jsonl', predictorOf(predicted));
    const miss = report.errors.find((e) => e.line === 0)!;
    assert.equal(dataset.split('\n')[0].slice(miss.columns!.start, miss.columns!.end), '抵押');
  });

  it('reads the dataset as validate does: lines that are not records in its words, a lone \\r ends a line, labels that are not objects left out', async () => {
    const content = ['[1]', '{"text": 5}', '', `${JSON.stringify({ text: '第二条', labels: 'x' })}\r${JSON.stringify({ text: '第二条', labels: [7] })}`].join(
      '\n',
    );
    const predict: PredictTokenScores = async (batch) => batch.map((ids) => scoresOf(ids.map(() => 0)));
    const report = await evaluateEntityModel(model, summary, content, 'x.jsonl', predict);
    assert.deepEqual(report.problems, [
      'x.jsonl:1: each line must be a JSON object with a "text" field; not evaluated',
      'x.jsonl:2: "text" must be a string, not a number; not evaluated',
      'x.jsonl:4: "labels" is not a list; the record is evaluated as having no gold labels',
      'x.jsonl:5: labels[0] is not {"entity", "start", "end"}; left out of the figures',
    ]);
    assert.equal(report.data.records, 2);
  });

  it('a perfect prediction scores 1; the Markdown and the standalone HTML show the same figures', async () => {
    const report = await evaluateEntityModel(model, summary, dataset, 'dd.jsonl', predictorOf([gold1, gold2]));
    assert.equal(report.micro.f1, 1);
    assert.equal(report.errors.length, 0);
    const markdown = evaluationMarkdown(report);
    assert.match(markdown, /\| micro +\| +4 \| +4 \| +4 \| +1\.000 \| +1\.000 \| +1\.000 \|/);
    assert.match(markdown, /\| 2 \(kept\) +\| +0\.7000 \| +0\.8000 \|/);
    const html = standaloneReportHtml(report as EntityEvaluationReport);
    assert.match(html, /data-figure="micro-f1">1\.000</);
    assert.doesNotMatch(html, /<script/i, 'the saved page needs no script');
    assert.match(html, /<svg class="chart"[^>]*aria-label="Training loss per epoch"/);
  });
});

describe('evaluation: binary classifier figures', () => {
  it('ROC points, AUC, KS, Gini, Brier, P/R/F1 at the threshold and reliability bins (hand-computed)', () => {
    const f = classifierFigures([1, 0, 1, 0], [0.9, 0.8, 0.4, 0.1], 0.5);
    close(f.auc, 0.75, 'AUC');
    close(f.gini, 0.5, 'Gini');
    close(f.ks, 0.5, 'KS');
    close(f.brier, 1.02 / 4, 'Brier');
    assert.deepEqual(f.confusion, { truePositives: 1, falsePositives: 1, trueNegatives: 1, falseNegatives: 1 });
    assert.deepEqual(f.atThreshold, { precision: 0.5, recall: 0.5, f1: 0.5 });
    assert.deepEqual(f.roc, [
      { x: 0, y: 0 },
      { x: 0, y: 0.5 },
      { x: 0.5, y: 0.5 },
      { x: 0.5, y: 1 },
      { x: 1, y: 1 },
    ]);
    assert.equal(f.reliability.length, 10);
    assert.deepEqual(
      f.reliability.filter((b) => b.rows > 0).map((b) => [b.from, b.rows, b.meanPredicted, b.observedRate]),
      [
        [0.1, 1, 0.1, 0],
        [0.4, 1, 0.4, 1],
        [0.8, 1, 0.8, 0],
        [0.9, 1, 0.9, 1],
      ],
    );
  });

  it('tied scores make one ROC point; one class only leaves AUC, KS and the curve undefined', () => {
    assert.deepEqual(classifierFigures([1, 0, 1], [0.5, 0.5, 0.9], 0.5).roc, [
      { x: 0, y: 0 },
      { x: 0, y: 0.5 },
      { x: 1, y: 1 },
    ]);
    const one = classifierFigures([0, 0], [0.2, 0.7], 0.5);
    assert.deepEqual([one.auc, one.ks, one.gini, one.roc.length], [null, null, null, 0]);
    assert.equal(one.atThreshold.precision, 0);
    assert.equal(one.atThreshold.recall, null);
  });
});

describe('evaluation: logistic regression (Newton / IRLS with L2)', () => {
  it('meets the optimality condition of a case solved by hand: x = ±1, y = 0/1, λ = 1 gives w = 2σ(−w) ≈ 0.6748, intercept 0', () => {
    const m = fitLogisticRegression([[-1], [1]], [0, 1], { l2: 1 });
    assert.ok(m.converged);
    close(m.intercept, 0, 'intercept', 1e-9);
    const w = m.weights[0];
    close(w, 2 / (1 + Math.exp(w)), 'λw = 2σ(−w)', 1e-9);
    close(w, 0.6748, 'w', 1e-3);
  });

  it('the unpenalised intercept is the log-odds of the base rate when the features carry nothing', () => {
    const m = fitLogisticRegression([[0], [0], [0], [0]], [1, 1, 1, 0], { l2: 1 });
    close(m.weights[0], 0, 'w', 1e-12);
    close(m.intercept, Math.log(3), 'intercept = logit(3/4)', 1e-9);
    close(predictProbability(m, [0]), 0.75, 'P', 1e-9);
  });

  it('separable data stays finite under the penalty and ranks every row right', () => {
    const x = [
      [-2, 1],
      [-1, 0],
      [1, 1],
      [2, 0],
    ];
    const m = fitLogisticRegression(x, [0, 0, 1, 1], { l2: 0.1 });
    assert.ok(m.converged && m.weights.every(Number.isFinite));
    const p = x.map((r) => predictProbability(m, r));
    assert.ok(p[0] < 0.5 && p[1] < 0.5 && p[2] > 0.5 && p[3] > 0.5, p.join(', '));
    assert.throws(() => fitLogisticRegression(x, [0, 1, 1, 0], { l2: 0 }), /L2 penalty must be positive/);
  });
});

describe("evaluation: the baseline's features", () => {
  it('imputes, standardises numerics and one-hot encodes categories with statistics of the training rows only', () => {
    const features: FeatureColumn[] = [
      { name: 'tax', index: 1, kind: 'float', decimals: 1 },
      { name: 'region', index: 2, kind: 'categorical', decimals: 0 },
    ];
    const training = [
      ['a', '1.0', '华东'],
      ['b', '3.0', '华南'],
      ['c', '', '华东'],
    ];
    const encoder = fitBaselineEncoder(features, training);
    assert.deepEqual(encoder.names, ['tax', 'region=华东', 'region=华南']);
    // tax: mean imputation 2.0, so the training values are 1, 3, 2: mean 2, sd sqrt(2/3).
    const sd = Math.sqrt(2 / 3);
    assert.deepEqual(encoder.encode(training[0]), [-1 / sd, 1, 0]);
    assert.deepEqual(encoder.encode(['x', '', '']), [0, 1, 0], 'missing: the training mean and mode');
    assert.deepEqual(encoder.encode(['x', '5', '西北']), [3 / sd, 0, 0], 'a category unseen in training is all zeros');
  });
});

describe('evaluation: the baseline leaves out identifier-like categories', () => {
  it('a categorical column with more than MAX_CATEGORIES distinct values is not one-hot encoded, and is named', () => {
    const features: FeatureColumn[] = [
      { name: '企业名称', index: 0, kind: 'categorical', decimals: 0 },
      { name: 'tax', index: 1, kind: 'float', decimals: 1 },
    ];
    const training = Array.from({ length: 60 }, (_, i) => [`企业${i}`, `${i}.0`]);
    const encoder = fitBaselineEncoder(features, training);
    assert.deepEqual(encoder.names, ['tax']);
    assert.deepEqual(encoder.leftOut, ['企业名称 (60 distinct values in 60 training rows)']);
    assert.equal(encoder.encode(training[0]).length, 1);
  });
});
