import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import {
  documentPredictionsNotification,
  predictionModelNotification,
  type DocumentPredictionsParams,
  type PredictionModelStatus,
} from '../../src/common/lspProtocol';
import { codePointSlice } from '../../src/server/dataset/jsonStringMap';
import { decodeEntityScores } from '../../src/server/entities/entityDecoding';
import { encodeText } from '../../src/server/entities/entityEncoding';
import { EntityModelError, loadEntityModelFolder } from '../../src/server/inference/entityModelFolder';
import { EntityPredictor } from '../../src/server/inference/entityPredictor';
import { argmaxLabels, OnnxTokenClassifier } from '../../src/server/inference/onnxTokenClassifier';
import { WorkerJobs } from '../../src/server/worker/workerJobs';
import { WorkerSupervisor } from '../../src/server/worker/workerSupervisor';
import { ensureTrainedModel, repoRoot } from '../support/tinyEntityModel';
import { builtFile } from '../support/builtFile';
import { startLanguageServer, type LanguageServer } from '../harness/languageServerProcess';

const root = repoRoot();
const sampleTexts = readFileSync(join(root, 'samples', 'due_diligence.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => (JSON.parse(l) as { text: string }).text);
/** Non-BMP characters and \r\n inside the text: offsets must still be code points. */
const tricky = '😀借款金额500万元，𠀋担保方式为抵押，\r\n还款期限3年。😀乙方向甲方申请借款人民币伍佰万元整。';
/** Several windows of 510 tokens: the sample records one after another. */
const longText = sampleTexts.slice(0, 12).join('\n');

describe('entity predictions with onnxruntime-node on a tiny model trained by the worker', function () {
  this.timeout(600_000);
  let modelDir: string;
  let predictor: EntityPredictor;
  let supervisor: WorkerSupervisor;
  let jobs: WorkerJobs;

  before(async () => {
    modelDir = await ensureTrainedModel(undefined, (line) => console.log(`      ${line}`));
    predictor = await EntityPredictor.load(modelDir, { threads: 2 });
    supervisor = new WorkerSupervisor({
      workerDir: join(root, 'src', 'server', 'worker', 'python'),
      locatePython: async () => ({
        ok: true,
        python: existsSync(join(root, '.venv/bin/python')) ? join(root, '.venv/bin/python') : 'python3',
        source: 'setting',
      }),
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    jobs = new WorkerJobs(supervisor);
  });
  after(async () => {
    await predictor?.release();
    jobs?.dispose();
    await supervisor?.dispose();
  });

  it('predicts the same label ids as the worker (PyTorch) on the same windows, probabilities within 1e-4', async () => {
    const texts = [...sampleTexts.slice(0, 6), tricky, longText];
    const windows = texts.flatMap((t) => encodeText(predictor.model.tokenizer, t, predictor.model.windows).inputIds);
    assert.ok(windows.length > texts.length, 'the long text has several windows');
    const torch = await jobs.predictEntities({ modelDir, batch: windows });
    const classifier = await OnnxTokenClassifier.create(predictor.onnxFile, predictor.model.scheme.names.length, predictor.model.tokenizer.special.pad, 2);
    try {
      const onnx = await classifier.run(windows);
      const labels = onnx.labels;
      assert.deepEqual(
        onnx.logProbs.map((row) => argmaxLabels(row, labels)),
        torch.labelIds,
      );
      onnx.logProbs.forEach((row, i) =>
        torch.labelIds[i].forEach((id, t) => {
          const p = Math.exp(row[t * labels + id]);
          assert.ok(Math.abs(p - torch.probabilities[i][t]) < 1e-4, `window ${i} token ${t}: ${p} vs ${torch.probabilities[i][t]}`);
        }),
      );
      assert.ok(
        torch.labelIds.flat().some((id) => id !== 0),
        'the model predicts some entity tokens',
      );
    } finally {
      await classifier.release();
    }
  });

  /** Spans of a text decoded from each of its windows run alone (no batching, no cache), through the predictor's calibration and threshold. */
  const windowByWindow = async (text: string): Promise<ReturnType<EntityPredictor['confident']>> => {
    const encoded = encodeText(predictor.model.tokenizer, text, predictor.model.windows);
    const classifier = await OnnxTokenClassifier.create(predictor.onnxFile, predictor.model.scheme.names.length, predictor.model.tokenizer.special.pad, 1);
    try {
      const rows: Float32Array[] = [];
      for (const ids of encoded.inputIds) rows.push((await classifier.run([ids])).logProbs[0]);
      return predictor.confident(decodeEntityScores(encoded, predictor.model.scheme, rows, predictor.model.spanShapes, predictor.model.crf).spans);
    } finally {
      await classifier.release();
    }
  };

  it('spans of a long text merge its overlapping windows exactly as decoding each window run alone does', async () => {
    const encoded = encodeText(predictor.model.tokenizer, longText, predictor.model.windows);
    assert.ok(encoded.windows.length >= 3, `${encoded.windows.length} windows`);
    const expected = (await windowByWindow(longText)).spans;
    const result = await predictor.predict(longText);
    assert.equal(result.windows, encoded.windows.length);
    assert.deepEqual(
      result.spans.map(({ confidence: _c, ...s }) => s),
      expected.map(({ confidence: _c, ...s }) => s),
    );
    result.spans.forEach((s, i) => assert.ok(Math.abs(s.confidence! - expected[i].confidence!) < 1e-4));
    const lastWindowStart = encoded.tokens.starts[encoded.windows[encoded.windows.length - 1].ownStart];
    assert.ok(
      result.spans.some((s) => s.start >= lastWindowStart),
      'spans come from the last window too',
    );
    for (const s of result.spans) assert.equal(s.value, codePointSlice(longText, s.start, s.end));
  });

  it('offsets are code points with emoji, CJK Extension B and \\r\\n in the text', async () => {
    const { spans } = await predictor.predict(tricky);
    assert.deepEqual(
      spans.map((s) => [s.start, s.end]),
      (await windowByWindow(tricky)).spans.map((s) => [s.start, s.end]),
    );
    for (const s of spans) assert.equal(s.value, Array.from(tricky).slice(s.start, s.end).join(''));
  });

  it('an unchanged text comes from the cache; an edit near the end or the start of a long text reruns only the windows whose tokens changed', async () => {
    const fresh = await EntityPredictor.load(modelDir, { threads: 2 });
    try {
      const first = await fresh.predict(longText);
      assert.equal(first.cached, false);
      assert.equal(first.computedWindows, first.windows);
      const again = await fresh.predict(longText);
      assert.equal(again.cached, true);
      assert.equal(again.computedWindows, 0);
      assert.deepEqual(again.spans, first.spans);

      const chars = Array.from(longText);
      const edited = [...chars.slice(0, chars.length - 20), '借款金额伍佰万元', ...chars.slice(chars.length - 20)].join('');
      const after = await fresh.predict(edited);
      assert.equal(after.cached, false);
      assert.ok(after.computedWindows >= 1 && after.computedWindows < after.windows, `${after.computedWindows} of ${after.windows} windows recomputed`);
      // Typing near the start shifts every later token; window starts fall back onto the same tokens a
      // window or two later, so most windows still come from the cache (token positions would rerun all).
      const early = [...chars.slice(0, 40), '伍佰万', ...chars.slice(40)].join('');
      const afterEarly = await fresh.predict(early);
      assert.ok(
        afterEarly.windows >= 6 && afterEarly.computedWindows <= afterEarly.windows / 2,
        `${afterEarly.computedWindows} of ${afterEarly.windows} windows recomputed after typing near the start`,
      );
      // Same spans as a predictor with empty caches.
      const cold = await EntityPredictor.load(modelDir, { threads: 2 });
      try {
        assert.deepEqual(afterEarly.spans, (await cold.predict(early)).spans);
        assert.deepEqual(after.spans, (await cold.predict(edited)).spans);
      } finally {
        await cold.release();
      }
    } finally {
      await fresh.release();
    }
  });

  it('int8: the quantized model loads and agrees with fp32 on most tokens', async () => {
    assert.ok(predictor.model.int8File, 'the folder has model.int8.onnx');
    const int8 = await EntityPredictor.load(modelDir, { precision: 'int8', threads: 2 });
    try {
      const windows = sampleTexts.slice(0, 8).flatMap((t) => encodeText(predictor.model.tokenizer, t).inputIds);
      const fp32 = await OnnxTokenClassifier.create(predictor.onnxFile, predictor.model.scheme.names.length, 0, 2);
      const quantized = await OnnxTokenClassifier.create(int8.onnxFile, predictor.model.scheme.names.length, 0, 2);
      const [a, b] = [await fp32.run(windows), await quantized.run(windows)];
      await Promise.all([fp32.release(), quantized.release()]);
      const all = a.logProbs.flatMap((row) => argmaxLabels(row, a.labels));
      const other = b.logProbs.flatMap((row) => argmaxLabels(row, b.labels));
      const same = all.filter((id, i) => id === other[i]).length;
      assert.ok(same / all.length > 0.9, `${same} of ${all.length} tokens agree`);
    } finally {
      await int8.release();
    }
  });

  it("int8: a text's predictions are its own, whatever texts are predicted with it (dynamic quantization scales by the batch)", async () => {
    const shipped = await EntityPredictor.load(modelDir, { precision: 'int8', threads: 1 });
    const fresh = async (): Promise<EntityPredictor> => EntityPredictor.load(modelDir, { precision: 'int8', threads: 1 });
    const text = '😀甲方𠀋记商贸有限公司\r\n借款人向贷款人申请借款人民币伍佰万元整，借款期限为36个月，担保方式为抵押加连带责任保证。';
    const others = ['申请流动资金贷款，金额约为三百万左右，期限待定。', '天气很好，我们去公园散步吧。', ...sampleTexts.slice(0, 6)];
    const together = await fresh();
    try {
      const alone = (await shipped.predict(text)).spans;
      const batched = (await together.predictMany([others[0], text, ...others.slice(1)]))[1].spans;
      assert.ok(alone.length > 0, 'the text has spans');
      assert.deepEqual(batched, alone, 'the same spans and confidences, to the last digit');
    } finally {
      await Promise.all([shipped.release(), together.release()]);
    }
  });

  it('a folder that is not a model says which file is missing or wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finlabel-bad-model-'));
    try {
      cpSync(modelDir, dir, { recursive: true });
      rmSync(join(dir, 'labels.json'));
      assert.throws(
        () => loadEntityModelFolder(dir),
        (err: Error) => err instanceof EntityModelError && /labels\.json is missing/.test(err.message) && err.message.includes(dir),
      );
      writeFileSync(join(dir, 'labels.json'), JSON.stringify({ bio: ['O', 'B-X'], types: [{ name: 'X', tag: 'X' }] }));
      assert.throws(() => loadEntityModelFolder(dir), /labels\.json: "bio" \["O","B-X"\] does not match its "types"/);
      writeFileSync(join(dir, 'model.onnx'), 'not an onnx file');
      await assert.rejects(
        OnnxTokenClassifier.create(join(dir, 'model.onnx'), 7, 0, 1),
        (err: Error) => err instanceof EntityModelError && err.message.includes('onnxruntime cannot load it'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('in the language server', () => {
    let server: LanguageServer;
    let connection: MessageConnection;
    const published: DocumentPredictionsParams[] = [];
    const statuses: PredictionModelStatus[] = [];

    before(async () => {
      server = await startLanguageServer({
        serverJs: builtFile('dist', 'server.js'),
        initializationOptions: { predictions: { modelPath: modelDir, enabled: true, showDisagreements: true } },
        beforeListen: (c) => {
          c.onNotification(documentPredictionsNotification, (p: DocumentPredictionsParams) => {
            published.push(p);
          });
          c.onNotification(predictionModelNotification, (p: PredictionModelStatus) => {
            statuses.push(p);
          });
        },
      });
      connection = server.connection;
      await until(() => statuses.some((s) => s.state === 'ready'), 60_000);
    });
    after(() => server?.stop());

    it("says which model is active, serving the folder's int8 graph by default (finlabel.entityModel.precision auto)", () => {
      const ready = statuses.find((s) => s.state === 'ready')!;
      assert.equal(ready.dir, modelDir);
      assert.match(ready.message, /tiny-entity-model \(model\.int8\.onnx,/);
    });

    it("drops the predictions of a version the document has moved on from, and publishes the new one's", async () => {
      const uri = 'file:///tmp/finlabel-stale/contract.txt';
      const big = sampleTexts.slice(0, 60).join('\n');
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plaintext', version: 1, text: big } });
      await new Promise((r) => setTimeout(r, 30));
      const edited = `${big}\n借款金额人民币伍佰万元整。`;
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: edited }] });
      await until(() => published.some((p) => p.uri === uri && p.version === 2), 60_000);
      await new Promise((r) => setTimeout(r, 500));
      const mine = published.filter((p) => p.uri === uri);
      assert.deepEqual(
        mine.map((p) => p.version),
        [2],
        'only the current version is published',
      );
      const cold = await EntityPredictor.load(modelDir, { threads: 1, precision: 'auto' });
      try {
        const expected = (await cold.predict(edited)).spans;
        assert.deepEqual(
          mine[0].spans.map((s) => [s.start, s.end, s.tag]),
          expected.map((s) => [s.start, s.end, s.tag]),
        );
      } finally {
        await cold.release();
      }
    });

    it('dataset records: spans land inside each record\'s "text" literal, with disagreements against gold', async () => {
      const uri = 'file:///tmp/finlabel-stale/records.jsonl';
      const lines = readFileSync(join(root, 'samples', 'due_diligence.jsonl'), 'utf8')
        .split('\n')
        .slice(0, 5);
      const text = `${lines.join('\n')}\n`;
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'jsonl', version: 1, text } });
      await until(() => published.some((p) => p.uri === uri && p.version === 1), 60_000);
      const got = published.filter((p) => p.uri === uri).at(-1)!;
      assert.ok(got.spans.length > 0);
      for (const s of got.spans) {
        const line = lines[s.range.start.line];
        assert.equal(
          line.slice(s.range.start.character, s.range.end.character),
          JSON.stringify(s.value).slice(1, -1),
          'the decoration covers the value in the JSON line',
        );
      }
      assert.ok(got.disagreements.every((d) => ['missed', 'spurious', 'wrong-type', 'wrong-boundary'].includes(d.kind)));
    });
  });
});

async function until(test: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!test()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
