import * as assert from 'node:assert/strict';
import { DEFAULT_LABEL_TYPES } from '../../src/common/labelSchema';
import { codePointLength, codePointSlice } from '../../src/server/dataset/jsonStringMap';
import { BioScheme } from '../../src/server/entities/bioScheme';
import { encodeEntitySplit } from '../../src/server/entities/entityDataset';
import { generateJudgments, type JudgmentRecord } from '../../src/server/samples/judgments';
import { renderMiniTemplate, TemplateError } from '../../src/server/samples/miniTemplate';
import { Rng } from '../../src/server/util/prng';
import { BertTokenizer } from '../../src/server/tokenization/bertTokenizer';
import { loadTokenizerFolder } from '../../src/server/tokenization/tokenizerFolder';

describe("renderMiniTemplate: the phrase banks' template language", () => {
  const fill = (name: string): string => ({ who: '李x8', amt: '5万元' })[name] ?? `?${name}`;

  it('labels <A:…> <G:…> <T:…> at code-point offsets, after characters outside the BMP', () => {
    const r = renderMiniTemplate('𠀋{who}借款<A:{amt}>,期限<T:3个月>,提供<G:抵押>担保', new Rng(1), fill);
    assert.equal(r.text, '𠀋李x8借款5万元,期限3个月,提供抵押担保');
    assert.deepEqual(
      r.labels.map((l) => [l.entity, l.value, l.start, l.end]),
      [
        ['借款金额', '5万元', 6, 9],
        ['还款期限', '3个月', 12, 15],
        ['担保方式', '抵押', 18, 20],
      ],
    );
    for (const l of r.labels) assert.equal(codePointSlice(r.text, l.start, l.end), l.value);
  });

  it('picks every alternative of [a|b|c] over many draws, nested ones too, and [?x] sometimes', () => {
    const seen = new Set<string>();
    const rng = new Rng(7);
    for (let i = 0; i < 300; i++) seen.add(renderMiniTemplate('[甲|乙[丙|丁]][?戊]', rng, fill).text);
    assert.deepEqual([...seen].sort(), ['乙丁', '乙丁戊', '乙丙', '乙丙戊', '甲', '甲戊'].sort());
  });

  it('labels the alternative chosen inside a labelled span', () => {
    const values = new Set<string>();
    const rng = new Rng(3);
    for (let i = 0; i < 100; i++) values.add(renderMiniTemplate('承担<G:[连带保证|连带责任保证]>责任', rng, fill).labels[0].value);
    assert.deepEqual([...values].sort(), ['连带保证', '连带责任保证']);
  });

  it('says where a template is malformed', () => {
    assert.throws(
      () => renderMiniTemplate('借款[甲|乙', new Rng(1), fill),
      (e: unknown) => e instanceof TemplateError && /unclosed \[/.test(e.message),
    );
    assert.throws(
      () => renderMiniTemplate('借款<A:5万元', new Rng(1), fill),
      (e: unknown) => e instanceof TemplateError && /unclosed <X:/.test(e.message),
    );
    assert.throws(() => renderMiniTemplate('{x', new Rng(1), fill), /unclosed \{/);
  });
});

describe('generateJudgments: court-judgment fact paragraphs', function () {
  this.timeout(30_000);
  let records: JudgmentRecord[];
  before(() => {
    records = generateJudgments(new Rng(2026), 400);
  });

  const before4 = (r: JudgmentRecord, start: number): string => codePointSlice(r.text, Math.max(0, start - 4), start);
  const after3 = (r: JudgmentRecord, end: number): string => codePointSlice(r.text, end, end + 3);

  it('is the same for the same seed and differs for another', () => {
    assert.deepEqual(generateJudgments(new Rng(2026), 400), records);
    assert.notDeepEqual(generateJudgments(new Rng(2027), 5), records.slice(0, 5));
  });

  it('gives labels whose value is the text at their code-point offsets, in order and without overlaps', () => {
    for (const r of records) {
      let end = 0;
      for (const l of r.labels) {
        assert.equal(codePointSlice(r.text, l.start, l.end), l.value, `${r.id} ${JSON.stringify(l)}`);
        assert.ok(l.start >= end, `${r.id}: overlapping labels at ${l.start}`);
        end = l.end;
      }
    }
  });

  it('only labels spans a token classifier can find (every span starts and ends at a WordPiece boundary)', () => {
    const tokenizer = BertTokenizer.from(loadTokenizerFolder('models/tokenizers/bert-base-chinese'));
    const split = encodeEntitySplit(tokenizer, new BioScheme(DEFAULT_LABEL_TYPES), records);
    assert.deepEqual(split.problems.slice(0, 3), []);
  });

  it('writes paragraphs as judgments are published: long, mostly without 。, with masked parties', () => {
    const lengths = records.map((r) => codePointLength(r.text)).sort((a, b) => a - b);
    assert.ok(lengths[Math.floor(lengths.length / 2)] >= 500, `median length ${lengths[Math.floor(lengths.length / 2)]}`);
    const withoutFullStops = records.filter((r) => (r.text.match(/。/g) ?? []).length <= 1).length;
    assert.ok(withoutFullStops / records.length > 0.6, `${withoutFullStops} of ${records.length} without 。`);
    assert.ok(records.filter((r) => /[\u4e00-\u9fff]x?\d+[向与为借,、]/.test(r.text)).length > records.length / 2, 'masked names such as 李x8 next to text');
    const empty = records.filter((r) => r.labels.length === 0).length;
    assert.ok(empty > 0 && empty < records.length * 0.2, `${empty} paragraphs without entities`);
  });

  it('names interest, fees, deposits, totals and collateral values in amounts, and never labels them', () => {
    const distractor = /(利息|违约金|保证金|律师费|诉讼费|代理费|本息合计|评估价值|保险费|担保费|货款|定金)$/;
    const labelledAfterDistractor = records.flatMap((r) =>
      r.labels.filter((l) => l.entity === '借款金额' && distractor.test(before4(r, l.start))).map((l) => `${r.id}: ${before4(r, l.start)}[${l.value}]`),
    );
    assert.deepEqual(labelledAfterDistractor, []);
    const distractorAmounts = records.reduce(
      (n, r) => n + (r.text.match(/(利息|违约金|保证金|律师代理费|本息合计|评估价值)(人民币)?[0-9壹贰叁肆伍陆柒捌玖]/g) ?? []).length,
      0,
    );
    assert.ok(distractorAmounts > records.length, `${distractorAmounts} distractor amounts in ${records.length} paragraphs`);
  });

  it('labels guarantee modes in contract names and verb phrases, never roles, deposits or periods', () => {
    const guarantees = records.flatMap((r) => r.labels.filter((l) => l.entity === '担保方式').map((l) => ({ r, l })));
    assert.ok(
      guarantees.some(({ r, l }) => before4(r, l.start).endsWith('《') && after3(r, l.end).startsWith('合同》')),
      'a mode inside 《…合同》',
    );
    assert.ok(
      guarantees.some(({ r, l }) => before4(r, l.start).endsWith('承担') && after3(r, l.end).startsWith('责任')),
      'a mode in 承担…责任',
    );
    const wrong = guarantees.filter(({ r, l }) => /^(人|金|期间|范围|登记|权)/.test(after3(r, l.end)) && !/^(人民币)/.test(after3(r, l.end)));
    assert.deepEqual(
      wrong.map(({ r, l }) => `${r.id}: [${l.value}]${after3(r, l.end)}`),
      [],
    );
    assert.ok(records.some((r) => r.text.includes('保证期间')) && records.some((r) => r.text.includes('抵押登记')), 'the distractors occur');
  });

  it('labels loan terms as durations, date ranges with 自…起至…止, and due dates, but not insurance periods', () => {
    const periods = records.flatMap((r) => r.labels.filter((l) => l.entity === '还款期限').map((l) => ({ r, l })));
    assert.ok(
      periods.some(({ l }) => /^自\d{4}年.*起至\d{4}年.*止$/.test(l.value)),
      'a 自…起至…止 range',
    );
    assert.ok(
      periods.some(({ l }) => /^(\d+|[一二两三六十]+)个?(月|年)$/.test(l.value)),
      'a duration',
    );
    const insurance = periods.filter(({ r, l }) => /保险期间$/.test(codePointSlice(r.text, Math.max(0, l.start - 5), l.start)));
    assert.deepEqual(
      insurance.map(({ r, l }) => `${r.id}: ${l.value}`),
      [],
    );
  });
});
