import * as assert from 'node:assert/strict';
import type { SuggestionDecoration, SuggestionSource, SuggestionView } from '../../src/common/lspProtocol';
import { countSources, sourceCountsOf } from '../../src/extension/modelLoop/sourceCounts';
import { mergeSuggestions } from '../../src/server/predictions/mergeSuggestions';
import { sourcePrecisionText, suggestionHoverMarkdown } from '../../src/server/predictions/suggestionHover';

function s(source: SuggestionSource, start: number, end: number, tag: string, confidence: number | null): SuggestionView {
  return { key: `k|${start}|${end}|${tag}`, start, end, entity: tag, tag, color: '#000', value: 'x'.repeat(end - start), confidence, source };
}
const brief = (views: SuggestionView[]): string[] => views.map((v) => `${v.source}:${v.start}-${v.end}:${v.tag}:${v.confidence}`);

describe('suggestions: merging the sources', () => {
  it('one suggestion per span: where the sources give the same span another type, the more confident wins', () => {
    assert.deepEqual(brief(mergeSuggestions([s('model', 2, 5, 'A', 0.6), s('stringMatch', 2, 5, 'B', 0.9)])), ['stringMatch:2-5:B:0.9']);
    assert.deepEqual(brief(mergeSuggestions([s('model', 2, 5, 'A', 0.95), s('stringMatch', 2, 5, 'B', 0.9)])), ['model:2-5:A:0.95']);
  });

  it("the same span and type from both sources is one suggestion, the more confident one's", () => {
    assert.deepEqual(brief(mergeSuggestions([s('model', 0, 3, 'A', 0.4), s('stringMatch', 0, 3, 'A', 0.75)])), ['stringMatch:0-3:A:0.75']);
  });

  it('overlapping spans: the more confident wins, whatever the source (string matches among themselves too)', () => {
    assert.deepEqual(brief(mergeSuggestions([s('model', 0, 4, 'A', 0.5), s('stringMatch', 2, 6, 'B', 0.8)])), ['stringMatch:2-6:B:0.8']);
    assert.deepEqual(brief(mergeSuggestions([s('stringMatch', 0, 4, 'A', 0.3), s('stringMatch', 1, 3, 'B', 0.6), s('model', 3, 8, 'C', 0.7)])), [
      'stringMatch:1-3:B:0.6',
      'model:3-8:C:0.7',
    ]);
  });

  it('a tie goes to the model, then to the longer span; a missing confidence ranks lowest', () => {
    assert.deepEqual(brief(mergeSuggestions([s('stringMatch', 0, 3, 'B', 0.5), s('model', 0, 3, 'A', 0.5)])), ['model:0-3:A:0.5']);
    assert.deepEqual(brief(mergeSuggestions([s('stringMatch', 0, 2, 'B', 0.5), s('stringMatch', 0, 4, 'A', 0.5)])), ['stringMatch:0-4:A:0.5']);
    assert.deepEqual(brief(mergeSuggestions([s('model', 0, 3, 'A', null), s('stringMatch', 1, 2, 'B', 0.01)])), ['stringMatch:1-2:B:0.01']);
  });

  it('keeps every suggestion that overlaps none, in start order', () => {
    assert.deepEqual(brief(mergeSuggestions([s('stringMatch', 9, 11, 'B', 0.2), s('model', 0, 3, 'A', 0.9), s('model', 3, 5, 'A', 0.1)])), [
      'model:0-3:A:0.9',
      'model:3-5:A:0.1',
      'stringMatch:9-11:B:0.2',
    ]);
    assert.deepEqual(mergeSuggestions([]), []);
  });
});

describe("suggestions: the sources' precision in the workspace", () => {
  it('counts accepts and rejections per source; undoing a rejection takes it back, never below zero', () => {
    let c = sourceCountsOf(undefined);
    assert.deepEqual(c, { model: { accepted: 0, rejected: 0 }, stringMatch: { accepted: 0, rejected: 0 } });
    c = countSources(c, 'accepted', ['stringMatch', 'stringMatch', 'model']);
    c = countSources(c, 'rejected', ['stringMatch', 'nonsense']);
    assert.deepEqual(c, { model: { accepted: 1, rejected: 0 }, stringMatch: { accepted: 2, rejected: 1 } });
    c = countSources(c, 'rejected', ['stringMatch', 'stringMatch'], -1);
    assert.deepEqual(c.stringMatch, { accepted: 2, rejected: 0 });
    assert.deepEqual(sourceCountsOf({ model: { accepted: -3, rejected: 'x' }, stringMatch: { accepted: 4.5, rejected: 2 } }), {
      model: { accepted: 0, rejected: 0 },
      stringMatch: { accepted: 0, rejected: 2 },
    });
  });

  it('names the source and its precision: "string match · 7 of 9 accepted in this workspace (78%)"', () => {
    assert.equal(sourcePrecisionText('stringMatch', { accepted: 7, rejected: 2 }), 'string match · 7 of 9 accepted in this workspace (78%)');
    assert.equal(sourcePrecisionText('model', { accepted: 0, rejected: 3 }), 'entity model · 0 of 3 accepted in this workspace (0%)');
    assert.equal(sourcePrecisionText('stringMatch', undefined), 'string match · none accepted or rejected in this workspace yet');
  });

  it('the hover on a suggestion shows its type, value, confidence, source with precision, and why', () => {
    const d: SuggestionDecoration = {
      ...s('stringMatch', 4, 9, 'LOAN_AMOUNT', 0.5),
      entity: '借款金额',
      value: '500万元',
      basis: 'labelled 借款金额 1 of the 2 times it occurs in this dataset',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } },
    };
    const md = suggestionHoverMarkdown([d], { stringMatch: { accepted: 1, rejected: 1 } });
    assert.match(md, /\*\*Suggestion: 借款金额\*\* `LOAN_AMOUNT` `500万元` · confidence 50%/);
    assert.match(md, /string match · 1 of 2 accepted in this workspace \(50%\)/);
    assert.match(md, /labelled 借款金额 1 of the 2 times it occurs in this dataset/);
  });
});
