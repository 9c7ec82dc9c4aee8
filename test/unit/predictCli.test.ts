// `finlabel predict` with the shipped default model (models/default-entities): spans with code-point
// offsets, the graph the precision picks, dataset lines that are not records, and bad arguments.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NormalizedValue } from '../../src/common/normalizedValue';
import { codePointSlice } from '../../src/server/dataset/jsonStringMap';
import { INT8_FILE } from '../../src/server/inference/entityModelFolder';
import { copyShippedModel, identityCalibration, setCardCalibration } from '../support/calibratedModel';
import { repoRoot } from '../support/tinyEntityModel';
import { runFinlabel } from '../support/cliRun';

interface Span {
  entity: string;
  start: number;
  end: number;
  value: string;
  normalized?: NormalizedValue;
}

describe('finlabel predict (the shipped default model)', function () {
  this.timeout(120_000);
  const defaultModel = join(repoRoot(), 'models', 'default-entities');
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'finlabel-predict-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const contract = '😀备注：借款人𠀋记商贸有限公司资料已归档。\r\n借款人向贷款人申请借款人民币伍佰万元整，借款期限为36个月，担保方式为抵押。';

  it('prints the spans of a contract with code-point offsets and normalized values, from the graph the folder serves by default and model.onnx with --precision fp32', async () => {
    const file = join(dir, 'contract.txt');
    writeFileSync(file, contract);
    // the shipped folder holds model.int8.onnx only when that graph is the faster one, and then it is the default
    const served = existsSync(join(defaultModel, INT8_FILE)) ? INT8_FILE : 'model.onnx';
    for (const [args, onnx] of [
      [[], served],
      [['--precision', 'fp32'], 'model.onnx'],
    ] as const) {
      const r = await runFinlabel(['predict', file, '--model', defaultModel, '--json', ...args]);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { model: { onnx: string }; spans: Span[] };
      assert.equal(out.model.onnx, onnx);
      for (const s of out.spans) assert.equal(codePointSlice(contract, s.start, s.end), s.value);
      assert.deepEqual(
        out.spans.map((s) => [s.entity, s.value]),
        [
          ['借款金额', '人民币伍佰万元整'],
          ['还款期限', '36个月'],
          ['担保方式', '抵押'],
        ],
      );
      assert.deepEqual(
        out.spans.map((s) => s.normalized),
        [
          { kind: 'amount', amount: 5_000_000, currency: 'CNY', forms: [{ notation: 'capital', amount: 5_000_000, start: 3, end: 7 }] },
          { kind: 'duration', months: 36 },
          { kind: 'guarantee', modes: ['抵押'] },
        ],
      );
    }
    const text = await runFinlabel(['predict', file, '--model', defaultModel]);
    assert.match(text.stdout, /"人民币伍佰万元整" [\d.]+ = ¥5,000,000 \(CNY\)\n.*"36个月" [\d.]+ = 36 months \(P36M\)\n.*"抵押" [\d.]+ = 抵押\n/);
  });

  it('predicts each record of a dataset and reports the lines that are not records (exit 1), by line', async () => {
    const file = join(dir, 'records.jsonl');
    writeFileSync(
      file,
      [JSON.stringify({ id: 'a', text: contract, entities: [] }), '{"id": "b", "text": ', JSON.stringify({ id: 'c', text: '担保方式为质押。' })].join('\n'),
    );
    const r = await runFinlabel(['predict', file, '--model', defaultModel, '--json']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /records\.jsonl:2/);
    const out = JSON.parse(r.stdout) as { records: { line: number; id: string; spans: Span[] }[] };
    assert.deepEqual(
      out.records.map((x) => [x.line, x.id]),
      [
        [1, 'a'],
        [3, 'c'],
      ],
    );
    assert.deepEqual(
      out.records[1].spans.map((s) => [s.entity, s.value]),
      [['担保方式', '质押']],
    );
  });

  it('refuses an unknown precision, int8 from a folder without model.int8.onnx, and a file that is not a contract or dataset (exit 2)', async () => {
    const file = join(dir, 'c.txt');
    writeFileSync(file, contract);
    const bad = await runFinlabel(['predict', file, '--model', defaultModel, '--precision', 'fp16']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--precision fp16: expected one of auto, fp32, int8/);

    const fp32Only = join(dir, 'fp32-only');
    mkdirSync(fp32Only);
    for (const f of readdirSync(defaultModel)) if (f !== INT8_FILE) copyFileSync(join(defaultModel, f), join(fp32Only, f));
    const missing = await runFinlabel(['predict', file, '--model', fp32Only, '--precision', 'int8']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /fp32-only: has no model\.int8\.onnx/);
    const auto = await runFinlabel(['predict', file, '--model', fp32Only, '--json']);
    assert.equal(auto.code, 0, auto.stderr);
    assert.equal((JSON.parse(auto.stdout) as { model: { onnx: string } }).model.onnx, 'model.onnx', 'auto falls back to model.onnx');

    const csv = await runFinlabel(['predict', join(dir, 'x.csv'), '--model', defaultModel]);
    assert.equal(csv.code, 2);
    assert.match(csv.stderr, /x\.csv: expected a contract \(\.txt, \.md\) or a dataset \(\.jsonl\)/);
  });
});

