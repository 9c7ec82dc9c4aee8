import * as assert from 'node:assert/strict';
import { CreditProbabilities } from '../../src/server/credit/creditProbabilities';
import { cellRange } from '../../src/server/credit/creditRows';
import { appendScoreColumns } from '../../src/server/credit/scoredCsv';

// The scoring of credit CSVs through the real worker is in test/processes/creditScore.test.ts.
describe('credit scoring helpers', () => {
  it('cellRange finds a cell of a line, quoted cells with commas and doubled quotes included', () => {
    const line = '"a,""b""",😀𠀋,,x';
    assert.deepEqual(
      [0, 1, 2, 3].map((k) => cellRange(line, k)),
      [
        { start: 0, end: 9 },
        { start: 10, end: 14 },
        { start: 15, end: 15 },
        { start: 16, end: 17 },
      ],
    );
    assert.equal(cellRange(line, 4), undefined);
  });

  it('appendScoreColumns leaves a last record without a line end, and rows without a probability get empty cells', () => {
    const text = 'a,b\r\n1,2\r\n"x\ny",3';
    assert.equal(appendScoreColumns(text, new Map([[3, 0.25]]), 0.2), 'a,b,违约概率,预测\r\n1,2,,\r\n"x\ny",3,0.250000,1');
  });

  it('CreditProbabilities sends only prompts it has not scored, each once', async () => {
    const cache = new CreditProbabilities('m');
    const sent: number[][][] = [];
    const score = async (batch: number[][]): Promise<number[]> => {
      sent.push(batch);
      return batch.map((ids) => ids[0] / 10);
    };
    await cache.fill(
      [
        { prompt: 'a', inputIds: [1] },
        { prompt: 'b', inputIds: [2] },
        { prompt: 'a', inputIds: [1] },
      ],
      score,
    );
    await cache.fill(
      [
        { prompt: 'b', inputIds: [2] },
        { prompt: 'c', inputIds: [3] },
      ],
      score,
    );
    assert.deepEqual(sent, [[[1], [2]], [[3]]]);
    assert.deepEqual(
      ['a', 'b', 'c'].map((p) => cache.get(p)),
      [0.1, 0.2, 0.3],
    );
  });
});
