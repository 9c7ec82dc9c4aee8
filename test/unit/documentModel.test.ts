import * as assert from 'node:assert/strict';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { LabelSchema } from '../../src/common/labelSchema';
import { JsonlDocumentModel } from '../../src/server/dataset/documentModel';
import { LineDocument } from '../../src/server/dataset/lineDocument';
import { placeSpans } from '../../src/server/dataset/spanPlacement';
import { Rng } from '../../src/server/util/prng';
import { toDiagnostics } from '../../src/server/lsp/diagnostics';

const schema = new LabelSchema();

function record(i: number, text: string): string {
  const start = Array.from(text).indexOf('5');
  const labels = start >= 0 ? [{ entity: '借款金额', value: '500万元', start, end: start + 5 }] : [];
  return JSON.stringify({ id: `r${i}`, text, labels });
}

/** What the model says about every line: its text, spans and diagnostics, as plain data. */
function snapshot(model: JsonlDocumentModel): unknown {
  return {
    lines: Array.from({ length: model.lineCount }, (_, i) => model.line(i)),
    spans: placeSpans(model).map((s) => [s.range.start.line, s.range.start.character, s.range.end.character, s.entity, s.value]),
    diagnostics: toDiagnostics(model),
  };
}

function fresh(doc: TextDocument): JsonlDocumentModel {
  const m = new JsonlDocumentModel(schema);
  m.reset(doc);
  return m;
}

/** A model built from scratch on a text. */
function modelOf(text: string): JsonlDocumentModel {
  const m = new JsonlDocumentModel(schema);
  m.update(text);
  return m;
}

/**
 * The text after one change, as vscode-languageserver-textdocument's TextDocument.update clamps and
 * applies it. On a fresh document each time: after some ranges past the last line (both ends two or
 * more lines past it) its line table goes wrong (1.0.16 writes past its end), though its text does not.
 */
function libraryUpdate(text: string, change: TextDocumentContentChangeEvent): string {
  return TextDocument.update(TextDocument.create('file:///r.jsonl', 'jsonl', 1, text), [change], 2).getText();
}

const PIECES = ['', 'x', '\n', '\r\n', '\r', '{"text": "5"}', '500万元', '"', '😀', '𠀋', '\n\n', ']', '{'];

/**
 * One random content change of an edit stream on `doc`: a small replacement, a whole record inserted
 * at a line start, a deletion across lines, or a range anywhere at all (negative, past a line's end,
 * past the last line), which the document clamps.
 */
function randomChange(rng: Rng, doc: TextDocument): TextDocumentContentChangeEvent {
  const length = doc.getText().length;
  const lines = doc.lineCount;
  switch (
    rng.weighted([
      ['replace', 2],
      ['record', 3],
      ['delete-lines', 1],
      ['anywhere', 2],
    ] as const)
  ) {
    case 'replace': {
      const a = rng.int(0, length);
      const b = Math.min(length, a + rng.int(0, 12));
      return { range: { start: doc.positionAt(a), end: doc.positionAt(b) }, text: rng.pick(PIECES) };
    }
    case 'record': {
      const at = { line: rng.int(0, lines), character: 0 };
      const text = record(rng.int(10, 99), rng.pick(['借款500万元', '😀借款金额500万元\r\n第二行', '𠀋担保方式为抵押']));
      return { range: { start: at, end: at }, text: text + rng.pick(['\n', '\r\n']) };
    }
    case 'delete-lines': {
      // The larger the document, the more it loses: the stream neither dies out nor grows without end.
      const from = rng.int(0, lines - 1);
      const to = Math.min(lines - 1, from + rng.int(1, Math.max(1, Math.floor(lines / 3))));
      return { range: { start: { line: from, character: rng.int(0, 8) }, end: { line: to, character: rng.int(0, 8) } }, text: '' };
    }
    case 'anywhere': {
      const position = () => ({ line: rng.int(-3, lines + 3), character: rng.int(-4, 60) });
      return { range: { start: position(), end: position() }, text: rng.pick(PIECES) + rng.pick(PIECES) };
    }
  }
}

