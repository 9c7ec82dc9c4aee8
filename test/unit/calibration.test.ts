// Constrained BIO decoding, span scores, Platt calibration, the best-F1 threshold, the out-of-depth
// rule and the card's "calibration" key. Expected values are computed here independently (brute
// force over every tag sequence, closed forms, sums by hand), never by the code under test.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LABEL_TYPES, LabelSchema } from '../../src/common/labelSchema';
import { chooseThreshold } from '../../src/server/calibration/bestThreshold';
import { confidentSpans, readCalibration, spanConfidence, type EntityCalibration } from '../../src/server/calibration/entityCalibration';
import { fitEntityCalibration } from '../../src/server/calibration/fitEntityCalibration';
import { assessDepth, binomialUpperTail, outOfDepthStats } from '../../src/server/calibration/outOfDepth';
import { fitPlatt, plattTargets } from '../../src/server/calibration/plattScaling';
import { brierScore, reliabilityTable } from '../../src/server/calibration/reliability';
import { BioScheme } from '../../src/server/entities/bioScheme';
import { bioViterbi } from '../../src/server/entities/bioViterbi';
import { decodeEntityScores } from '../../src/server/entities/entityDecoding';
import { encodeText } from '../../src/server/entities/entityEncoding';
import { hasNoContent } from '../../src/server/entities/spanText';
import { Rng } from '../../src/server/util/prng';
import { EntityModelError, loadEntityModelFolder } from '../../src/server/inference/entityModelFolder';
import { EntityPredictor } from '../../src/server/inference/entityPredictor';
import { BertTokenizer } from '../../src/server/tokenization/bertTokenizer';
import { loadTokenizerFolder } from '../../src/server/tokenization/tokenizerFolder';
import { calibrateEntityModelFolder, writeCardCalibration } from '../../src/server/training/calibrateEntityModel';
import { JsonlDocumentModel } from '../../src/server/dataset/documentModel';
import { RecordPredictions } from '../../src/server/predictions/recordPredictions';
import { copyShippedModel, identityCalibration, setCardCalibration } from '../support/calibratedModel';
import { repoRoot } from '../support/tinyEntityModel';

const close = (actual: number | null, expected: number, what: string, eps = 1e-9): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) < eps, `${what}: ${actual} vs ${expected}`);
};
const logit = (p: number): number => Math.log(p / (1 - p));

/** Every tag sequence of n tokens over `labels` labels, valid under BIO written out here: I-k only after B-k or I-k. */
function bruteForceBest(probs: number[][], labels: number): number[] {
  const isInside = (id: number): boolean => id > 0 && id % 2 === 0;
  let best: number[] = [];
  let bestScore = -Infinity;
  const n = probs.length;
  const seq = new Array<number>(n).fill(0);
  const visit = (t: number, score: number): void => {
    if (t === n) {
      if (score > bestScore) {
        bestScore = score;
        best = [...seq];
      }
      return;
    }
    for (let k = 0; k < labels; k++) {
      if (isInside(k) && (t === 0 || (seq[t - 1] !== k && seq[t - 1] !== k - 1))) continue;
      seq[t] = k;
      visit(t + 1, score + Math.log(probs[t][k]));
    }
  };
  visit(0, 0);
  return best;
}

const table = (probs: number[][]): { data: Float32Array; tokens: number; labels: number } => ({
  data: Float32Array.from(probs.flat().map(Math.log)),
  tokens: probs.length,
  labels: probs[0].length,
});

