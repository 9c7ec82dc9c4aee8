import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LABEL_TYPES, LabelSchema } from '../../src/common/labelSchema';
import { BioScheme } from '../../src/server/entities/bioScheme';
import { decodeEntityScores } from '../../src/server/entities/entityDecoding';
import { encodeText } from '../../src/server/entities/entityEncoding';
import { shortestSpanLengths } from '../../src/server/entities/shortestSpans';
import { EntityModelError, loadEntityModelFolder } from '../../src/server/inference/entityModelFolder';
import { modelLabels } from '../../src/server/training/entityTraining';
import { BertTokenizer } from '../../src/server/tokenization/bertTokenizer';
import { loadTokenizerFolder } from '../../src/server/tokenization/tokenizerFolder';

describe('shortest training span per type: fragments shorter than any span the model learnt are not shown', () => {
  const schema = new LabelSchema();
  const scheme = new BioScheme(DEFAULT_LABEL_TYPES);
  const L = scheme.names.length;
  const bert = BertTokenizer.from(loadTokenizerFolder(join('models', 'tokenizers', 'bert-base-chinese')));

  it('counts code points of each type\'s shortest label, by name or tag, and leaves unknown types and types without labels out', () => {
    const records = [
      { labels: [{ entity: '还款期限', value: '十二个月', start: 0, end: 4 }, { entity: 'GUARANTEE_TYPE', value: '连带责任保证', start: 5, end: 11 }] },
      { labels: [{ entity: 'REPAY_PERIOD', value: '3年', start: 2, end: 4 }, { entity: '担保方式', value: '抵押', start: 7, end: 9 }, { entity: '利率', value: '5%', start: 10, end: 12 }] },
      { labels: [{ entity: '担保方式', value: '𠀋押', start: 0, end: 2 }] },
    ];
    assert.deepEqual([...shortestSpanLengths(records, schema)].sort(), [['GUARANTEE_TYPE', 2], ['REPAY_PERIOD', 2]]);
    const labels = modelLabels(schema, records);
    assert.deepEqual(labels.types.map((t) => [t.tag, t.shortestSpan]), [['LOAN_AMOUNT', undefined], ['GUARANTEE_TYPE', 2], ['REPAY_PERIOD', 2]]);
  });

  it('decoding drops a one-character 还款期限 when the shortest trained span is two, and keeps it without that rule', () => {
    const text = '期限十二个月';
    const encoded = encodeText(bert, text);
    assert.equal(encoded.tokens.ids.length, 6);
    // the model's path: O O B-REPAY_PERIOD(十) B-REPAY_PERIOD(二) I I
    const tags = [0, 0, scheme.beginId(2), scheme.beginId(2), scheme.insideId(2), scheme.insideId(2)];
    const all = [0, ...tags, 0];
    const rows = new Float32Array(all.length * L);
    all.forEach((id, t) => {
      for (let k = 0; k < L; k++) rows[t * L + k] = Math.log(k === id ? 0.9 : 0.1 / (L - 1));
    });
    const values = (shortest?: Map<string, number>): string[] => decodeEntityScores(encoded, scheme, [rows], shortest).spans.map((s) => s.value);
    assert.deepEqual(values(), ['十', '二个月']);
    assert.deepEqual(values(new Map([['REPAY_PERIOD', 2]])), ['二个月']);
    assert.deepEqual(values(new Map([['LOAN_AMOUNT', 3]])), ['十', '二个月'], 'another type\'s rule does not apply');
  });

  it('is read from labels.json with the model folder; a bad value is an error naming the file and entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'finlabel-shortest-'));
    try {
      cpSync('models/default-entities', dir, { recursive: true });
      const file = join(dir, 'labels.json');
      const labels = JSON.parse(readFileSync(file, 'utf8')) as { types: Record<string, unknown>[] };
      labels.types[2].shortestSpan = 2;
      delete labels.types[0].shortestSpan;
      writeFileSync(file, JSON.stringify(labels));
      const model = loadEntityModelFolder(dir);
      assert.equal(model.shortestSpans.get('REPAY_PERIOD'), 2);
      assert.equal(model.shortestSpans.has('LOAN_AMOUNT'), false);
      labels.types[1].shortestSpan = 0;
      writeFileSync(file, JSON.stringify(labels));
      assert.throws(() => loadEntityModelFolder(dir), (e: unknown) => e instanceof EntityModelError && /labels\.json: types\[1\]\.shortestSpan must be a whole number/.test(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
