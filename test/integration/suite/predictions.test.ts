import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetRecord } from '../../../src/common/dataset';
import { EntityPredictor } from '../../../src/server/inference/entityPredictor';
import { ensureTrainedModel } from '../../support/tinyEntityModel';
import { finlabelApi, hoverText, waitFor, workspaceFile } from './helpers';

const CONTRACT = 'contracts/流动资金借款合同.txt';
const DATASET = 'due_diligence.jsonl';

describe('The shipped default model, with no setting', function () {
  this.timeout(120_000);

  it("the sample contract shows the default model's predictions out of the box, the loan amount among them", async () => {
    const api = await finlabelApi();
    assert.equal(vscode.workspace.getConfiguration('finlabel').get<string>('entityModel.path'), '', 'no entity model is set');
    const shipped = path.join(vscode.extensions.getExtension('finlabel.finlabel')!.extensionPath, 'models', 'default-entities');
    await waitFor('the shipped model to be active', () => api.predictionModel().state === 'ready' && api.predictionModel().dir === shipped, 60_000);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile(CONTRACT)));
    const reference = await EntityPredictor.load(shipped, { threads: 1, precision: 'auto' });
    try {
      const expected = (await reference.predict(editor.document.getText())).spans;
      assert.ok(
        expected.some((e) => e.tag === 'LOAN_AMOUNT'),
        'the default model finds a loan amount in the sample contract',
      );
      const drawn = await waitFor(
        "the default model's predictions to be drawn",
        () => {
          const now = api.predictionsDrawn(editor.document.uri);
          return now.length === expected.length && now.every((d, i) => d.tag === expected[i].tag && d.value === expected[i].value) ? now : undefined;
        },
        30_000,
      );
      for (const d of drawn) assert.equal(editor.document.getText(d.range), d.value);
    } finally {
      await reference.release();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });
});

describe('Entity predictions from an ONNX model', function () {
  this.timeout(240_000);
  let modelDir: string;
  /** The same model, run here in the test, as the reference for what must be drawn. */
  let reference: EntityPredictor;

  before(async () => {
    // The harness trains it before VS Code starts; this finds it (or trains it when run alone).
    modelDir = await ensureTrainedModel();
    // As the server serves it (finlabel.entityModel.precision auto: the int8 graph, the folder has one).
    reference = await EntityPredictor.load(modelDir, { threads: 1, precision: 'auto' });
    await finlabelApi();
    await vscode.workspace.getConfiguration('finlabel').update('entityModel.path', modelDir, vscode.ConfigurationTarget.Workspace);
    const api = await finlabelApi();
    await waitFor('the model to be active', () => api.predictionModel().state === 'ready' && api.predictionModel().dir === modelDir, 60_000);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('finlabel').update('entityModel.path', undefined, vscode.ConfigurationTarget.Workspace);
    await reference?.release();
  });

  /** The predictions drawn for the document's current version, once they equal the model's spans on its text. */
  async function drawnLikeModel(editor: vscode.TextEditor): Promise<readonly { value: string; tag: string; range: vscode.Range }[]> {
    const api = await finlabelApi();
    const expected = (await reference.predict(editor.document.getText())).spans;
    assert.ok(expected.length > 0, 'the model finds entities in the contract');
    return waitFor(
      'the predictions of the current text to be drawn',
      () => {
        const drawn = api.predictionsDrawn(editor.document.uri);
        const same = drawn.length === expected.length && drawn.every((d, i) => d.value === expected[i].value && d.tag === expected[i].tag);
        return same ? drawn : undefined;
      },
      30_000,
    );
  }

  it("a contract file shows the model's predictions where they are in the text, and hover says type, confidence and model", async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile(CONTRACT)));
    const drawn = await drawnLikeModel(editor);
    for (const d of drawn) assert.equal(editor.document.getText(d.range), d.value);

    const target = drawn[Math.floor(drawn.length / 2)];
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, target.range.start);
    const text = hoverText(hovers);
    assert.match(text, /Prediction: /);
    assert.match(text, new RegExp(target.tag));
    assert.match(text, /confidence: \d+\.\d%/);
    assert.match(text, /model: tiny-entity-model/);
  });

  it('an edit that removes a predicted amount removes its decoration (undo brings it back)', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile(CONTRACT)));
    const before = await drawnLikeModel(editor);
    const amount = before.find((d) => d.tag === 'LOAN_AMOUNT') ?? before[0];
    const start = editor.document.offsetAt(amount.range.start);
    assert.ok(await editor.edit((b) => b.delete(amount.range)));
    const after = await drawnLikeModel(editor);
    const at = editor.document.positionAt(start);
    assert.ok(
      !after.some((d) => d.value === amount.value && d.range.start.isEqual(at)),
      `no prediction "${amount.value}" at ${at.line}:${at.character} any more`,
    );
    await vscode.commands.executeCommand('undo');
    const restored = await drawnLikeModel(editor);
    assert.ok(
      restored.some((d) => d.value === amount.value && d.range.isEqual(amount.range)),
      'the prediction is back after undo',
    );
  });

  it('accepting a prediction writes it as a label of the dataset record in one edit; undo removes it', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile(DATASET));
    await vscode.window.showTextDocument(document);
    const api = await finlabelApi();
    const labelsOf = (line: number): NonNullable<DatasetRecord['labels']> => (JSON.parse(document.lineAt(line).text) as DatasetRecord).labels ?? [];
    // A prediction that is not already a gold label of its record. By value and type here; the server
    // compares spans (a gold label whose "value" is stale differs by value only), so the first candidate
    // the server offers to accept is taken, once its predictions for this version are in (the drawn ones
    // may still be those of a document VS Code kept open from an earlier test).
    let actions: vscode.CodeAction[] = [];
    let tried = 0;
    const found = await waitFor(
      'a prediction with an accept action',
      async () => {
        const candidates = api.predictionsDrawn(document.uri).filter((d) => {
          const record = JSON.parse(document.lineAt(d.range.start.line).text) as DatasetRecord;
          return !(record.labels ?? []).some((l) => l.value === d.value && (l.entity === d.entity || l.entity === d.tag));
        });
        for (const candidate of candidates.slice(0, 20)) {
          tried++;
          actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider',
            document.uri,
            new vscode.Range(candidate.range.start, candidate.range.start),
          );
          const accept = actions.find((a) => a.title.startsWith('Accept prediction as label') && a.edit);
          if (accept) return { candidate, accept };
        }
        return undefined;
      },
      45_000,
    ).catch((err: Error) => {
      throw new Error(
        `${err.message} (version ${document.version}, dirty ${document.isDirty}, ${api.predictionsDrawn(document.uri).length} drawn, ${tried} tried, model ${api.predictionModel().state}): ${actions.map((a) => a.title).join(' | ')}`,
      );
    });
    const { candidate, accept } = found;
    const line = candidate.range.start.line;
    const before = document.lineAt(line).text;
    assert.ok(actions.some((a) => a.title.startsWith('Accept all predictions in this record')));
    assert.ok(await vscode.workspace.applyEdit(accept.edit!));
    const added = labelsOf(line).filter(
      (l) => !((JSON.parse(before) as DatasetRecord).labels ?? []).some((o) => o.start === l.start && o.end === l.end && o.entity === l.entity),
    );
    assert.equal(added.length, 1);
    assert.equal(added[0].value, candidate.value);
    assert.equal(added[0].entity, candidate.entity);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    await waitFor('undo to restore the line', () => document.lineAt(line).text === before);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
