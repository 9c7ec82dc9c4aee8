// The confidence threshold and "out of its depth" in a real VS Code: a court-judgment paragraph
// written for this test, a copy of the shipped default model calibrated here on hand-written dev
// records (the real calibration code), the card's threshold and the setting that overrides it, and a
// document the model is out of its depth in.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { LabelSchema } from '../../../src/common/labelSchema';
import type { EntityCalibration } from '../../../src/server/calibration/entityCalibration';
import type { PredictedEntity } from '../../../src/server/entities/entityDecoding';
import { EntityPredictor } from '../../../src/server/inference/entityPredictor';
import { calibrateEntityModelFolder } from '../../../src/server/training/calibrateEntityModel';
import { copyShippedModel, identityCalibration, setCardCalibration } from '../../support/calibratedModel';
import { finlabelApi, hoverText, waitFor, workspaceFile } from './helpers';

/** A paragraph in the style of a civil judgment, written for this test. */
const JUDGMENT =
  '北京市朝阳区人民法院民事判决书。原告中国某银行股份有限公司北京分行诉被告北京某科技有限公司、王某金融借款合同纠纷一案，本院立案后依法适用普通程序公开开庭进行了审理。' +
  '经审理查明：2020年8月12日，原告与被告某科技公司签订《流动资金借款合同》，约定借款金额为人民币伍佰万元整，借款期限为24个月，自2020年8月14日起至2022年8月13日止，年利率为4.35%，按月付息，到期一次性还本。' +
  '同日，被告王某与原告签订《最高额保证合同》，为上述债务提供连带责任保证。此外，被告某科技公司以其名下位于朝阳区的厂房设定抵押，并办理了抵押登记。借款到期后，被告未能按约偿还本金及利息，原告遂诉至本院。';

/** Dev records for the calibration, in the same register, with their gold labels. */
function devRecords(): { text: string; labels: { entity: string; start: number; end: number }[] }[] {
  const lab = (text: string, pairs: [string, string][]) => ({
    text,
    labels: pairs.map(([entity, value]) => {
      const chars = Array.from(text);
      const v = Array.from(value);
      const i = chars.findIndex((_, k) => chars.slice(k, k + v.length).join('') === value);
      assert.ok(i >= 0, value);
      return { entity, start: i, end: i + v.length };
    }),
  });
  return [
    lab('经审理查明，原告某农村商业银行与被告李某于2018年6月签订借款合同，约定借款金额为人民币30万元，借款期限为12个月，由被告赵某提供连带责任保证。', [
      ['借款金额', '人民币30万元'],
      ['还款期限', '12个月'],
      ['担保方式', '连带责任保证'],
    ]),
    lab('本院认为，原、被告之间的借款合同系双方真实意思表示，合法有效。被告某贸易公司以其自有房产设定抵押，担保借款本金人民币贰佰万元整及利息。', [
      ['担保方式', '抵押'],
      ['借款金额', '人民币贰佰万元整'],
    ]),
    lab('2019年1月，原告向被告发放贷款800万元，期限三年，被告以应收账款提供质押担保，并由其法定代表人孙某承担连带保证责任。', [
      ['借款金额', '800万元'],
      ['还款期限', '三年'],
      ['担保方式', '质押'],
    ]),
    lab('被告某建材有限公司于2017年9月向原告借款人民币150万元，约定还款期限为18个月，双方未约定担保。', [
      ['借款金额', '人民币150万元'],
      ['还款期限', '18个月'],
    ]),
    lab('判决如下：被告于本判决生效之日起十日内偿还原告借款本金及利息，案件受理费由被告负担。', []),
    lab('原告诉称，被告周某向其借款5万元用于经营，约定一年内归还，由案外人吴某提供一般保证。', [
      ['借款金额', '5万元'],
      ['还款期限', '一年'],
      ['担保方式', '一般保证'],
    ]),
    lab('上诉人某融资担保公司不服一审判决，向本院提起上诉。本院依法组成合议庭进行了审理，现已审理终结。', []),
    lab('双方于2021年3月签订《最高额抵押合同》，以被告名下土地使用权为借款人民币一千万元提供最高额抵押担保，借款期限为五年。', [
      ['担保方式', '最高额抵押'],
      ['借款金额', '人民币一千万元'],
      ['还款期限', '五年'],
    ]),
  ];
}

