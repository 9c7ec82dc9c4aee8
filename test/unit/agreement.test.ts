import * as assert from 'node:assert/strict';
import type { AgreementReport, TypeAgreement } from '../../src/common/datasetReports';
import { LabelSchema } from '../../src/common/labelSchema';
import { annotatorAgreement, fileAgreement } from '../../src/server/analysis/agreement';
import { agreementMarkdown } from '../../src/server/analysis/agreementReport';
import { ConfusionTable } from '../../src/server/analysis/kappa';

const schema = new LabelSchema();
const jsonl = (records: readonly object[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const typeOf = (report: AgreementReport, type: string): TypeAgreement => {
  const t = report.types.find((x) => x.type === type);
  assert.ok(t, `type ${type} in the report`);
  return t;
};
/** JSON.stringify writes NaN as null, so look at the numbers themselves. */
function assertNoNaN(value: unknown, path: string): void {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${path} is ${value}`);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertNoNaN(v, `${path}.${k}`);
}
const close = (actual: number | null, expected: number, what: string): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${what}: expected ${expected}, got ${actual}`);
};

describe('agreement: span F1 and character kappa, checked against hand-computed cases', () => {
  // One record of 10 code points; the first is an emoji (two UTF-16 units, one character):
  //   index: 0  1 2 3 4  5  6  7  8 9
  //   text:  😀 5 0 0 万 元 期 限 3 年
  // A: LOAN_AMOUNT [1,6) "500万元", REPAY_PERIOD [8,10) "3年"   (tags)
  // B: 借款金额    [1,4) "500",     还款期限     [8,10) "3年"   (display names: the same types)
  const text = '😀500万元期限3年';
  const fileA = jsonl([
    {
      id: 'r1',
      text,
      labels: [
        { entity: 'LOAN_AMOUNT', value: '500万元', start: 1, end: 6 },
        { entity: 'REPAY_PERIOD', value: '3年', start: 8, end: 10 },
      ],
    },
  ]);
  const fileB = jsonl([
    {
      id: 'r1',
      text,
      labels: [
        { entity: '借款金额', value: '500', start: 1, end: 4 },
        { entity: '还款期限', value: '3年', start: 8, end: 10 },
      ],
    },
  ]);
  const report = fileAgreement({ file: 'a.jsonl', content: fileA }, { file: 'b.jsonl', content: fileB }, schema);

  it('counts characters in code points', () => {
    assert.equal(report.characters, 10);
    assert.equal(report.matchedRecords, 1);
    assert.deepEqual(report.problems, []);
  });

  it('per type: strict spans and binary kappa', () => {
    // LOAN_AMOUNT spans: A {[1,6)}, B {[1,4)}: no identical span. P = 0/1, R = 0/1, F1 = 2*0/(1+1) = 0.
    const loan = typeOf(report, '借款金额');
    assert.deepEqual([loan.spansA, loan.spansB, loan.matched, loan.precision, loan.recall, loan.f1], [1, 1, 0, 0, 0, 0]);
    // Characters inside LOAN_AMOUNT: A = {1,2,3,4,5}, B = {1,2,3}.
    //   both = 3 (1,2,3), only A = 2 (4,5), only B = 0, neither = 5 (0,6,7,8,9)
    //   p_o = (3 + 5) / 10 = 0.8
    //   p_e = P(A in)P(B in) + P(A out)P(B out) = 0.5*0.3 + 0.5*0.7 = 0.15 + 0.35 = 0.5
    //   kappa = (0.8 - 0.5) / (1 - 0.5) = 0.6
    assert.deepEqual(loan.characters, { both: 3, onlyA: 2, onlyB: 0, neither: 5 });
    close(loan.kappa.observed, 0.8, 'p_o');
    close(loan.kappa.expected, 0.5, 'p_e');
    close(loan.kappa.value, 0.6, 'kappa');

    // REPAY_PERIOD: the same span [8,10) in both: P = R = F1 = 1.
    //   both = 2, neither = 8; p_o = 1; p_e = 0.2*0.2 + 0.8*0.8 = 0.68; kappa = (1 - 0.68) / (1 - 0.68) = 1
    const repay = typeOf(report, '还款期限');
    assert.deepEqual([repay.spansA, repay.spansB, repay.matched, repay.precision, repay.recall, repay.f1], [1, 1, 1, 1, 1, 1]);
    close(repay.kappa.expected, 0.68, 'p_e');
    close(repay.kappa.value, 1, 'kappa');
  });

  it('a type neither annotator used: F1 and kappa are null with a reason, never NaN', () => {
    // GUARANTEE_TYPE: no span anywhere, so every character is "O" for both: p_o = 1, p_e = 1*1 + 0*0 = 1,
    // kappa = 0/0: undefined.
    const guarantee = typeOf(report, '担保方式');
    assert.deepEqual([guarantee.spansA, guarantee.spansB, guarantee.precision, guarantee.recall, guarantee.f1], [0, 0, null, null, null]);
    assert.equal(guarantee.kappa.value, null);
    assert.equal(guarantee.kappa.expected, 1);
    assert.match(guarantee.kappa.reason ?? '', /expected agreement p_e is 1/);
    assertNoNaN(report, 'report');
  });

  it('micro and macro averages', () => {
    // micro: matched 0 + 1 = 1, spans A 2, spans B 2: P = 1/2, R = 1/2, F1 = 2*1/(2+2) = 0.5
    assert.deepEqual(report.micro, { precision: 0.5, recall: 0.5, f1: 0.5 });
    // macro: mean F1 over the types with a span (LOAN 0, REPAY 1): 0.5; GUARANTEE (null) is not averaged.
    assert.deepEqual(report.macro, { f1: 0.5, types: 2 });
  });

  it('overall multi-class kappa with O as a class', () => {
    // A: O L L L L L O O R R      B: O L L L O O O O R R
    // agree at 0,1,2,3,6,7,8,9: p_o = 8/10 = 0.8
    // A's classes: O 3, L 5, R 2;  B's: O 5, L 3, R 2
    // p_e = (3*5 + 5*3 + 2*2) / 10^2 = 34/100 = 0.34
    // kappa = (0.8 - 0.34) / (1 - 0.34) = 0.46 / 0.66 = 23/33
    const k = report.overallKappa;
    close(k.observed, 0.8, 'p_o');
    close(k.expected, 0.34, 'p_e');
    close(k.value, 23 / 33, 'kappa');
    assert.deepEqual(k.classes, ['O', '借款金额', '还款期限']);
  });

  it('is symmetric in F1 and kappa: swapping A and B swaps precision and recall only', () => {
    const swapped = fileAgreement({ file: 'b.jsonl', content: fileB }, { file: 'a.jsonl', content: fileA }, schema);
    for (const t of report.types) {
      const s = typeOf(swapped, t.type);
      assert.deepEqual([s.f1, s.kappa.value, s.precision, s.recall], [t.f1, t.kappa.value, t.recall, t.precision]);
    }
    assert.equal(swapped.overallKappa.value, report.overallKappa.value);
  });

  it("renders the figures and the undefined kappa's reason in Markdown", () => {
    const md = agreementMarkdown(report);
    assert.match(md, /\| 借款金额 +\| LOAN_AMOUNT +\| +1 \| +1 \| +0 \| +0\.000 \| +0\.000 \| +0\.000 \| +0\.600 \|/);
    assert.match(md, /\| 担保方式 +\| GUARANTEE_TYPE +\| +0 \| +0 \| +0 \| +— \| +— \| +— \| +— \[1\] \|/);
    assert.match(md, /\[1\] Kappa undefined: every character is "O" for both annotators/);
    assert.match(md, /\*\*Overall kappa\*\*.*\*\*0\.697\*\*/);
  });
});

describe('agreement: degenerate cases', () => {
  it('both annotators mark every character as the same type: kappa null, F1 1', () => {
    // Text "3年" (2 characters), REPAY_PERIOD [0,2) in both: every character is inside for both.
    // p_o = 1, p_e = 1*1 + 0*0 = 1: kappa undefined; the spans are identical: F1 = 1.
    const content = jsonl([{ id: 1, text: '3年', labels: [{ entity: '还款期限', value: '3年', start: 0, end: 2 }] }]);
    const r = fileAgreement({ file: 'a', content }, { file: 'b', content }, schema);
    const repay = typeOf(r, '还款期限');
    assert.equal(repay.f1, 1);
    assert.equal(repay.kappa.value, null);
    assert.match(repay.kappa.reason ?? '', /every character is "还款期限" for both annotators/);
    assert.equal(r.overallKappa.value, null);
  });

  it('no record in common: no characters, kappa null, and a problem', () => {
    const r = fileAgreement({ file: 'a', content: jsonl([{ id: 1, text: '甲' }]) }, { file: 'b', content: jsonl([{ id: 2, text: '乙' }]) }, schema);
    assert.equal(r.characters, 0);
    assert.equal(r.overallKappa.value, null);
    assert.match(r.overallKappa.reason ?? '', /no characters/);
    assert.equal(r.micro.f1, null);
    assert.equal(r.macro.f1, null);
    assert.match(r.problems.join('\n'), /no record is in both files/);
  });

  it('one annotator labelled nothing: kappa 0, recall 0, precision null', () => {
    // Text "抵押担保" (4), A: GUARANTEE_TYPE [0,2); B: nothing.
    // both 0, only A 2, neither 2: p_o = 0.5; p_e = 0.5*0 + 0.5*1 = 0.5; kappa = (0.5 - 0.5) / 0.5 = 0
    const r = fileAgreement(
      { file: 'a', content: jsonl([{ id: 1, text: '抵押担保', labels: [{ entity: '担保方式', value: '抵押', start: 0, end: 2 }] }]) },
      { file: 'b', content: jsonl([{ id: 1, text: '抵押担保', labels: [] }]) },
      schema,
    );
    const g = typeOf(r, '担保方式');
    assert.deepEqual([g.precision, g.recall, g.f1, g.kappa.value], [null, 0, 0, 0]);
  });

  it('the ConfusionTable: p_e = 1 is detected exactly, whatever the size', () => {
    const t = new ConfusionTable();
    t.add('O', 'O', 3_000_001);
    assert.equal(t.kappa().value, null);
    t.add('X', 'O', 1);
    assert.equal(t.kappa().value, 0);
  });
});

describe('agreement: matching records between two files', () => {
  const T = ['借款金额100万元', '担保方式为抵押', '还款期限3年', '期限36个月'];
  const a = jsonl([{ id: 1, text: T[0] }, { id: 2, text: T[1] }, { text: T[2] }, { id: 4, text: T[3] }, { id: 5, text: '只在A' }, { id: 7, text: '同文' }]);
  const b = jsonl([
    { id: '1', text: T[0] }, // the number 1 and the string "1" are the same id
    { text: T[1] }, // B has no id: matched by identical text
    { text: T[2] }, // neither has an id: by text
    { id: 4, text: `${T[3]}。` }, // same id, other text: reported and left out
    { id: 6, text: '只在B' },
    { id: 8, text: '同文' }, // identical text, different ids: two documents, not matched
  ]);
  const r = fileAgreement({ file: 'a.jsonl', content: a }, { file: 'b.jsonl', content: b }, schema);

  it('matches by id first, then by identical text where an id is missing', () => {
    assert.deepEqual([r.matchedRecords, r.matchedById, r.matchedByText], [3, 1, 2]);
  });

  it('reports records in one file only and ids whose texts differ', () => {
    assert.deepEqual(r.onlyInA, [
      { line: 5, id: '5' },
      { line: 6, id: '7' },
    ]);
    assert.deepEqual(r.onlyInB, [
      { line: 5, id: '6' },
      { line: 6, id: '8' },
    ]);
    assert.deepEqual(r.textDiffers, [{ id: '4', lineA: 4, lineB: 4 }]);
    assert.ok(
      r.problems.some((p) => p.startsWith('a.jsonl:4 and b.jsonl:4: id "4" has different texts')),
      r.problems.join('\n'),
    );
    assert.ok(r.notes.some((n) => n === '2 records are only in a.jsonl'));
    // Characters of the matched records only: T[0] 9 + T[1] 7 + T[2] 6.
    assert.equal(r.characters, 9 + 7 + 6);
  });

  it('reports lines that are not records and labels with unusable offsets as problems naming file and line', () => {
    const withBad = `${a}not json\n`;
    const bBad = jsonl([{ id: 1, text: T[0], labels: [{ entity: '借款金额', value: '100万元', start: 4, end: 99 }] }]);
    const report = fileAgreement({ file: 'a.jsonl', content: withBad }, { file: 'b.jsonl', content: bBad }, schema);
    assert.ok(
      report.problems.some((p) => /^a\.jsonl:7: malformed-json: /.test(p)),
      report.problems.join('\n'),
    );
    assert.ok(report.problems.includes('b.jsonl:1: 1 label with unusable offsets left out (finlabel validate says why)'), report.problems.join('\n'));
  });

  it('reports "labels" that is not a list (an object, a string, null) by line, in both modes, instead of comparing the record silently as unlabelled', () => {
    const bad = jsonl([
      { id: 1, text: T[0], labels: { entity: '借款金额', start: 4, end: 9 } },
      { id: 2, text: T[1], labels: 'none' },
      { id: 3, text: T[2], labels: null },
      { id: 4, text: T[3] },
    ]);
    const notList = (line: number): string => `b.jsonl:${line}: "labels" is not a list; the record is compared as having no label (finlabel validate says why)`;
    const files = fileAgreement({ file: 'a.jsonl', content: a }, { file: 'b.jsonl', content: bad }, schema);
    for (const line of [1, 3]) assert.ok(files.problems.includes(notList(line)), files.problems.join('\n'));
    const annotators = annotatorAgreement({ file: 'b.jsonl', content: bad }, ['x', 'y'], schema);
    for (const line of [1, 2, 3]) assert.ok(annotators.problems.includes(notList(line)), annotators.problems.join('\n'));
    assert.ok(!annotators.problems.some((p) => p.startsWith('b.jsonl:4:')), 'a record without "labels" has none: nothing to say');
  });
});

describe('agreement: annotators', () => {
  // Record 1: "抵押担保3年" (6 characters)           Record 2: "无\r\n x" without the space: 无 \r \n x (4)
  //   alice: GUARANTEE [0,2) 抵押, REPAY [4,6) 3年      alice: nothing
  //   bob:   GUARANTEE [0,4) 抵押担保, REPAY [4,6) 3年    bob: GUARANTEE [3,4) x
  // plus a label with no annotator and one by carol, which are not compared.
  const content = jsonl([
    {
      id: 'a1',
      text: '抵押担保3年',
      labels: [
        { entity: '担保方式', value: '抵押', start: 0, end: 2, annotator: 'alice' },
        { entity: '担保方式', value: '抵押担保', start: 0, end: 4, annotator: 'bob' },
        { entity: '还款期限', value: '3年', start: 4, end: 6, annotator: 'alice' },
        { entity: '还款期限', value: '3年', start: 4, end: 6, annotator: 'bob' },
        { entity: '还款期限', value: '3年', start: 4, end: 6 },
      ],
    },
    {
      id: 'a2',
      text: '无\r\nx',
      labels: [
        { entity: 'GUARANTEE_TYPE', value: 'x', start: 3, end: 4, annotator: 'bob' },
        { entity: 'LOAN_AMOUNT', value: '无', start: 0, end: 1, annotator: 'carol' },
      ],
    },
  ]);
  const r = annotatorAgreement({ file: 'team.jsonl', content }, ['alice', 'bob'], schema);

  it('compares every record, counting \\r\\n as two characters', () => {
    assert.equal(r.mode, 'annotators');
    assert.equal(r.matchedRecords, 2);
    assert.equal(r.characters, 10);
    assert.deepEqual([r.a.labels, r.b.labels], [2, 3]);
    assert.ok(
      r.notes.some((n) => n.startsWith('2 labels of other annotators or with no annotator')),
      r.notes.join('\n'),
    );
    assert.deepEqual(r.problems, []);
  });

  it('per-type figures', () => {
    // GUARANTEE_TYPE spans: alice {r1 [0,2)}, bob {r1 [0,4), r2 [3,4)}: none identical.
    //   P = 0/2 = 0, R = 0/1 = 0, F1 = 0
    // characters: r1 alice {0,1} bob {0,1,2,3}: both 2, only bob 2, neither 2 (4,5)
    //             r2 alice {}    bob {3}:       only bob 1, neither 3
    //   both 2, only A 0, only B 3, neither 5: p_o = 7/10 = 0.7
    //   p_e = 0.2*0.5 + 0.8*0.5 = 0.1 + 0.4 = 0.5; kappa = (0.7 - 0.5) / 0.5 = 0.4
    const g = typeOf(r, '担保方式');
    assert.deepEqual([g.spansA, g.spansB, g.matched, g.precision, g.recall, g.f1], [1, 2, 0, 0, 0, 0]);
    assert.deepEqual(g.characters, { both: 2, onlyA: 0, onlyB: 3, neither: 5 });
    close(g.kappa.value, 0.4, 'kappa');
    // REPAY_PERIOD: identical: F1 1; both 2, neither 8: p_e = 0.04 + 0.64 = 0.68, kappa 1.
    const p = typeOf(r, '还款期限');
    assert.deepEqual([p.f1, p.kappa.value], [1, 1]);
    // LOAN_AMOUNT: only carol used it: not compared, so null.
    assert.equal(typeOf(r, '借款金额').kappa.value, null);
  });

  it('averages and overall kappa', () => {
    // micro: matched 1, alice 2, bob 3: P = 1/3, R = 1/2, F1 = 2/5
    close(r.micro.precision, 1 / 3, 'P');
    close(r.micro.recall, 1 / 2, 'R');
    close(r.micro.f1, 2 / 5, 'F1');
    assert.deepEqual(r.macro, { f1: 0.5, types: 2 });
    // alice: G G O O R R | O O O O      bob: G G G G R R | O O O G
    // agree: 0,1 (G), 4,5 (R), r2 0..2 (O): 7 -> p_o = 0.7
    // alice: G 2, O 6, R 2; bob: G 5, O 3, R 2 -> p_e = (2*5 + 6*3 + 2*2)/100 = 0.32
    // kappa = (0.7 - 0.32) / 0.68 = 19/34
    close(r.overallKappa.expected, 0.32, 'p_e');
    close(r.overallKappa.value, 19 / 34, 'kappa');
  });

  it('an annotator with no label is a problem that lists who is there', () => {
    const typo = annotatorAgreement({ file: 'team.jsonl', content }, ['alice', 'bobb'], schema);
    assert.deepEqual(typo.problems, ['team.jsonl: no label has "annotator": "bobb" (annotators in the file: alice, bob, carol)']);
  });

  it('overlapping spans of two types form a class of their own in the overall kappa', () => {
    // "借款3年" (4): A: LOAN [0,3), REPAY [2,4) -> classes L L L+R R;  B: LOAN [0,3) -> L L L O
    // agree at 0,1: p_o = 0.5; A: L 2, L+R 1, R 1; B: L 3, O 1 -> p_e = (2*3)/16 = 0.375
    // kappa = (0.5 - 0.375) / 0.625 = 0.2
    const two = jsonl([
      {
        id: 1,
        text: '借款3年',
        labels: [
          { entity: '借款金额', value: '借款3', start: 0, end: 3, annotator: 'x' },
          { entity: '还款期限', value: '3年', start: 2, end: 4, annotator: 'x' },
          { entity: '借款金额', value: '借款3', start: 0, end: 3, annotator: 'y' },
        ],
      },
    ]);
    const o = annotatorAgreement({ file: 'o.jsonl', content: two }, ['x', 'y'], schema);
    assert.deepEqual(o.overallKappa.classes, ['O', '借款金额', '借款金额+还款期限', '还款期限']);
    close(o.overallKappa.value, 0.2, 'kappa');
  });

  it("in two files, --annotator-a/-b keep one annotator's labels of each file", () => {
    const filtered = fileAgreement({ file: 'team.jsonl', content, annotator: 'alice' }, { file: 'team.jsonl', content, annotator: 'bob' }, schema);
    assert.deepEqual(
      filtered.types.map((t) => [t.type, t.f1, t.kappa.value]),
      r.types.map((t) => [t.type, t.f1, t.kappa.value]),
    );
    const all = fileAgreement({ file: 'team.jsonl', content }, { file: 'b.jsonl', content }, schema);
    assert.ok(
      all.notes.some((n) => n.includes('has labels from 3 annotators (alice, bob, carol)')),
      all.notes.join('\n'),
    );
  });
});
