import * as assert from 'node:assert/strict';
import { JsonStringMap, codePointLength } from '../../src/server/dataset/jsonStringMap';

function mapOf(decoded: string): { raw: string; map: JsonStringMap } {
  const raw = JSON.stringify(decoded).slice(1, -1);
  const map = JsonStringMap.fromRawContent(raw);
  assert.ok(map, `could not map ${raw}`);
  return { raw, map };
}

describe('JsonStringMap: decoded code points <-> raw UTF-16 columns', () => {
  it('decodes exactly what JSON.parse decodes', () => {
    for (const raw of ['a\\nb', '\\"quoted\\"', '\\u4e2d\\u6587', '\\ud840\\udc0b', '𠀋x', 'tab\\there\\\\', '\\/']) {
      assert.equal(JsonStringMap.fromRawContent(raw)?.decoded, JSON.parse(`"${raw}"`));
    }
  });

  it('counts a character outside the BMP as one code point', () => {
    const { map } = mapOf('借款𠀋500万元😀');
    assert.equal(map.length, 9);
    assert.equal(map.length, codePointLength(map.decoded));
    assert.equal(map.slice(3, 7), '500万');
    // 𠀋 is two UTF-16 units, so code point 3 starts at raw column 4.
    assert.equal(map.rawOffsetOf(3), 4);
  });

  it('maps escapes (\\n, \\", \\uXXXX, escaped surrogate pairs) to one code point each', () => {
    const raw = 'a\\nb\\"c\\u4e2dd\\ud840\\udc0be';
    const map = JsonStringMap.fromRawContent(raw);
    assert.ok(map);
    assert.equal(map.decoded, 'a\nb"c中d𠀋e');
    assert.deepEqual(
      Array.from({ length: map.length + 1 }, (_, i) => map.rawOffsetOf(i)),
      [0, 1, 3, 4, 6, 7, 13, 14, 26, 27],
    );
  });

  it('rounds a column inside an escape to the enclosing character (floor) or past it (ceil)', () => {
    const map = JsonStringMap.fromRawContent('a\\u4e2db');
    assert.ok(map);
    assert.equal(map.codePointAt(3, 'floor'), 1);
    assert.equal(map.codePointAt(3, 'ceil'), 2);
    assert.equal(map.codePointAt(7, 'floor'), 2);
    assert.equal(map.codePointAt(7, 'ceil'), 2);
    assert.equal(map.codePointAt(0, 'ceil'), 0);
    assert.equal(map.codePointAt(99, 'floor'), 3);
  });

  it('treats a lone surrogate as one code point, as Python does', () => {
    const map = JsonStringMap.fromRawContent('x\\ud800y');
    assert.ok(map);
    assert.equal(map.length, 3);
  });

  it('rejects content that is not a JSON string body', () => {
    assert.equal(JsonStringMap.fromRawContent('bad\\q'), undefined);
    assert.equal(JsonStringMap.fromRawContent('\\u12'), undefined);
    assert.equal(JsonStringMap.fromRawContent('raw"quote'), undefined);
  });

  it('round-trips every code point offset through raw columns', () => {
    const { map } = mapOf('甲方：重庆𡈼𤭢科技有限公司\r\n借款金额"¥5,000,000.00"\t📄');
    for (let i = 0; i <= map.length; i++) {
      assert.equal(map.codePointAt(map.rawOffsetOf(i), 'floor'), i);
      assert.equal(map.codePointAt(map.rawOffsetOf(i), 'ceil'), i);
    }
  });
});
