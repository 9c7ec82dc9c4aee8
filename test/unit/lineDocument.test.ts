import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineDocument } from '../../src/server/dataset/lineDocument';
import { wellFormedChange } from '../../src/server/lsp/trackedTextDocuments';
import { mulberry32 } from '../../src/server/util/prng';

describe('LineDocument (the dataset JSONL document kept as lines)', () => {
  it('agrees with the library TextDocument on text, lines and positions through random edits', () => {
    const random = mulberry32(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const pieces = ['', 'a', '借款', '😀', '\n', '\r\n', '\r', '\n\r', 'x\ny', '{"text": "5"}\r\n', '\r\r\n\n'];
    for (let round = 0; round < 20; round++) {
      const initial = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(pieces)).join('');
      let reference = TextDocument.create('file:///r.jsonl', 'jsonl', 1, initial);
      const doc = new LineDocument('file:///r.jsonl', 'jsonl', 1, initial);
      for (let step = 0; step < 60; step++) {
        const lines = reference.lineCount;
        // Positions may be negative, past a line's end or past the last line: both must clamp alike.
        const position = () => ({ line: Math.floor(random() * (lines + 6)) - 2, character: Math.floor(random() * 10) - 3 });
        const change = { range: { start: position(), end: position() }, text: pick(pieces) + pick(pieces) };
        // The library gets the change as the server gives it (see wellFormedChange); the LineDocument as sent.
        reference = TextDocument.update(reference, [wellFormedChange(reference, change)], reference.version + 1);
        doc.update([change], doc.version + 1);
        const context = `round ${round}, step ${step}: ${JSON.stringify(change)} on ${JSON.stringify(initial)}`;
        assert.equal(doc.getText(), reference.getText(), context);
        assert.equal(doc.lineCount, reference.lineCount, context);
        assert.equal(reference.lineCount, TextDocument.create('file:///f.jsonl', 'jsonl', 1, reference.getText()).lineCount, context);
        assert.equal(doc.version, reference.version);
        for (let k = 0; k < 5; k++) {
          const p = position();
          const q = position();
          assert.equal(doc.offsetAt(p), reference.offsetAt(p), `offsetAt ${JSON.stringify(p)}, ${context}`);
          assert.equal(doc.getText({ start: p, end: q }), reference.getText({ start: p, end: q }), context);
          assert.deepEqual(doc.getLineRange(p.line - 1), reference.getLineRange(p.line - 1), context);
          assert.equal(doc.getEOLCharacters(p.line), reference.getEOLCharacters(p.line), context);
          const offset = Math.floor(random() * (reference.getText().length + 2));
          assert.deepEqual(doc.positionAt(offset), reference.positionAt(offset), `positionAt ${offset}, ${context}`);
        }
      }
    }
  });

  it('gives each line without its break', () => {
    const doc = new LineDocument('file:///l.jsonl', 'jsonl', 1, 'a\r\nb\nc\rd');
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => doc.lineText(i)),
      ['a', 'b', 'c', 'd'],
    );
  });
});
