import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { ReportViewTestCommands, type KeyTermsSnapshot } from '../testApi';
import { rendered as viewRendered, VIEW_TYPE } from './annotationViewHelpers';
import { finlabelApi, hoverText, waitFor, workspaceFile } from './helpers';
import { labelOn as label } from '../../support/labelOn';

const LOAN = '𠀋记商贸向本行借款人民币捌万元整（小写：¥8,000.00），借款期限12个月，由张x3以房产提供抵押。';
const GUARANTEED = '借款本金500万元、利息20万元，还款期限3年，由乙公司提供连带责任保证，双方另行签订保证合同。';
const RECORDS = [
  { id: 'loan-1', text: LOAN, labels: [label(LOAN, '借款金额', '人民币捌万元整'), label(LOAN, '还款期限', '12个月'), label(LOAN, '担保方式', '抵押')] },
  {
    id: 'loan-2',
    text: GUARANTEED,
    labels: [label(GUARANTEED, '借款金额', '500万元'), label(GUARANTEED, '还款期限', '3年'), label(GUARANTEED, '担保方式', '连带责任保证')],
  },
];

async function rendered(): Promise<KeyTermsSnapshot & { rendered: NonNullable<KeyTermsSnapshot['rendered']> }> {
  const snapshot = await vscode.commands.executeCommand<KeyTermsSnapshot | undefined>(ReportViewTestCommands.keyTerms, true);
  assert.ok(snapshot?.rendered, 'the Key Terms view drew its table');
  return snapshot as KeyTermsSnapshot & { rendered: NonNullable<KeyTermsSnapshot['rendered']> };
}

describe('Key terms and normalized values', function () {
  this.timeout(120_000);
  let uri: vscode.Uri;

  before(async () => {
    const api = await finlabelApi();
    uri = workspaceFile('key-terms.jsonl');
    writeFileSync(uri.fsPath, `${RECORDS.map((r) => JSON.stringify(r)).join('\n')}\n`);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor('the gold spans to be drawn', () => api.spansDrawn(uri).length === 6);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('hovering a gold span shows its normalized value', async () => {
    const api = await finlabelApi();
    const hoverAt = async (value: string): Promise<string> => {
      const span = api.spansDrawn(uri).find((s) => s.value === value);
      assert.ok(span, value);
      return hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, span.range.start.translate(0, 1)));
    };
    assert.match(await hoverAt('人民币捌万元整'), /normalized: ¥80,000 \(CNY\)/);
    assert.match(await hoverAt('3年'), /normalized: 36 months \(P36M\)/);
    assert.match(await hoverAt('连带责任保证'), /normalized: 连带责任保证/);
  });

  it("Show Key Terms lists each record's normalized terms and the reviewer checks, under a strict Content-Security-Policy", async () => {
    await vscode.commands.executeCommand('finlabel.showKeyTerms', uri);
    const { rendered: view, cspViolations } = await rendered();
    assert.deepEqual(cspViolations, []);
    assert.deepEqual(
      view.rows.map((r) => [r.Document, r['Loan amount'], r.Term, r.Guarantee]),
      [
        ['line 1 · loan-1', '¥80,000 (CNY) gold', '12 months (P12M) gold', '抵押抵押 gold'],
        ['line 2 · loan-2', '¥5,000,000 (CNY) gold', '36 months (P36M) gold', '连带责任保证连带责任保证 gold'],
      ],
    );
    assert.match(view.rows[1]['Other amounts'], /¥200,000 \(CNY\) in the text/);
    assert.match(view.rows[0].Checks, /大写 "人民币捌万元整" is ¥80,000 \(CNY\) but the digits beside it "¥8,000\.00" are ¥8,000 \(CNY\) place 1 place 2/);
    assert.match(view.rows[0].Checks, /"抵押" names 抵押, but the document mentions no guarantee contract/);
    assert.equal(view.rows[1].Checks, '—');
  });

  it('while the view is open, its checks are diagnostics on the first place, naming the other', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    const diagnostics = await waitFor('the key-term diagnostics', () => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'finlabel key terms');
      return found.length === 2 ? found : undefined;
    });
    const forms = diagnostics.find((d) => d.code === 'amount-forms-disagree')!;
    assert.equal(document.getText(forms.range), '人民币捌万元整');
    assert.equal(forms.severity, vscode.DiagnosticSeverity.Warning, 'two forms of one amount that disagree: a warning');
    assert.deepEqual(
      forms.relatedInformation?.map((r) => document.getText(r.location.range)),
      ['¥8,000.00'],
    );
    const guarantee = diagnostics.find((d) => d.code === 'guarantee-without-contract')!;
    assert.equal(document.getText(guarantee.range), '抵押');
    assert.equal(guarantee.severity, vscode.DiagnosticSeverity.Information, 'a guarantee without its contract named: information');
  });

  it("the annotation view shows each label's normalized value in its tooltip", async () => {
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
    const report = await viewRendered(uri, 'record 1 drawn', (r) => r.kind === 'record' && r.index === 0 && r.spanTitles.length > 0);
    assert.ok(
      report.spanTitles.some((t) => t.includes('借款金额 (LOAN_AMOUNT) [9, 16) = ¥80,000 (CNY)')),
      report.spanTitles.join(' | '),
    );
    assert.ok(
      report.spanTitles.some((t) => t.includes('还款期限 (REPAY_PERIOD) [35, 39) = 12 months (P12M)')),
      report.spanTitles.join(' | '),
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  for (const [text, line] of [
    ['人民币捌万元整', 0],
    ['500万元', 1],
    ['¥8,000.00', 0],
  ] as const) {
    it(`clicking the term "${text}" selects its span in the dataset`, async () => {
      const { rendered: view } = await rendered();
      const index = view.places.findIndex((p) => p.includes(`“${text}”`));
      assert.ok(index >= 0, `a place shows ${text}: ${view.places.join(' | ')}`);
      assert.equal(await vscode.commands.executeCommand(ReportViewTestCommands.clickPlace, index), true);
      const editor = await waitFor('the span to be selected', () => {
        const e = vscode.window.activeTextEditor;
        return e && e.document.uri.toString() === uri.toString() && !e.selection.isEmpty && e.document.getText(e.selection) === text ? e : undefined;
      });
      assert.equal(editor.selection.start.line, line);
    });
  }
});
