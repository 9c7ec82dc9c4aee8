import * as assert from 'node:assert/strict';
import { LabelSchema } from '../../src/common/labelSchema';
import { TINY_ENTITY_BASE } from '../../src/server/training/baseModels';
import { prepareEntityTraining } from '../../src/server/training/entityTraining';

describe('training input: problems name the line of the user file', () => {
  it('a label left out names its line in the file, whether its record went to the train or the dev split', function () {
    this.timeout(60_000); // loads the shipped tokenizer
    const lines: string[] = [];
    const badLines: number[] = [];
    for (let i = 0; i < 60; i++) {
      if (i % 5 === 0) lines.push(''); // blank lines: a record's line is not its index
      const bad = i % 7 === 3;
      const labels = [{ entity: '借款金额', start: 4, end: 6 + String(i + 1).length }, ...(bad ? [{ entity: '不存在的类型', start: 0, end: 2 }] : [])];
      lines.push(JSON.stringify({ id: `r${i}`, text: `借款金额${i + 1}万元`, labels }));
      if (bad) badLines.push(lines.length);
    }
    const prepared = prepareEntityTraining({
      jobId: 'j',
      content: lines.join('\n') + '\n',
      file: 'd.jsonl',
      schema: new LabelSchema(),
      tokenizerDir: 'models/tokenizers/bert-base-chinese',
      outDir: '/tmp/none',
      base: TINY_ENTITY_BASE,
      devRatio: 0.3,
    });
    const named = prepared.problems.map((p) => /^d\.jsonl:(\d+): /.exec(p)?.[1]).map(Number);
    assert.deepEqual(
      named.sort((a, b) => a - b),
      badLines,
      prepared.problems.join('\n'),
    );
    for (const p of prepared.problems) assert.match(p, /不存在的类型/);
    const devLines = prepared.devRecords.map((r) => Number(/^line (\d+)$/.exec(r.id ?? '')?.[1]));
    assert.ok(devLines.length > 0 && devLines.some((l) => badLines.includes(l)), 'a bad record went to dev, so both parts are checked');
    for (const l of devLines) assert.ok(lines[l - 1].startsWith('{"id"'), `line ${l} of the file is a record`);
  });
});