describe('constrained BIO decoding (Viterbi) on hand-built probability tables', () => {
  // Labels: O, B-A, I-A, B-B, I-B.
  it('an argmax of O I-A I-A O becomes B-A I-A O O or O O O O, whichever valid path is likelier, never I-A after O', () => {
    // Token 1 argmax I-A (0.5) but B-A has 0.3: B-A I-A beats O O (0.3*0.6 = 0.18 > 0.2*0.2 = 0.04).
    const probs = [
      [0.9, 0.04, 0.02, 0.02, 0.02],
      [0.2, 0.3, 0.5, 0, 0],
      [0.2, 0.1, 0.6, 0.05, 0.05],
      [0.9, 0.025, 0.025, 0.025, 0.025],
    ].map((r) => r.map((p) => Math.max(p, 1e-6)));
    assert.deepEqual([...bioViterbi(table(probs))], [0, 1, 2, 0]);
    // B-A nearly impossible at token 1: O there; token 2 (argmax I-A .5, B-A .3, O .2) then starts the span.
    probs[1] = [0.45, 1e-6, 0.55, 1e-6, 1e-6];
    probs[2] = [0.2, 0.3, 0.5, 1e-6, 1e-6];
    assert.deepEqual([...bioViterbi(table(probs))], [0, 0, 1, 0]);
    // With B-A at token 2 less likely than O, no span at all.
    probs[2] = [0.3, 0.2, 0.5, 1e-6, 1e-6];
    assert.deepEqual([...bioViterbi(table(probs))], [0, 0, 0, 0]);
    // A text that starts with an I-argmax starts with a B.
    assert.deepEqual(
      [
        ...bioViterbi(
          table([
            [0.1, 0.3, 0.6, 1e-6, 1e-6],
            [0.2, 0.1, 0.7, 1e-6, 1e-6],
          ]),
        ),
      ],
      [1, 2],
    );
  });

  it('an I of another type does not continue a span: B-A I-B is not a path', () => {
    const probs = [
      [0.1, 0.8, 0.05, 0.04, 0.01],
      [0.1, 0.05, 0.3, 0.05, 0.5],
    ];
    // Valid choices for token 1 after B-A: O .1, B-A .05, I-A .3, B-B .05 -> I-A.
    assert.deepEqual([...bioViterbi(table(probs))], [1, 2]);
  });

  it('agrees with a brute-force search over every valid tag sequence on 300 random tables', () => {
    const rng = new Rng(7);
    for (let c = 0; c < 300; c++) {
      const n = 1 + Math.floor(rng.float() * 6);
      const probs = Array.from({ length: n }, () => {
        const raw = Array.from({ length: 5 }, () => rng.float() ** 3 + 1e-4);
        const sum = raw.reduce((a, b) => a + b, 0);
        return raw.map((p) => p / sum);
      });
      const path = [...bioViterbi(table(probs))];
      const expected = bruteForceBest(probs, 5);
      const score = (p: number[]): number => p.reduce((s, k, t) => s + Math.log(probs[t][k]), 0);
      // Equal scores (a tie in float32) may pick either path; the score must be the best.
      assert.ok(Math.abs(score(path) - score(expected)) < 1e-5, `case ${c}: ${path} vs ${expected}`);
      path.forEach((k, t) =>
        assert.ok(!(k > 0 && k % 2 === 0) || (t > 0 && (path[t - 1] === k || path[t - 1] === k - 1)), `case ${c}: I without B in ${path}`),
      );
    }
  });
});

