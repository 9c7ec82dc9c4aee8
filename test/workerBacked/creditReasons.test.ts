import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadCreditModel, type CreditModel } from '../../src/server/credit/creditModelFolder';
import { rowHoverMarkdown } from '../../src/server/credit/creditPresentation';
import { CreditProbabilities } from '../../src/server/credit/creditProbabilities';
import { creditFileRows } from '../../src/server/credit/creditRows';
import { counterfactuals, reasonsLine, reasonText, rowReasons } from '../../src/server/credit/rowReasons';
import { appendScoreColumns, reasonColumns } from '../../src/server/credit/scoredCsv';
import { Rng } from '../../src/server/util/prng';
import { prepareCreditTraining } from '../../src/server/training/creditTraining';
import type { WorkerJobs } from '../../src/server/worker/workerJobs';
import type { WorkerSupervisor } from '../../src/server/worker/workerSupervisor';
import { TINY_QWEN_BASE } from '../creditModelFixture';
import { startWorkerJobs } from './workerPython';

const repo = path.resolve(__dirname, '..', '..', '..');

/**
 * One field decides: a firm in 西北 defaults, every other firm does not. 华东 is the most frequent
 * region (so it is the training reference value of 区域); the numbers are noise.
 */
function regionRuleCsv(rows: number, seed: number): Buffer {
  const rng = new Rng(seed);
  const lines = ['企业名称,纳税额(万元),经营年限(年),区域,是否违约'];
  for (let i = 0; i < rows; i++) {
    const u = rng.float();
    const region = u < 0.5 ? '华东' : u < 0.65 ? '华南' : u < 0.8 ? '华北' : '西北';
    lines.push(`企业${i},${(rng.float() * 50).toFixed(1)},${1 + Math.floor(rng.float() * 20)},${region},${region === '西北' ? 1 : 0}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

describe('credit reasons per row', () => {
  it("says a reason as 主要原因 with the column's unit, and writes reason columns quoted only when needed", () => {
    const r = { column: '纳税额(万元)', value: '18', reference: '25.3', delta: 0.2134 };
    assert.equal(reasonText(r), '纳税额 18万元 (+0.21)');
    assert.equal(reasonText({ column: '经营年限（年）', value: '1', reference: '8', delta: 0.0042 }), '经营年限 1年 (+0.004)');
    assert.equal(reasonsLine([r, { column: '区域', value: '西北', reference: '华东', delta: 0.09 }]), '主要原因: 纳税额 18万元 (+0.21), 区域 西北 (+0.09)');
    assert.match(reasonsLine([]), /^主要原因: no field raises P\(违约\)/);
    const text = 'a,b\r\n1,2\r\n3,4\r\n';
    const out = appendScoreColumns(
      text,
      new Map([
        [2, 0.7],
        [3, 0.1],
      ]),
      0.5,
      { names: reasonColumns(2), cells: new Map([[2, ['x, y', 'z']]]) },
    );
    assert.equal(out, 'a,b,违约概率,预测,主要原因1,主要原因2\r\n1,2,0.700000,1,"x, y",z\r\n3,4,0.100000,0,,\r\n');
  });

  describe('on a tiny Qwen trained on a rule where one field decides', function () {
    this.timeout(600_000);
    let supervisor: WorkerSupervisor;
    let jobs: WorkerJobs;
    let model: CreditModel;
    const scratch = mkdtempSync(path.join(tmpdir(), 'finlabel-reasons-'));

    before(async function () {
      ({ supervisor, jobs } = startWorkerJobs(repo));
      const prepared = prepareCreditTraining({
        jobId: 'reasons-rule',
        bytes: regionRuleCsv(400, 3),
        file: 'region-rule.csv',
        tokenizerDir: path.join(repo, 'models', 'tokenizers', 'qwen2'),
        base: TINY_QWEN_BASE,
        outDir: path.join(scratch, 'model'),
        hyper: { epochs: 6, batchSize: 16, learningRate: 2e-3, device: 'cpu' },
      });
      const result = await jobs.trainCredit(prepared.params);
      model = loadCreditModel(result.modelDir);
    });

    after(async () => {
      jobs?.dispose();
      await supervisor?.dispose();
    });

    it('the deciding field ranks first for the firms it makes default, and the reasons are the same on a second run', async () => {
      assert.equal(model.settings.imputation.columns.find((c) => c.column === '区域')?.value, '华东', 'the reference region');
      const rows = creditFileRows(regionRuleCsv(60, 11), 'new.csv', model);
      const score = async (batch: number[][]): Promise<number[]> => (await jobs.scoreCredit({ modelDir: model.dir, batch })).probabilities;
      const probabilities = new CreditProbabilities(model.key);
      const reasons = await rowReasons(model, rows.header, rows.rows, probabilities, score, 3);
      const northwest = rows.rows.filter((r) => r.label === 1);
      assert.ok(northwest.length >= 5, `${northwest.length} firms in 西北`);
      for (const row of northwest) {
        const p = probabilities.get(row.prompt)!;
        const top = reasons.get(row.line)!;
        assert.ok(p > 0.5, `line ${row.line}: P(违约) ${p} (the model learnt the rule)`);
        assert.equal(top[0]?.column, '区域', `line ${row.line}: ${reasonsLine(top)}`);
        assert.equal(top[0].value, '西北');
        assert.equal(top[0].reference, '华东');
        assert.ok(top[0].delta > 0.3, `line ${row.line}: ${reasonsLine(top)}`);
      }
      // A firm in 华东 is at the reference: its region cannot be a reason, and nothing raises it much.
      for (const row of rows.rows.filter((r) => r.cells[3] === '华东')) {
        assert.ok(!counterfactuals(model, rows.header, row).some((c) => c.column === '区域'));
        assert.ok(reasons.get(row.line)!.every((r) => r.column !== '区域'));
      }
      // Deterministic: a fresh cache and batches gives the same reasons.
      const again = await rowReasons(model, rows.header, rows.rows, new CreditProbabilities(model.key), score, 3);
      assert.deepEqual([...again], [...reasons]);
      // The hover of a 西北 row says it.
      const row = northwest[0];
      assert.match(
        rowHoverMarkdown(row, probabilities.get(row.prompt), 0.5, model.settings.imputation, 'file', reasons.get(row.line)),
        /主要原因: 区域 西北 \(\+0\.\d\d\)/,
      );
    });
  });
});
