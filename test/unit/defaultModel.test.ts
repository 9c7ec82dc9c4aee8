import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_LABEL_TYPES, LabelSchema } from '../../src/common/labelSchema';
import { SHIPPED_ENTITY_MODEL } from '../../src/common/shippedModels';
import { codePointLength, codePointSlice } from '../../src/server/dataset/jsonStringMap';
import { BioScheme } from '../../src/server/entities/bioScheme';
import { chooseShippedFiles, DEFAULT_MODEL_MAX_BYTES, latencyContract, SHIPPED_FILES, splitRealParagraphs } from '../../src/server/training/defaultModelRecipe';
import type { DefaultModelReport } from '../../src/server/training/defaultModelCard';
import { evaluateRecords, type LabelledText } from '../../src/server/training/labelledRecordScores';
import { EntityPredictor } from '../../src/server/inference/entityPredictor';
import { Rng } from '../../src/server/util/prng';
import { generateRecords } from '../../src/server/samples/records';

const dir = SHIPPED_ENTITY_MODEL;
const readJsonl = (file: string): LabelledText[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LabelledText);

function report(): DefaultModelReport {
  return (JSON.parse(readFileSync(path.join(dir, 'card.json'), 'utf8')) as { defaultModel: DefaultModelReport }).defaultModel;
}

describe('the shipped default entity model (models/default-entities)', function () {
  this.timeout(20_000);

  it("is a complete model folder of at most 20 MB whose labels are the default schema's", () => {
    const served = report().served;
    for (const f of ['model.onnx', served, 'tokenizer.json', 'tokenizer_config.json', 'labels.json', 'config.json', 'card.json', 'README.md']) {
      assert.ok(existsSync(path.join(dir, f)), `${dir}/${f} is missing`);
    }
    const bytes = readdirSync(dir).reduce((s, f) => s + statSync(path.join(dir, f)).size, 0);
    assert.ok(bytes <= DEFAULT_MODEL_MAX_BYTES, `${dir} holds ${bytes} bytes, over 20 MB`);
    const labels = JSON.parse(readFileSync(path.join(dir, 'labels.json'), 'utf8')) as { bio: string[]; types: { name: string; tag: string }[] };
    assert.deepEqual(labels.bio, [...new BioScheme(DEFAULT_LABEL_TYPES).names]);
    assert.deepEqual(
      labels.types.map((t) => [t.name, t.tag]),
      DEFAULT_LABEL_TYPES.map((t) => [t.name, t.tag]),
    );
    const card = report();
    // both graphs are scored, the one left out too: the card says how far int8 agrees with fp32
    for (const file of ['model.onnx', 'model.int8.onnx']) {
      for (const set of ['heldOut', 'heldOutJudgments', 'handwritten', 'handwrittenJudgments', 'law'])
        assert.equal(typeof card.evaluation[file][set].micro.f1, 'number', `card: ${file} ${set} F1`);
    }
    assert.deepEqual(
      card.files.map((f) => [f.name, f.bytes]),
      card.files.map((f) => [f.name, statSync(path.join(dir, f.name)).size]),
      'card.json lists the files as they are',
    );
  });

  it('is served from the graph its card names (the faster one: int8 ships only when it is faster than fp32)', async () => {
    const card = report();
    const times = (file: string): number => (card.latency[file] as { p50Ms: number }).p50Ms;
    assert.equal(card.served, times('model.int8.onnx') < times('model.onnx') ? 'model.int8.onnx' : 'model.onnx');
    assert.equal(existsSync(path.join(dir, 'model.int8.onnx')), card.served === 'model.int8.onnx', 'the int8 graph is in the folder exactly when it is served');
    const model = await EntityPredictor.load(dir, { precision: 'auto' });
    try {
      assert.equal(path.basename(model.onnxFile), card.served);
    } finally {
      await model.release();
    }
  });

  it('finds the loan amount, guarantee types and period of a contract sentence, with exact code-point offsets', async () => {
    const model = await EntityPredictor.load(dir, { precision: 'auto' });
    try {
      const text = '😀备注：借款人𠀋记商贸有限公司资料已归档。\r\n借款人向贷款人申请借款人民币伍佰万元整，借款期限为36个月，担保方式为抵押加连带责任保证。';
      const found = (await model.predict(text)).spans.map((e) => [e.entity, e.value, codePointSlice(text, e.start, e.end)]);
      assert.deepEqual(found, [
        ['借款金额', '人民币伍佰万元整', '人民币伍佰万元整'],
        ['还款期限', '36个月', '36个月'],
        ['担保方式', '抵押', '抵押'],
        ['担保方式', '连带责任保证', '连带责任保证'],
      ]);
    } finally {
      await model.release();
    }
  });

  it('labels generated records it was not trained on as their gold labels', async () => {
    const model = await EntityPredictor.load(dir, { precision: 'auto' });
    try {
      // a seed the training recipe does not use; short records, as an annotator's clause
      const records = generateRecords(new Rng(777), { total: 40, long: 0, crlf: 4, empty: 4, nonBmp: 4, quotes: 2 });
      const scores = await evaluateRecords(records, new LabelSchema(), async (t) => (await model.predict(t)).spans);
      const gold = scores.types.reduce((s, t) => s + t.reference, 0);
      assert.ok(gold > 100, `${gold} gold spans`);
      assert.ok(scores.micro.f1! >= 0.9, `micro span F1 ${scores.micro.f1} on 40 generated records (misses: ${JSON.stringify(scores.misses.slice(0, 3))})`);
    } finally {
      await model.release();
    }
  });

  it("shows only calibrated spans above its card's threshold on court-style paragraphs, none of one character or of punctuation", async () => {
    const card = JSON.parse(readFileSync(path.join(dir, 'card.json'), 'utf8')) as { calibration?: { method: string; threshold: number } };
    assert.equal(card.calibration?.method, 'platt', 'the card holds a Platt calibration');
    const threshold = card.calibration!.threshold;
    assert.ok(threshold > 0 && threshold < 1, `threshold ${threshold}`);
    const model = await EntityPredictor.load(dir, { precision: 'auto' });
    try {
      const paragraphs = readJsonl('test/fixtures/judgments/handwritten-judgments.jsonl');
      let spans = 0;
      for (const p of paragraphs) {
        for (const s of (await model.predict(p.text)).spans) {
          spans++;
          assert.ok(s.end - s.start >= 2, `a one-character span ${JSON.stringify(s.value)} in ${p.id}`);
          assert.ok(!/^[\p{P}\p{Z}\s]+$/u.test(s.value), `a punctuation span ${JSON.stringify(s.value)} in ${p.id}`);
          assert.ok(
            s.confidence !== null && s.confidence >= threshold,
            `${JSON.stringify(s.value)}: confidence ${s.confidence} under the threshold ${threshold}`,
          );
        }
      }
      assert.ok(spans >= 40, `${spans} spans in ${paragraphs.length} paragraphs`);
    } finally {
      await model.release();
    }
  });

  for (const file of ['model.onnx', 'model.int8.onnx'].filter((f) => existsSync(path.join(dir, f)))) {
    it(`${file} scores the hand-written clauses, court-style paragraphs and law sentences as its card says`, async () => {
      const card = report();
      const model = await EntityPredictor.load(dir, { precision: file === 'model.int8.onnx' ? 'int8' : 'fp32' });
      try {
        const sets = [
          ['handwritten', 'test/fixtures/clauses/handwritten.jsonl'],
          ['handwrittenJudgments', 'test/fixtures/judgments/handwritten-judgments.jsonl'],
          ['law', 'test/fixtures/clauses/prc-law-sentences.jsonl'],
        ] as const;
        for (const [set, fixture] of sets) {
          const scores = await evaluateRecords(readJsonl(fixture), new LabelSchema(), async (t) => (await model.predict(t)).spans);
          const recorded = card.evaluation[file][set].micro.f1!;
          assert.ok(scores.micro.f1! >= recorded - 0.02, `${file} on ${set}: micro span F1 ${scores.micro.f1}, the card records ${recorded}`);
        }
      } finally {
        await model.release();
      }
    });
  }
});