describe('decoded spans: never punctuation alone, scored from their own tokens', () => {
  const bert = BertTokenizer.from(loadTokenizerFolder(join(repoRoot(), 'models', 'tokenizers', 'bert-base-chinese')));
  const scheme = new BioScheme(DEFAULT_LABEL_TYPES);
  const L = scheme.names.length;

  /** Window rows ([CLS] tokens [SEP]) with, per token, the given label at probability p and the rest sharing 1 - p. */
  const rows = (tags: { id: number; p: number }[]): Float32Array => {
    const all = [{ id: 0, p: 0.99 }, ...tags, { id: 0, p: 0.99 }];
    const out = new Float32Array(all.length * L);
    all.forEach(({ id, p }, t) => {
      for (let k = 0; k < L; k++) out[t * L + k] = Math.log(k === id ? p : (1 - p) / (L - 1));
    });
    return out;
  };

  it('hasNoContent: punctuation, symbols and whitespace alone, not a span with a symbol inside', () => {
    for (const v of ['，', '。', '、', '——', '（）', ' ', '\u3000', '¥', '%', '', '：；']) assert.equal(hasNoContent(v), true, JSON.stringify(v));
    for (const v of ['¥500万元', '3年', '抵押', 'A', '5%']) assert.equal(hasNoContent(v), false, v);
  });

  it('a span the model puts on a comma or a full stop alone is not returned; the spans around it are, with their own scores', () => {
    const text = '借款500万元，抵押。';
    const encoded = encodeText(bert, text);
    // tokens: 借 款 500 万 元 ， 抵 押 。
    assert.deepEqual(encoded.tokens.ids.length, 9);
    const B = (k: number, p = 0.9): { id: number; p: number } => ({ id: scheme.beginId(k), p });
    const I = (k: number, p = 0.9): { id: number; p: number } => ({ id: scheme.insideId(k), p });
    const O = { id: 0, p: 0.95 };
    const decoded = decodeEntityScores(encoded, scheme, [rows([O, O, B(0, 0.8), I(0, 0.7), I(0, 0.6), B(2, 0.9), B(1), I(1), B(2, 0.9)])]);
    assert.deepEqual(
      decoded.spans.map((s) => [s.tag, s.value]),
      [
        ['LOAN_AMOUNT', '500万元'],
        ['GUARANTEE_TYPE', '抵押'],
      ],
    );
    // 500万元: geometric mean of p(B) .8, p(I) .7, .6 and p(not I-LOAN_AMOUNT) at the comma (its I-LOAN_AMOUNT share is .1 / 6).
    close(decoded.spans[0].score, Math.pow(0.8 * 0.7 * 0.6 * (1 - 0.1 / 6), 1 / 4), '500万元 score', 1e-6);
    close(decoded.spans[1].score, Math.pow(0.9 * 0.9 * (1 - 0.1 / 6), 1 / 3), '抵押 score', 1e-6);
  });

  it("the span at the end of a text has no token after it: its score is its own tokens' geometric mean", () => {
    const encoded = encodeText(bert, '期限3年');
    const decoded = decodeEntityScores(encoded, scheme, [
      rows([
        { id: 0, p: 0.9 },
        { id: 0, p: 0.9 },
        { id: scheme.beginId(2), p: 0.6 },
        { id: scheme.insideId(2), p: 0.9 },
      ]),
    ]);
    assert.deepEqual(
      decoded.spans.map((s) => s.value),
      ['3年'],
    );
    close(decoded.spans[0].score, Math.sqrt(0.6 * 0.9), 'score', 1e-6);
  });
});