describe('finlabel predict: the confidence threshold of the card, and --min-confidence', function () {
  this.timeout(120_000);
  let model: string;
  let dir: string;
  before(() => {
    model = copyShippedModel('finlabel-predict-calibrated-');
    dir = mkdtempSync(join(tmpdir(), 'finlabel-predict-threshold-'));
  });
  after(() => {
    rmSync(model, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  // A judgment-style paragraph written for this test.
  const text =
    '本院经审理查明：2021年5月，原告某银行与被告某公司签订《流动资金借款合同》，约定借款金额为人民币叁佰万元整，借款期限为十二个月，由被告张某提供连带责任保证，并以其名下房产设定抵押。';

  interface Out {
    threshold: { value: number; source: string };
    depth: { candidates: number; lowConfidence: number; outOfDepth: boolean };
    spans: (Span & { confidence: number })[];
  }
  const predict = async (...extra: string[]): Promise<Out> => {
    const file = join(dir, 'judgment.txt');
    writeFileSync(file, text);
    const r = await runFinlabel(['predict', file, '--model', model, '--json', ...extra]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Out;
  };

  it("without calibration every decoded span is shown (threshold 0); with the card's threshold only those at or above it; --min-confidence overrides the card", async () => {
    setCardCalibration(model, undefined);
    const all = await predict();
    assert.deepEqual(all.threshold, { value: 0, source: 'none' });
    assert.equal(all.spans.length, all.depth.candidates);
    assert.ok(all.spans.length >= 2, `the model finds spans here: ${JSON.stringify(all.spans)}`);
    for (const s of all.spans) assert.ok(s.value.trim() !== '' && !/^[\p{P}\p{S}\s]+$/u.test(s.value), `no punctuation-only span: ${s.value}`);
    // A threshold between the confidences: with a = 1, b = 0 the confidence is the raw span score.
    const sorted = all.spans.map((s) => s.confidence).sort((a, b) => a - b);
    const threshold = (sorted[0] + sorted[sorted.length - 1]) / 2;
    const expected = all.spans.filter((s) => s.confidence >= threshold).map((s) => [s.start, s.end, s.entity]);
    assert.ok(expected.length > 0 && expected.length < all.spans.length);

    setCardCalibration(model, identityCalibration(threshold));
    const carded = await predict();
    assert.deepEqual(carded.threshold, { value: threshold, source: 'card' });
    assert.deepEqual(
      carded.spans.map((s) => [s.start, s.end, s.entity]),
      expected,
    );
    assert.deepEqual([carded.depth.candidates, carded.depth.lowConfidence], [all.spans.length, all.spans.length - expected.length]);

    const overridden = await predict('--min-confidence', '0');
    assert.deepEqual(overridden.threshold, { value: 0, source: 'option' });
    assert.deepEqual(
      overridden.spans.map((s) => [s.start, s.end]),
      all.spans.map((s) => [s.start, s.end]),
    );
    const none = await predict('--min-confidence', '1');
    assert.deepEqual(none.spans, []);

    const bad = await runFinlabel(['predict', join(dir, 'judgment.txt'), '--model', model, '--min-confidence', '1.5']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--min-confidence must be a number from 0 to 1, got "1\.5"/);
  });

  it('says on stderr when the text looks unlike the dev data (most spans below the threshold)', async () => {
    // The highest threshold there is: every span (a raw score below 1) is low, against a dev share of 5 of 42.
    setCardCalibration(model, identityCalibration(1));
    const file = join(dir, 'judgment.txt');
    writeFileSync(file, Array.from({ length: 4 }, () => text).join('\n'));
    const r = await runFinlabel(['predict', file, '--model', model, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Out;
    assert.ok(out.depth.candidates >= 5, `${out.depth.candidates} spans`);
    assert.equal(out.depth.outOfDepth, true);
    assert.match(r.stderr, /model out of its depth here: \d+ of the \d+ spans it finds are below its confidence threshold/);
    // The dev data's own share: not out of depth.
    setCardCalibration(model, identityCalibration(1, { candidates: 40, lowConfidence: 40 }));
    const usual = await runFinlabel(['predict', file, '--model', model, '--json']);
    assert.equal((JSON.parse(usual.stdout) as Out).depth.outOfDepth, false);
    assert.doesNotMatch(usual.stderr, /out of its depth/);
  });
});
