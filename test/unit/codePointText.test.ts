import * as assert from 'node:assert/strict';
import { CodePointText } from '../../src/server/dataset/codePointText';

describe('CodePointText: editor offsets (UTF-16) to dataset offsets (code points)', () => {
  const t = new CodePointText('a😀b\r\n𠀋c');
  it('converts both ways around non-BMP characters and "\\r\\n"', () => {
    assert.equal(t.length, 7);
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) => t.utf16Offset(i)),
      [0, 1, 3, 4, 5, 6, 8, 9],
    );
    assert.equal(t.codePointOffset(3, 'floor'), 2);
    assert.equal(t.codePointOffset(2, 'floor'), 1, 'inside 😀, a start takes the whole character');
    assert.equal(t.codePointOffset(2, 'ceil'), 2, 'inside 😀, an end takes the whole character');
    assert.equal(t.slice(1, 6), '😀b\r\n𠀋');
  });

  it('finds the code point that starts exactly at a UTF-16 offset, and none between the halves of a pair or outside the text', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => t.codePointStartingAt(i)),
      [0, 1, undefined, 2, 3, 4, 5, undefined, 6, 7],
    );
    assert.deepEqual(
      [-1, 10, 1.5].map((i) => t.codePointStartingAt(i)),
      [undefined, undefined, undefined],
    );
  });
});