describe('calibration: Platt scaling, reliability, Brier, best-F1 threshold', () => {
  it("Platt scaling on two score values fits each group's smoothed target exactly (closed form)", () => {
    // 6 spans at score 0.8 (5 correct), 4 at 0.3 (1 correct). N+ = 6, N- = 4.
    const scores = [...new Array(6).fill(0.8), ...new Array(4).fill(0.3)];
    const correct = [true, true, true, true, true, false, true, false, false, false];
    const hi = 7 / 8;
    const lo = 1 / 6;
    assert.deepEqual(
      plattTargets(correct),
      correct.map((c) => (c ? hi : lo)),
    );
    const m1 = (5 * hi + lo) / 6;
    const m2 = (hi + 3 * lo) / 4;
    const a = (logit(m1) - logit(m2)) / (logit(0.8) - logit(0.3));
    const b = logit(m1) - a * logit(0.8);
    const fit = fitPlatt(scores, correct);
    close(fit.a, a, 'a', 1e-7);
    close(fit.b, b, 'b', 1e-7);
  });

  it('all scores equal: no slope, the intercept is the log-odds of the mean target; one-sided data stays finite', () => {
    const fit = fitPlatt([0.5, 0.5, 0.5], [true, false, true]);
    close(fit.a, 0, 'a', 1e-9);
    close(fit.b, logit((2 * (3 / 4) + 1 / 3) / 3), 'b', 1e-9);
    const allRight = fitPlatt([0.9, 0.7, 0.95], [true, true, true]);
    assert.ok(Number.isFinite(allRight.a) && Number.isFinite(allRight.b));
    assert.throws(() => fitPlatt([], []), RangeError);
  });

  it('reliability table and Brier score by hand', () => {
    const conf = [0.05, 0.15, 0.12, 0.95, 1, 0.55];
    const correct = [false, true, false, true, true, false];
    const table = reliabilityTable(conf, correct, 10);
    assert.equal(table.length, 10);
    assert.deepEqual(
      table.map((b) => b.count),
      [1, 2, 0, 0, 0, 1, 0, 0, 0, 2],
    );
    close(table[1].meanConfidence, 0.135, 'bin 1 mean');
    close(table[1].precision, 0.5, 'bin 1 precision');
    assert.equal(table[2].meanConfidence, null);
    close(table[9].precision, 1, 'bin 9 precision');
    close(brierScore(conf, correct), (0.05 ** 2 + 0.85 ** 2 + 0.12 ** 2 + 0.05 ** 2 + 0 + 0.55 ** 2) / 6, 'Brier');
    assert.equal(brierScore([], []), null);
  });

  it('chooses the threshold with the best micro F1 (F1 at each cut computed by hand)', () => {
    // Sorted: .9 T, .8 T, .7 F, .6 T, .3 F, .2 F; 5 gold spans.
    // Keep 1: 2/6; 2: 4/7; 3: 4/8; 4: 6/9 (best); 5: 6/10; 6: 6/11.
    const choice = chooseThreshold([0.3, 0.9, 0.6, 0.7, 0.2, 0.8], [false, true, true, false, false, true], 5);
    // Midway between the least confident kept span (.6) and the most confident dropped one (.3).
    close(choice.threshold, 0.45, 'threshold');
    close(choice.f1, 2 / 3, 'F1');
    close(choice.precision, 3 / 4, 'precision');
    close(choice.recall, 3 / 5, 'recall');
    assert.equal(choice.kept, 4);
    // Equal confidences are kept or dropped together.
    // Keep .9 only: F1 2/3; keep all three: 4/5. Nothing dropped: midway to 0.
    const tied = chooseThreshold([0.5, 0.5, 0.9], [false, true, true], 2);
    assert.equal(tied.kept, 3);
    close(tied.threshold, 0.25, 'threshold keeping all');
    // Tied confidences are kept or dropped together: here dropping both .5s (one right, one wrong) loses.
    const pair = chooseThreshold([0.5, 0.5, 0.9, 0.1], [true, true, false, false], 2);
    assert.equal(pair.kept, 3);
    close(pair.threshold, 0.3, 'threshold between .5 and .1');
    // No span right: keep nothing (the threshold is midway from the most confident span to 1).
    const none = chooseThreshold([0.4, 0.7], [false, false], 3);
    assert.equal(none.kept, 0);
    close(none.threshold, 0.85, 'threshold keeping nothing');
  });

  it('the threshold applies to calibrated confidences: spans below it are counted as low, not returned', () => {
    const calibration = { method: 'platt', parameters: { a: 2, b: -1 }, threshold: 0.5 } as unknown as EntityCalibration;
    const span = (score: number): { entity: string; tag: string; start: number; end: number; value: string; score: number } => ({
      entity: '借款金额',
      tag: 'LOAN_AMOUNT',
      start: 0,
      end: 2,
      value: '五万',
      score,
    });
    // sigmoid(2 logit(s) - 1) >= 0.5  <=>  logit(s) >= 0.5  <=>  s >= 0.6225
    const out = confidentSpans([span(0.6), span(0.63), span(0.9)], calibration, 0.5);
    assert.deepEqual([out.candidates, out.lowConfidence, out.spans.length], [3, 1, 2]);
    close(out.spans[0].confidence, 1 / (1 + Math.exp(-(2 * logit(0.63) - 1))), 'calibrated', 1e-12);
    close(spanConfidence(undefined, 0.42), 0.42, 'uncalibrated: the raw score');
  });
});

