// `finlabel predict` with the shipped default model (models/default-entities): spans with code-point
// offsets, the graph the precision picks, dataset lines that are not records, and bad arguments.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codePointSlice } from '../../src/server/dataset/jsonStringMap';
import { INT8_FILE } from '../../src/server/inference/entityModelFolder';
import { repoRoot } from '../support/tinyEntityModel';
import { runFinlabel } from './cliRun';

interface Span {
  entity: string;
  start: number;
  end: number;
  value: string;
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

  it('prints the spans of a contract with code-point offsets, from model.int8.onnx by default and model.onnx with --precision fp32', async () => {
    const file = join(dir, 'contract.txt');
    writeFileSync(file, contract);
    for (const [args, onnx] of [[[], INT8_FILE], [['--precision', 'fp32'], 'model.onnx']] as const) {
      const r = await runFinlabel(['predict', file, '--model', defaultModel, '--json', ...args]);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { model: { onnx: string }; spans: Span[] };
      assert.equal(out.model.onnx, onnx);
      for (const s of out.spans) assert.equal(codePointSlice(contract, s.start, s.end), s.value);
      assert.deepEqual(out.spans.map((s) => [s.entity, s.value]), [['借款金额', '人民币伍佰万元整'], ['还款期限', '36个月'], ['担保方式', '抵押']]);
    }
  });

  it('predicts each record of a dataset and reports the lines that are not records (exit 1), by line', async () => {
    const file = join(dir, 'records.jsonl');
    writeFileSync(file, [JSON.stringify({ id: 'a', text: contract, entities: [] }), '{"id": "b", "text": ', JSON.stringify({ id: 'c', text: '担保方式为质押。' })].join('\n'));
    const r = await runFinlabel(['predict', file, '--model', defaultModel, '--json']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /records\.jsonl:2/);
    const out = JSON.parse(r.stdout) as { records: { line: number; id: string; spans: Span[] }[] };
    assert.deepEqual(out.records.map((x) => [x.line, x.id]), [[1, 'a'], [3, 'c']]);
    assert.deepEqual(out.records[1].spans.map((s) => [s.entity, s.value]), [['担保方式', '质押']]);
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
