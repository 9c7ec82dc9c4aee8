import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { encodeText } from '../../src/server/entities/entityEncoding';
import { BertTokenizer } from '../../src/server/tokenization/bertTokenizer';
import { loadTokenizerFolder } from '../../src/server/tokenization/tokenizerFolder';
import { WordBoundary, WordSegmenter } from '../../src/server/tokenization/wordSegmenter';

const repo = path.resolve(__dirname, '..', '..', '..');
const letters = 'xBMES';
const written = (tags: Uint8Array | readonly number[]): string => Array.from(tags, (t) => letters[t]).join('');

describe('word boundaries from the shipped Qwen2 tokenizer (wordSegmenter)', function () {
  this.timeout(60_000); // loads a 5 MB tokenizer
  const segmenter = WordSegmenter.load(path.join(repo, 'models', 'tokenizers', 'qwen2', 'tokenizer.json'));
  const bert = BertTokenizer.from(loadTokenizerFolder(path.join(repo, 'models', 'tokenizers', 'bert-base-chinese')));

  it("tags each character as the Rust tokenizers library's offsets cut the text (its pieces without their spaces)", () => {
    // Expected from `tokenizers` (Rust, in the worker's Python) encode(...).offsets on the same file:
    // a piece of one character is S, of several B M... E; white space is x.
    const cases: [string, string][] = [
      ['借款人张三于2020年3月5日向原告借款人民币50,000元，约定还款期限为十二个月。', 'BMESSSSSSSSSSSSSBEBEBMESSSSSSSSBEBEBESBEBES'],
      ['浙江省杭州市 Apple Inc.\n保证人😀签字', 'BMEBMExBMMMExBMESxBESSBE'],
      ['担保方式：连带责任保证', 'BEBESSSBEBE'],
      // U+F90A, a CJK compatibility ideograph, becomes 金 (U+91D1) under NFC: one character for one
      ['抵押物为\uF90A条及房产', 'BESSSSSBE'],
    ];
    for (const [text, expected] of cases) assert.equal(written(segmenter.characterBoundaries(text)), expected, text);
  });

  it('a text whose NFC form has another length keeps every character a word of its own', () => {
    // U+0344 normalizes to two code points
    assert.equal(written(segmenter.characterBoundaries('借款\u0344人')), 'SSSS');
  });

  it('a token of several characters begins a word when its first character does and ends one when its last does', () => {
    const text = '浙江省杭州市';
    // characters B M E B M E; tokens [0,2) [2,3) [3,6) [4,5)
    const tokens = { ids: [1, 2, 3, 4], starts: [0, 2, 3, 4], ends: [2, 3, 6, 5] };
    assert.deepEqual(segmenter.tokenBoundaries(text, tokens), [WordBoundary.begin, WordBoundary.end, WordBoundary.single, WordBoundary.middle]);
  });

  it("a model's windows get one boundary per token, none at [CLS] and [SEP], each window cut from the whole text's", () => {
    const text = '借款人向贷款人申请流动资金借款人民币伍佰万元整，借款期限为十二个月。'.repeat(12);
    const plain = encodeText(bert, text, { maxLength: 64, overlap: 16 });
    const encoded = encodeText(bert, text, { maxLength: 64, overlap: 16 }, segmenter);
    assert.equal(plain.wordBoundaryIds, undefined);
    assert.deepEqual(encoded.inputIds, plain.inputIds);
    assert.ok(encoded.windows.length > 3);
    const whole = segmenter.tokenBoundaries(text, encoded.tokens);
    encoded.windows.forEach((w, k) => {
      const row = encoded.wordBoundaryIds![k];
      assert.equal(row.length, encoded.inputIds[k].length);
      assert.deepEqual(row, [WordBoundary.none, ...whole.slice(w.start, w.end), WordBoundary.none]);
    });
    assert.equal(written(whole.slice(0, 3)), 'BME', '借款人 is one word');
  });
});