describe('out of depth: the share of low-confidence spans against the dev data', () => {
  it('binomial upper tail against a direct sum', () => {
    const direct = (k: number, n: number, p: number): number => {
      let s = 0;
      for (let i = k; i <= n; i++) {
        let c = 1;
        for (let j = 1; j <= i; j++) c = (c * (n - i + j)) / j;
        s += c * p ** i * (1 - p) ** (n - i);
      }
      return s;
    };
    for (const [k, n, p] of [
      [3, 10, 0.2],
      [0, 5, 0.3],
      [7, 7, 0.5],
      [12, 40, 0.1],
    ] as const)
      close(binomialUpperTail(k, n, p), direct(k, n, p), `P(X >= ${k} | ${n}, ${p})`, 1e-12);
  });

  it('flags a document with many spans, most of them low, far above the dev share; not a small or ordinary one', () => {
    const stats = outOfDepthStats([
      { candidates: 10, lowConfidence: 1, chars: 500 },
      { candidates: 10, lowConfidence: 2, chars: 500 },
    ]);
    close(stats.expectedLowShare, 4 / 22, 'smoothed dev share');
    close(stats.devCandidatesPer1000Chars, 20, 'spans per 1,000 characters');
    assert.equal(assessDepth(stats, { candidates: 20, lowConfidence: 16 }).outOfDepth, true);
    assert.equal(assessDepth(stats, { candidates: 20, lowConfidence: 4 }).outOfDepth, false, 'like the dev data');
    assert.equal(assessDepth(stats, { candidates: 4, lowConfidence: 4 }).outOfDepth, false, 'too few spans to say');
    assert.equal(assessDepth(stats, { candidates: 10, lowConfidence: 5 }).outOfDepth, false, 'half is not most');
    const judged = assessDepth(stats, { candidates: 6, lowConfidence: 6 });
    close(judged.pValue, (4 / 22) ** 6, 'p-value of 6 of 6');
    assert.equal(judged.outOfDepth, judged.pValue! < 0.001);
  });
});