const isPunctuationOnly = (v: string): boolean => /^[\p{P}\p{S}\p{Z}\s]*$/u.test(v);

/** The judgment cut into three records (for pre-annotation). */
const JUDGMENT_RECORDS = ((): string[] => {
  const sentences = JUDGMENT.split('。')
    .filter((t) => t.length > 0)
    .map((t) => `${t}。`);
  return [sentences.slice(0, 2).join(''), sentences.slice(2, 4).join(''), sentences.slice(4).join('')];
})();

/**
 * A threshold that hides at least one and keeps at least one span of each group: a well-trained model
 * can be sure of every span of a paragraph at its fitted threshold, and the test needs both kinds.
 */
function thresholdBetween(groups: readonly (readonly number[])[]): number {
  const values = [...new Set(groups.flat())].sort((a, b) => a - b);
  for (let i = 0; i + 1 < values.length; i++) {
    const t = (values[i] + values[i + 1]) / 2;
    if (groups.every((g) => g.some((c) => c < t) && g.some((c) => c >= t))) return t;
  }
  throw new Error(`no threshold splits every group of confidences: ${JSON.stringify(groups)}`);
}

describe('Confidence threshold and out-of-depth predictions in the editor', function () {
  this.timeout(240_000);
  let calibrated: string;
  let uncalibrated: string;
  let calibration: EntityCalibration;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('finlabel');

  before(async () => {
    uncalibrated = copyShippedModel('finlabel-uncalibrated-');
    calibrated = copyShippedModel('finlabel-calibrated-');
    const fitted = await calibrateEntityModelFolder(calibrated, devRecords(), new LabelSchema());
    // The fitted Platt parameters, with a threshold between the paragraph's decoded spans' confidences.
    const reference = await EntityPredictor.load(calibrated, { threads: 1, precision: 'auto', minConfidence: 0 });
    try {
      const confidences = (spans: readonly PredictedEntity[]): number[] => spans.map((s) => s.confidence!);
      const paragraph = confidences((await reference.predict(JUDGMENT)).spans);
      const records = confidences((await reference.predictMany(JUDGMENT_RECORDS)).flatMap((p) => p.spans));
      calibration = { ...fitted, threshold: thresholdBetween([paragraph, records]) };
    } finally {
      await reference.release();
    }
    setCardCalibration(calibrated, calibration);
    writeFileSync(workspaceFile('contracts/民事判决书.txt').fsPath, JUDGMENT);
    await finlabelApi();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await config().update('predictions.confidenceThreshold', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('entityModel.path', undefined, vscode.ConfigurationTarget.Workspace);
    for (const d of [calibrated, uncalibrated]) if (d) rmSync(d, { recursive: true, force: true });
  });

  async function useModel(dir: string): Promise<void> {
    const api = await finlabelApi();
    await config().update('entityModel.path', dir, vscode.ConfigurationTarget.Workspace);
    await waitFor(`the model ${dir} to be active`, () => api.predictionModel().state === 'ready' && api.predictionModel().dir === dir, 60_000);
  }

  /** What the editor draws once it equals `expected` (the reference predictor's spans). */
  async function drawnEqual(editor: vscode.TextEditor, expected: readonly PredictedEntity[], what: string) {
    const api = await finlabelApi();
    return waitFor(
      what,
      () => {
        const drawn = api.predictionsDrawn(editor.document.uri);
        const same = drawn.length === expected.length && drawn.every((d, i) => d.value === expected[i].value && d.tag === expected[i].tag);
        return same ? drawn : undefined;
      },
      30_000,
    );
  }

  it("a judgment paragraph shows no single-character or punctuation-only underline at the card's threshold; without calibration, or with the setting at 0, the low-confidence spans come back", async () => {
    const api = await finlabelApi();
    // Every span the model decodes in the paragraph, and which of them the calibrated card keeps.
    const reference = await EntityPredictor.load(calibrated, { threads: 1, precision: 'auto' });
    let all: PredictedEntity[];
    let kept: PredictedEntity[];
    try {
      assert.equal(reference.threshold, calibration.threshold);
      kept = (await reference.predict(JUDGMENT)).spans;
      reference.setMinConfidence(0);
      all = (await reference.predict(JUDGMENT)).spans;
    } finally {
      await reference.release();
    }
    assert.ok(kept.length > 0, 'the calibrated model shows some predictions in the paragraph');
    assert.ok(all.length > kept.length, `the threshold hides some spans (${all.length} decoded, ${kept.length} kept)`);
    for (const s of all) assert.ok(!isPunctuationOnly(s.value), `no decoded span is punctuation alone: ${JSON.stringify(s.value)}`);

    // The card's threshold: what is drawn is the kept spans, none a single character or punctuation.
    await useModel(calibrated);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('contracts/民事判决书.txt')));
    const drawn = await drawnEqual(editor, kept, "the calibrated model's predictions above its threshold");
    for (const d of drawn) {
      assert.equal(editor.document.getText(d.range), d.value);
      assert.ok(Array.from(d.value).length > 1, `no single-character underline: ${d.value}`);
      assert.ok(!isPunctuationOnly(d.value), `no punctuation-only underline: ${d.value}`);
      assert.ok(d.confidence !== null && d.confidence >= calibration.threshold, `${d.value} ${d.confidence}`);
    }
    const depth = api.predictionDepth(editor.document.uri);
    assert.ok(depth && !depth.outOfDepth && depth.thresholdSource === 'card' && depth.threshold === calibration.threshold, JSON.stringify(depth));
    assert.doesNotMatch(api.statusBarText(), /out of its depth/);
    // The hover shows the calibrated confidence and the threshold.
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, drawn[0].range.start);
    assert.match(
      hoverText(hovers),
      new RegExp(
        `confidence: ${(drawn[0].confidence! * 100).toFixed(1)}% \\(calibrated; shown at ≥ ${(calibration.threshold * 100).toFixed(1)}% \\(the model card's threshold\\)\\)`,
      ),
    );

    // The setting overrides the card: at 0 every decoded span is drawn.
    await config().update('predictions.confidenceThreshold', 0, vscode.ConfigurationTarget.Workspace);
    await drawnEqual(editor, all, 'every decoded span with finlabel.predictions.confidenceThreshold 0');
    assert.equal(api.predictionDepth(editor.document.uri)?.thresholdSource, 'setting');
    await config().update('predictions.confidenceThreshold', undefined, vscode.ConfigurationTarget.Workspace);
    await drawnEqual(editor, kept, "the card's threshold again once the setting is cleared");

    // The same model without calibration in its card shows every decoded span (threshold 0).
    await useModel(uncalibrated);
    await drawnEqual(editor, all, 'every decoded span from the uncalibrated copy');
    assert.equal(api.predictionDepth(editor.document.uri)?.thresholdSource, 'none');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it("pre-annotation suggests only the spans at or above the card's threshold; the setting changes what it suggests", async () => {
    const api = await finlabelApi();
    const records = JUDGMENT_RECORDS;
    const reference = await EntityPredictor.load(calibrated, { threads: 1, precision: 'auto' });
    let kept: PredictedEntity[][];
    let all: PredictedEntity[][];
    try {
      kept = (await reference.predictMany(records)).map((p) => p.spans);
      reference.setMinConfidence(0);
      all = (await reference.predictMany(records)).map((p) => p.spans);
    } finally {
      await reference.release();
    }
    const count = (x: PredictedEntity[][]): number => x.reduce((n, s) => n + s.length, 0);
    assert.ok(count(kept) > 0 && count(all) > count(kept), `${count(all)} decoded, ${count(kept)} kept`);
    const dir = mkdtempSync(join(tmpdir(), 'finlabel-threshold-pre-'));
    const uri = vscode.Uri.file(join(dir, 'judgments.jsonl'));
    writeFileSync(uri.fsPath, records.map((text, i) => JSON.stringify({ id: `j${i}`, text, labels: [] })).join('\n') + '\n');
    try {
      await useModel(calibrated);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const outcome = await vscode.commands.executeCommand<{ scored: number; suggestions?: number } | undefined>('finlabel.preAnnotate');
      assert.equal(outcome?.scored, records.length);
      const same = (expected: PredictedEntity[][]) => () => {
        const drawn = api.suggestionsDrawn(uri);
        return expected.every(
          (spans, line) =>
            JSON.stringify(drawn.filter((d) => d.range.start.line === line).map((d) => [d.tag, d.start, d.end])) ===
            JSON.stringify(spans.map((s) => [s.tag, s.start, s.end])),
        );
      };
      await waitFor("the suggestions above the card's threshold", same(kept), 30_000);
      for (const d of api.suggestionsDrawn(uri))
        assert.ok(Array.from(d.value).length > 1 && !isPunctuationOnly(d.value), `no single-character or punctuation-only suggestion: ${d.value}`);
      for (const spans of kept) for (const s of spans) assert.ok(s.confidence! >= calibration.threshold);
      await config().update('predictions.confidenceThreshold', 0, vscode.ConfigurationTarget.Workspace);
      await waitFor('every decoded span suggested with the setting at 0', same(all), 30_000);
      await config().update('predictions.confidenceThreshold', undefined, vscode.ConfigurationTarget.Workspace);
      await waitFor("the card's threshold again", same(kept), 30_000);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('where most of the spans the model finds fall below the threshold, far more than on its dev data, the status bar and hover say so and nothing is drawn', async () => {
    const api = await finlabelApi();
    // A card whose threshold lies above every span the model finds in this text: all of them are low,
    // against 4 of 40 on its dev data.
    const text = [JUDGMENT, JUDGMENT, JUDGMENT].join('\n');
    const reference = await EntityPredictor.load(calibrated, { threads: 1, precision: 'auto', minConfidence: 0 });
    let decoded;
    try {
      decoded = (await reference.decodeMany([text]))[0].decoded;
    } finally {
      await reference.release();
    }
    assert.ok(decoded.length >= 5, `${decoded.length} spans`);
    const deep = copyShippedModel('finlabel-out-of-depth-');
    try {
      setCardCalibration(deep, identityCalibration(Math.min(1, Math.max(...decoded.map((d) => d.score)) + 1e-6)));
      writeFileSync(workspaceFile('contracts/判决书汇编.txt').fsPath, text);
      await useModel(deep);
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('contracts/判决书汇编.txt')));
      const depth = await waitFor(
        'the out-of-depth assessment',
        () => {
          const d = api.predictionDepth(editor.document.uri);
          return d?.outOfDepth ? d : undefined;
        },
        30_000,
      );
      assert.equal(depth.candidates, decoded.length);
      assert.equal(depth.lowConfidence, decoded.length);
      assert.deepEqual(api.predictionsDrawn(editor.document.uri), [], 'no prediction is drawn');
      await waitFor('the status bar to say so', () =>
        /model out of its depth here \(\d+ of \d+ spans low-confidence\); predictions hidden/.test(api.statusBarText()),
      );
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(0, 10));
      assert.match(hoverText(hovers), /is out of its depth here\.\*\* \d+ of the \d+ spans it finds are below its confidence threshold/);

      // With the setting at 0 no span is low: the predictions are drawn and the status bar no longer warns.
      await config().update('predictions.confidenceThreshold', 0, vscode.ConfigurationTarget.Workspace);
      await waitFor('predictions again with the threshold at 0', () => api.predictionsDrawn(editor.document.uri).length === decoded.length, 30_000);
      await waitFor('the status bar to drop the warning', () => !/out of its depth/.test(api.statusBarText()));
      await config().update('predictions.confidenceThreshold', undefined, vscode.ConfigurationTarget.Workspace);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await config().update('entityModel.path', undefined, vscode.ConfigurationTarget.Workspace);
      rmSync(deep, { recursive: true, force: true });
    }
  });
});