describe('default model recipe: the files that ship and the latency input', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'finlabel-default-model-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, bytes: number): void => writeFileSync(path.join(dir, name), Buffer.alloc(bytes));

  it('ships every required file, the int8 graph only when it is faster, and the safetensors weights only when they still fit', () => {
    for (const f of SHIPPED_FILES) write(f, 1000);
    write('model.int8.onnx', 500);
    write('model.safetensors', 50_000);
    const roomy = chooseShippedFiles(dir, { int8Faster: true }, 200_000);
    assert.deepEqual(
      roomy.files.map((f) => f.name),
      [...SHIPPED_FILES, 'model.int8.onnx', 'model.safetensors'],
    );
    assert.deepEqual(roomy.leftOut, []);
    const tight = chooseShippedFiles(dir, { int8Faster: false }, 100_000);
    assert.deepEqual(
      tight.files.map((f) => f.name),
      [...SHIPPED_FILES],
    );
    assert.deepEqual(tight.leftOut, [
      { name: 'model.int8.onnx', bytes: 500, why: 'slower' },
      { name: 'model.safetensors', bytes: 50_000, why: 'size' },
    ]);
    assert.equal(tight.bytes, 5000);
  });

  it('refuses a trained folder that lacks a file or whose required files exceed the limit', () => {
    for (const f of SHIPPED_FILES.filter((n) => n !== 'labels.json')) write(f, 1000);
    assert.throws(() => chooseShippedFiles(dir, { int8Faster: false }), /lacks labels\.json/);
    write('labels.json', 1000);
    assert.throws(() => chooseShippedFiles(dir, { int8Faster: true }), /lacks model\.int8\.onnx/, 'the int8 graph is required when it is the faster one');
    write('model.onnx', 30_000_000);
    assert.throws(() => chooseShippedFiles(dir, { int8Faster: false }), /over the 20000000-byte limit/);
  });

  it('splits real paragraphs into thirds by their ids: disjoint, complete, the same whatever their order', () => {
    const paragraphs = Array.from({ length: 31 }, (_, i) => ({ id: `p-${i}`, text: `第${i}段`, labels: [] }));
    const split = splitRealParagraphs(paragraphs, 20251206);
    const ids = (ps: readonly { id: string }[]): string[] => ps.map((p) => p.id);
    assert.deepEqual([split.train.length, split.calibration.length, split.test.length], [10, 10, 11]);
    assert.deepEqual([...ids(split.train), ...ids(split.calibration), ...ids(split.test)].sort(), ids(paragraphs).sort());
    const shuffled = splitRealParagraphs([...paragraphs].reverse(), 20251206);
    assert.deepEqual(ids(shuffled.test), ids(split.test));
    assert.notDeepEqual(ids(splitRealParagraphs(paragraphs, 1).test), ids(split.test), 'another seed draws other thirds');
  });

  it('times a contract of exactly 2,000 code points, the same for the same seed', () => {
    const text = latencyContract(5);
    assert.equal(codePointLength(text), 2000);
    assert.equal(latencyContract(5), text);
    assert.notEqual(latencyContract(6), text);
  });
});