describe('calibration in the model card', function () {
  this.timeout(120_000);
  const shipped = join(repoRoot(), 'models', 'default-entities');
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'finlabel-calib-'));
    for (const f of ['model.onnx', 'model.int8.onnx', 'tokenizer.json', 'tokenizer_config.json', 'labels.json', 'card.json'])
      if (existsSync(join(shipped, f))) copyFileSync(join(shipped, f), join(dir, f));
    // The shipped card may already hold a calibration: start from one without.
    const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as Record<string, unknown>;
    delete card.calibration;
    writeFileSync(join(dir, 'card.json'), JSON.stringify(card, null, 2));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // Hand-written dev records, court-judgment and contract style.
  const dev = [
    {
      text: '经审理查明，原告与被告于2019年3月签订借款合同，约定借款金额为人民币80万元，借款期限为12个月，由第三人提供连带责任保证。',
      labels: [] as { entity: string; start: number; end: number }[],
    },
    { text: '借款人向贷款人申请借款人民币伍佰万元整，借款期限为36个月，担保方式为抵押。', labels: [] as { entity: string; start: number; end: number }[] },
    { text: '本院认为，被告以其名下房产设定抵押，担保上述债务，还款期限届满后被告未能清偿。', labels: [] as { entity: string; start: number; end: number }[] },
    { text: '双方约定借款200万元，期限3年，以应收账款质押作为担保。', labels: [] as { entity: string; start: number; end: number }[] },
  ];
  const at = (text: string, value: string): { start: number; end: number } => {
    const chars = Array.from(text);
    const v = Array.from(value);
    const i = chars.findIndex((_, k) => chars.slice(k, k + v.length).join('') === value);
    assert.ok(i >= 0, value);
    return { start: i, end: i + v.length };
  };
  dev[0].labels.push(
    { entity: '借款金额', ...at(dev[0].text, '人民币80万元') },
    { entity: '还款期限', ...at(dev[0].text, '12个月') },
    { entity: '担保方式', ...at(dev[0].text, '连带责任保证') },
  );
  dev[1].labels.push(
    { entity: 'LOAN_AMOUNT', ...at(dev[1].text, '人民币伍佰万元整') },
    { entity: '还款期限', ...at(dev[1].text, '36个月') },
    { entity: '担保方式', ...at(dev[1].text, '抵押') },
  );
  dev[2].labels.push({ entity: '担保方式', ...at(dev[2].text, '抵押') });
  dev[3].labels.push(
    { entity: '借款金额', ...at(dev[3].text, '200万元') },
    { entity: '还款期限', ...at(dev[3].text, '3年') },
    { entity: '担保方式', ...at(dev[3].text, '应收账款质押') },
  );

  it('calibrateEntityModelFolder writes "calibration" into card.json (other keys as they were) and the predictor applies its threshold', async () => {
    const before = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as Record<string, unknown>;
    const calibration = await calibrateEntityModelFolder(dir, dev, new LabelSchema());
    const after = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as Record<string, unknown>;
    const { calibration: written, ...rest } = after;
    assert.deepEqual(rest, before, 'every other key is kept');
    assert.deepEqual(written, JSON.parse(JSON.stringify(calibration)));
    assert.equal(calibration.graph, existsSync(join(dir, 'model.int8.onnx')) ? 'model.int8.onnx' : 'model.onnx', 'fitted on the graph the editor serves');
    assert.equal(calibration.dev.records, 4);
    assert.equal(calibration.dev.goldSpans, 10);

    // Recount the dev figures from the raw decodings here: candidates, strict hits, and the F1 at the threshold.
    const predictor = await EntityPredictor.load(dir, { precision: 'auto', threads: 1 });
    try {
      assert.deepEqual(predictor.model.calibration, JSON.parse(JSON.stringify(calibration)), 'the folder loads it back');
      assert.equal(predictor.threshold, calibration.threshold);
      const decoded = await predictor.decodeMany(dev.map((d) => d.text));
      const schema = new LabelSchema();
      let candidates = 0;
      let hits = 0;
      let kept = 0;
      let keptHits = 0;
      decoded.forEach((d, r) => {
        const gold = new Set(dev[r].labels.map((l) => `${schema.resolve(l.entity)!.tag}:${l.start}:${l.end}`));
        for (const s of d.decoded) {
          candidates++;
          const hit = gold.has(`${s.tag}:${s.start}:${s.end}`);
          if (hit) hits++;
          const conf = calibration.parameters
            ? 1 / (1 + Math.exp(-(calibration.parameters.a * logit(Math.min(1 - 1e-6, Math.max(1e-6, s.score))) + calibration.parameters.b)))
            : s.score;
          if (conf >= calibration.threshold) {
            kept++;
            if (hit) keptHits++;
          }
        }
      });
      assert.equal(calibration.dev.candidateSpans, candidates);
      assert.equal(calibration.dev.correctSpans, hits);
      assert.equal(calibration.dev.atThreshold.kept, kept);
      if (kept + 10 > 0) close(calibration.dev.atThreshold.f1, (2 * keptHits) / (kept + 10), 'F1 at the threshold');
      assert.equal(
        calibration.reliability.reduce((s, b) => s + b.count, 0),
        candidates,
      );
      // Every span the predictor returns is at or above the threshold; a raised threshold returns fewer.
      const shown = await predictor.predictMany(dev.map((d) => d.text));
      assert.equal(
        shown.reduce((s, p) => s + p.spans.length, 0),
        kept,
      );
      for (const p of shown) for (const s of p.spans) assert.ok(s.confidence! >= calibration.threshold);
      predictor.setMinConfidence(0.999999);
      const strict = await predictor.predictMany(dev.map((d) => d.text));
      assert.ok(strict.every((p) => p.spans.every((s) => s.confidence! >= 0.999999)));
      predictor.setMinConfidence(0);
      assert.equal(
        (await predictor.predictMany(dev.map((d) => d.text))).reduce((s, p) => s + p.spans.length, 0),
        candidates,
        'threshold 0 shows every candidate',
      );
    } finally {
      await predictor.release();
    }
  });

  it('a model without calibration shows raw scores at threshold 0; a malformed calibration is an error naming the card', async () => {
    const plain = loadEntityModelFolder(dir);
    assert.equal(plain.calibration, undefined);
    const stats = fitEntityCalibration(
      [
        {
          spans: [
            { score: 0.9, correct: true },
            { score: 0.2, correct: false },
          ],
          goldSpans: 1,
          chars: 10,
        },
      ],
      'model.onnx',
    );
    await writeCardCalibration(dir, stats);
    assert.deepEqual(loadEntityModelFolder(dir).calibration, JSON.parse(JSON.stringify(stats)));
    const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'card.json'), JSON.stringify({ ...card, calibration: { ...stats, threshold: 2 } }));
    assert.throws(
      () => loadEntityModelFolder(dir),
      (err: unknown) => err instanceof EntityModelError && /card\.json: "calibration": "threshold" 2/.test(err.message),
    );
    assert.equal(readCalibration({ method: 'isotonic' }).ok, false);
  });
});