describe('JsonlDocumentModel (incremental)', () => {
  const texts = ['借款金额500万元,担保方式为抵押', '😀借款500万元𠀋', '第一行\r\n借款500万元', '无标注'];
  const base = texts.map((t, i) => record(i, t)).join('\n') + '\n';

  it('after every edit of random streams, says exactly what a model built from the text says', function () {
    this.timeout(20_000);
    for (const seed of [7, 8, 9, 10]) {
      const rng = new Rng(seed);
      // The server keeps dataset JSONL as a LineDocument and gives the model its changes.
      const doc = new LineDocument('file:///t.jsonl', 'jsonl', 1, base);
      const model = fresh(doc);
      let expectedText = base;
      for (let step = 0; step < 250; step++) {
        const before = TextDocument.create('file:///t.jsonl', 'jsonl', 1, expectedText);
        const changes = Array.from({ length: rng.chance(0.15) ? 3 : 1 }, () => randomChange(rng, before));
        for (const change of changes) expectedText = libraryUpdate(expectedText, change);
        doc.update(changes, doc.version + 1);
        model.applyChanges(doc, changes);
        // Touch some lines between edits, as hovers and span windows do.
        if (rng.chance(0.3)) model.analysis(rng.int(0, model.lineCount - 1));
        const context = `seed ${seed}, edit ${step + 1}: ${JSON.stringify(changes)}`;
        assert.equal(doc.getText(), expectedText, context);
        assert.deepEqual(snapshot(model), snapshot(modelOf(expectedText)), context);
      }
    }
  });

  it('clamps a change past the end or before the start like TextDocument.update: the line it breaks is reported, and stays so after later edits', () => {
    const text = `${record(0, '借款500万元')}\r\n${record(1, '担保方式为抵押')}`;
    const doc = new LineDocument('file:///clamp.jsonl', 'jsonl', 1, text);
    const model = fresh(doc);
    const edit = (change: TextDocumentContentChangeEvent): void => {
      doc.update([change], doc.version + 1);
      model.applyChanges(doc, [change]);
    };
    // Past the end: appended to the last line, which is no longer JSON.
    edit({ range: { start: { line: 7, character: 3 }, end: { line: 9, character: 0 } }, text: ' oops' });
    assert.deepEqual(
      toDiagnostics(model).map((d) => [d.range.start.line, d.code]),
      [[1, 'malformed-json']],
    );
    // Negative: inserted before the first line.
    edit({ range: { start: { line: -2, character: -5 }, end: { line: -1, character: 4 } }, text: `${record(2, '还款期限3年')}\n` });
    edit({ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: ' ' });
    assert.deepEqual(
      toDiagnostics(model).map((d) => [d.range.start.line, d.code]),
      [[2, 'malformed-json']],
    );
    assert.deepEqual(snapshot(model), snapshot(modelOf(doc.getText())));
  });

  it('keeps the analyses of untouched lines and re-analyses only the edited ones', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => record(i, `第${i}条借款金额500万元`));
    let doc = TextDocument.create('file:///big.jsonl', 'jsonl', 1, lines.join('\n'));
    const model = fresh(doc);
    assert.equal(model.analyseSome(10_000), true);
    const change = { range: { start: { line: 900, character: 0 }, end: { line: 900, character: 0 } }, text: 'x' };
    doc = TextDocument.update(doc, [change], 2);
    model.applyChanges(doc, [change]);
    assert.equal(model.fullyAnalysed, false, 'the edited line (and its neighbours) wait for analysis');
    assert.equal(model.analysis(900).problems[0]?.code, 'malformed-json');
    assert.equal(model.analysis(10).labels.length, 1);
  });

  it('joins lines when a "\\n" lands right after a "\\r" and stays consistent', () => {
    let doc = TextDocument.create('file:///crlf.jsonl', 'jsonl', 1, `${record(0, '借款500万元')}\r${record(1, '借款500万元')}`);
    const model = fresh(doc);
    assert.equal(model.lineCount, 2);
    const cr = doc.getText().indexOf('\r');
    const change = { range: { start: doc.positionAt(cr + 1), end: doc.positionAt(cr + 1) }, text: '\n' };
    doc = TextDocument.update(doc, [change], 2);
    model.applyChanges(doc, [change]);
    assert.deepEqual(snapshot(model), snapshot(fresh(doc)));
  });

  it('lists at most the first 2,000 problems and says how many more there are', () => {
    const doc = TextDocument.create('file:///bad.jsonl', 'jsonl', 1, Array.from({ length: 2500 }, () => 'not json').join('\n'));
    const diagnostics = toDiagnostics(fresh(doc));
    assert.equal(diagnostics.length, 2001);
    assert.match(String(diagnostics[2000].message), /^500 more problems not listed here/);
  });
});
