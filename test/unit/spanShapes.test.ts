import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LABEL_TYPES, LabelSchema } from '../../src/common/labelSchema';
import { BioScheme } from '../../src/server/entities/bioScheme';
import { decodeEntityScores } from '../../src/server/entities/entityDecoding';
import { encodeText } from '../../src/server/entities/entityEncoding';
import { spanShapesOf, type SpanShape } from '../../src/server/entities/spanShapes';
import { EntityModelError, loadEntityModelFolder } from '../../src/server/inference/entityModelFolder';
import { modelLabels } from '../../src/server/training/entityTraining';
import { BertTokenizer } from '../../src/server/tokenization/bertTokenizer';
import { loadTokenizerFolder } from '../../src/server/tokenization/tokenizerFolder';

describe('span shapes per type: fragments shorter than any span the model learnt, and amounts without a numeral, are not shown', () => {
  const schema = new LabelSchema();
  const scheme = new BioScheme(DEFAULT_LABEL_TYPES);
  const L = scheme.names.length;
  const bert = BertTokenizer.from(loadTokenizerFolder(join('models', 'tokenizers', 'bert-base-chinese')));

  /** The decoded values of a model whose every token puts 0.9 on `tags` (one per token, [CLS]/[SEP] O), under span shapes. */
  const decodedValues = (encoded: ReturnType<typeof encodeText>, tags: number[]) => {
    const all = [0, ...tags, 0];
    const rows = new Float32Array(all.length * L);
    all.forEach((id, t) => {
      for (let k = 0; k < L; k++) rows[t * L + k] = Math.log(k === id ? 0.9 : 0.1 / (L - 1));
    });
    return (shapes?: Map<string, SpanShape>): string[] => decodeEntityScores(encoded, scheme, [rows], shapes).spans.map((s) => s.value);
  };

  it("counts code points of each type's shortest label and whether each held a numeral, by name or tag, leaving unknown types and types without labels out", () => {
    // Offsets are code points: 𠀋 (outside the BMP) counts one.
    const records = [
      {
        text: '十二个月,连带责任保证',
        labels: [
          { entity: '还款期限', start: 0, end: 4 },
          { entity: 'GUARANTEE_TYPE', start: 5, end: 11 },
        ],
      },
      {
        text: '期限3年,以抵押,年息5%',
        labels: [
          { entity: 'REPAY_PERIOD', start: 2, end: 4 },
          { entity: '担保方式', start: 6, end: 8 },
          { entity: '利率', start: 11, end: 13 },
        ],
      },
      {
        text: '𠀋押,伍拾万元整,８０万元',
        labels: [
          { entity: '担保方式', start: 0, end: 2 },
          { entity: '借款金额', start: 3, end: 8 },
          { entity: '借款金额', start: 9, end: 13 },
        ],
      },
    ];
    assert.deepEqual([...spanShapesOf(records, schema)].sort(), [
      ['GUARANTEE_TYPE', { shortest: 2, numeral: false }],
      ['LOAN_AMOUNT', { shortest: 4, numeral: true }],
      ['REPAY_PERIOD', { shortest: 2, numeral: true }],
    ]);
    const labels = modelLabels(schema, records);
    assert.deepEqual(
      labels.types.map((t) => [t.tag, t.shortestSpan, t.numeralInEverySpan]),
      [
        ['LOAN_AMOUNT', 4, true],
        ['GUARANTEE_TYPE', 2, undefined],
        ['REPAY_PERIOD', 2, true],
      ],
    );
    const one = modelLabels(schema, [
      {
        text: '人民币,5万元',
        labels: [
          { entity: '借款金额', start: 0, end: 3 },
          { entity: '借款金额', start: 4, end: 7 },
        ],
      },
    ]);
    assert.equal(one.types[0].numeralInEverySpan, undefined, 'one amount without a numeral in training: the rule is off for the type');
  });

  it('decoding drops a one-character 还款期限 when the shortest trained span is two, and keeps it without that rule', () => {
    const text = '期限十二个月';
    const encoded = encodeText(bert, text);
    assert.equal(encoded.tokens.ids.length, 6);
    // the model's path: O O B-REPAY_PERIOD(十) B-REPAY_PERIOD(二) I I
    const values = decodedValues(encoded, [0, 0, scheme.beginId(2), scheme.beginId(2), scheme.insideId(2), scheme.insideId(2)]);
    assert.deepEqual(values(), ['十', '二个月']);
    assert.deepEqual(values(new Map([['REPAY_PERIOD', { shortest: 2, numeral: false }]])), ['二个月']);
    assert.deepEqual(values(new Map([['LOAN_AMOUNT', { shortest: 3, numeral: true }]])), ['十', '二个月'], "another type's rule does not apply");
  });

  it('decoding drops a 借款金额 with no digit or numeral (人民币 alone) when every trained amount had one, and keeps 伍万元 beside it', () => {
    const text = '存入人民币及伍万元';
    const encoded = encodeText(bert, text);
    assert.equal(encoded.tokens.ids.length, 9);
    // the model's path: O O B I I O B I I
    const values = decodedValues(encoded, [
      0,
      0,
      scheme.beginId(0),
      scheme.insideId(0),
      scheme.insideId(0),
      0,
      scheme.beginId(0),
      scheme.insideId(0),
      scheme.insideId(0),
    ]);
    assert.deepEqual(values(), ['人民币', '伍万元']);
    assert.deepEqual(values(new Map([['LOAN_AMOUNT', { shortest: 2, numeral: true }]])), ['伍万元']);
    assert.deepEqual(
      values(new Map([['LOAN_AMOUNT', { shortest: 2, numeral: false }]])),
      ['人民币', '伍万元'],
      'a type whose training spans lacked numerals keeps them',
    );
  });

  it('is read from labels.json with the model folder; a bad value is an error naming the file and entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'finlabel-shapes-'));
    try {
      cpSync('models/default-entities', dir, { recursive: true });
      const file = join(dir, 'labels.json');
      const labels = JSON.parse(readFileSync(file, 'utf8')) as { types: Record<string, unknown>[] };
      labels.types[2].shortestSpan = 2;
      labels.types[2].numeralInEverySpan = true;
      delete labels.types[0].shortestSpan;
      delete labels.types[0].numeralInEverySpan;
      delete labels.types[1].numeralInEverySpan;
      writeFileSync(file, JSON.stringify(labels));
      const model = loadEntityModelFolder(dir);
      assert.deepEqual(model.spanShapes.get('REPAY_PERIOD'), { shortest: 2, numeral: true });
      assert.equal(model.spanShapes.get('GUARANTEE_TYPE')?.numeral, false);
      assert.equal(model.spanShapes.has('LOAN_AMOUNT'), false);
      labels.types[1].shortestSpan = 0;
      writeFileSync(file, JSON.stringify(labels));
      assert.throws(
        () => loadEntityModelFolder(dir),
        (e: unknown) => e instanceof EntityModelError && /labels\.json: types\[1\]\.shortestSpan must be a whole number/.test(e.message),
      );
      labels.types[1].shortestSpan = 2;
      labels.types[1].numeralInEverySpan = 'yes';
      writeFileSync(file, JSON.stringify(labels));
      assert.throws(
        () => loadEntityModelFolder(dir),
        (e: unknown) => e instanceof EntityModelError && /labels\.json: types\[1\]\.numeralInEverySpan must be true or false/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