describe('the threshold reaches the model-in-the-loop store (pre-annotation, disagreements) without rerunning the model', function () {
  this.timeout(60_000);
  it('RecordPredictions returns the spans at the threshold in force, and follows a new threshold at once', async () => {
    const dir = copyShippedModel('finlabel-store-');
    try {
      const text = '借款人向贷款人申请借款人民币伍佰万元整，借款期限为36个月，担保方式为抵押，并由王某某提供连带责任保证。';
      const reference = await EntityPredictor.load(dir, { threads: 1, precision: 'auto', minConfidence: 0 });
      let scores: number[];
      try {
        scores = (await reference.decodeMany([text]))[0].decoded.map((d) => d.score).sort((a, b) => a - b);
      } finally {
        await reference.release();
      }
      assert.ok(scores.length >= 2, `${scores.length} spans`);
      const threshold = (scores[0] + scores[scores.length - 1]) / 2;
      setCardCalibration(dir, identityCalibration(threshold));
      const predictor = await EntityPredictor.load(dir, { threads: 1, precision: 'auto' });
      try {
        const model = new JsonlDocumentModel(new LabelSchema());
        model.update(JSON.stringify({ id: 'r', text, labels: [] }));
        const records = new RecordPredictions(() => predictor);
        assert.deepEqual(await records.score(model, 'unlabelled', 10), { records: 1, scored: 1, predicted: 1, cancelled: false });
        const atCard = records.get(model, 0)!.spans;
        assert.equal(atCard.length, scores.filter((s) => Math.min(1 - 1e-6, Math.max(1e-6, s)) >= threshold).length);
        assert.ok(atCard.length > 0 && atCard.length < scores.length);
        predictor.setMinConfidence(0);
        assert.equal(records.get(model, 0)!.spans.length, scores.length, 'a new threshold applies to the stored predictions');
        const again = await records.score(model, 'unlabelled', 10);
        assert.equal(again.predicted, 0, 'nothing was predicted again');
      } finally {
        await predictor.release();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
