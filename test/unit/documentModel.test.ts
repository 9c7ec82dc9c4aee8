import * as assert from 'node:assert/strict';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { LabelSchema } from '../../src/common/labelSchema';
import { JsonlDocumentModel } from '../../src/server/dataset/documentModel';
import { placeSpans } from '../../src/server/dataset/spanPlacement';
import { mulberry32 } from '../../src/server/samples/prng';
import { toDiagnostics } from '../../src/server/lsp/diagnostics';

const schema = new LabelSchema();

function record(i: number, text: string): string {
  const start = Array.from(text).indexOf('5');
  const labels = start >= 0 ? [{ entity: '借款金额', value: '500万元', start, end: start + 5 }] : [];
  return JSON.stringify({ id: `r${i}`, text, labels });
}

/** What the model says about every line: spans and problems, as plain data. */
function snapshot(model: JsonlDocumentModel): unknown {
  return {
    lines: model.lineCount,
    spans: placeSpans(model).map((s) => [s.range.start.line, s.range.start.character, s.range.end.character, s.entity, s.value]),
    problems: toDiagnostics(model).map((d) => [d.range.start.line, d.code, d.message]),
  };
}

function fresh(doc: TextDocument): JsonlDocumentModel {
  const m = new JsonlDocumentModel(schema);
  m.reset(doc);
  return m;
}

describe('JsonlDocumentModel (incremental)', () => {
  const texts = ['借款金额500万元,担保方式为抵押', '😀借款500万元𠀋', '第一行\r\n借款500万元', '无标注'];
  const base = texts.map((t, i) => record(i, t)).join('\n') + '\n';

  it('after random edits, says exactly what a model built from scratch says', () => {
    const random = mulberry32(7);
    const pieces = ['', 'x', '\n', '\r\n', '{"text": "5"}', '500万元', '"', '😀', '\n\n', record(9, '借款500万元')];
    let doc = TextDocument.create('file:///t.jsonl', 'jsonl', 1, base);
    const model = fresh(doc);
    for (let step = 0; step < 400; step++) {
      const length = doc.getText().length;
      const a = Math.floor(random() * (length + 1));
      const b = Math.min(length, a + Math.floor(random() * 12));
      const change: TextDocumentContentChangeEvent = {
        range: { start: doc.positionAt(a), end: doc.positionAt(b) },
        text: pieces[Math.floor(random() * pieces.length)],
      };
      doc = TextDocument.update(doc, [change], doc.version + 1);
      model.applyChanges(doc, [change]);
      // Touch some lines between edits, as hovers and span windows do.
      if (step % 3 === 0) model.analysis(Math.floor(random() * model.lineCount));
      if (step % 25 === 0 || step === 399) assert.deepEqual(snapshot(model), snapshot(fresh(doc)), `after edit ${step + 1}`);
    }
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
