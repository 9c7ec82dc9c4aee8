import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import { serverInfoRequest, trainingJobsRequest, type BackgroundRetrainingStatus, type TrainingProgressParams } from '../../../src/common/lspProtocol';
import { DEFAULT_LABEL_TYPES } from '../../../src/common/labelSchema';
import { lendingBankLine, lendingBankRecords, LENDING_BANK, type LendingBankRecord } from '../../support/lendingBankRecords';
import { alive, childrenOf, finlabelApi, waitFor, workspaceFile } from './helpers';

const RECORDS = 90;
const AFTER_LABELS = 20;

/**
 * Background retraining in the real editor, with the real worker: the annotator labels records of a
 * type no model knows (放款银行), and the entity model learns it while they work.
 */
describe('Background retraining while labelling', function () {
  this.timeout(400_000);
  const records = lendingBankRecords(RECORDS);
  const uri = workspaceFile('retraining/banks.jsonl');
  const entitiesDir = (): string => path.join(workspaceFile('.finlabel').fsPath, 'models', 'entities');
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('finlabel');
  const statuses: BackgroundRetrainingStatus[] = [];
  let listening: vscode.Disposable | undefined;
  let enabledBefore: unknown;
  let swappedDir: string | undefined;

  const setting = (key: string, value: unknown): Thenable<void> => config().update(key, value, vscode.ConfigurationTarget.Workspace);
  const nextStatus = (states: BackgroundRetrainingStatus['state'][], from: number, ms: number): Promise<BackgroundRetrainingStatus> =>
    waitFor(
      `background retraining to reach ${states.join(' or ')} (so far: ${statuses.map((s) => s.state).join(', ')})`,
      () => statuses.slice(from).find((s) => states.includes(s.state)),
      ms,
    );

  /** Labels (or unlabels) the bank of records [from, to) in one edit, as the annotator's label commands would. */
  async function label(document: vscode.TextDocument, from: number, to: number, labelled = true): Promise<void> {
    const edit = new vscode.WorkspaceEdit();
    for (let i = from; i < to; i++) edit.replace(uri, document.lineAt(i).range, lendingBankLine(records[i], labelled));
    assert.ok(await vscode.workspace.applyEdit(edit));
  }

  const modelSuggestionsOfBanks = (api: Awaited<ReturnType<typeof finlabelApi>>, unlabelled: LendingBankRecord[], firstLine: number) =>
    api
      .suggestionsDrawn(uri)
      .filter((d) => d.source === 'model' && d.tag === LENDING_BANK.tag && d.range.start.line >= firstLine)
      .map((d) => [d.range.start.line, d.start, d.end])
      .filter(([line, start, end]) => unlabelled[line - firstLine]?.bank.start === start && unlabelled[line - firstLine]?.bank.end === end);

  before(async function () {
    this.timeout(180_000);
    const api = await finlabelApi();
    const status = await api.workerStatusNow(true);
    if (status.state === 'unavailable') assert.fail(`worker unavailable: ${status.message}\n${status.stderr}`);
    await waitFor('the worker to be ready', () => api.workerStatus().state === 'ready', 120_000);
    listening = api.onDidChangeBackgroundRetraining((s) => {
      if (s.dataset === uri.fsPath) statuses.push(s);
    });
    enabledBefore = config().inspect('backgroundRetraining.enabled')?.workspaceValue;
    await setting('labelSchema.types', [...DEFAULT_LABEL_TYPES, LENDING_BANK]);
    await waitFor('the schema with 放款银行', () => api.labelTypes().some((t) => t.tag === LENDING_BANK.tag));
    await setting('entityModel.path', undefined);
    await waitFor(
      'the shipped model to be active',
      () => api.predictionModel().state === 'ready' && /default-entities$/.test(api.predictionModel().dir ?? ''),
      60_000,
    );
    await setting('backgroundRetraining.afterLabels', AFTER_LABELS);
    await setting('backgroundRetraining.trainingSeconds', 25);
    await setting('backgroundRetraining.enabled', true);
    fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
    fs.writeFileSync(uri.fsPath, `${records.map((r) => lendingBankLine(r, false)).join('\n')}\n`);
  });

  after(async () => {
    listening?.dispose();
    await setting('backgroundRetraining.enabled', enabledBefore);
    await setting('backgroundRetraining.afterLabels', undefined);
    await setting('backgroundRetraining.trainingSeconds', undefined);
    await setting('entityModel.path', undefined);
    await setting('labelSchema.types', undefined);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    fs.rmSync(path.dirname(uri.fsPath), { recursive: true, force: true });
    if (swappedDir) fs.rmSync(swappedDir, { recursive: true, force: true });
  });

  it('after N labels the model retrains in the background, is swapped in because it is not worse, and the suggestions become its own', async () => {
    const api = await finlabelApi();
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    // Counting starts from the labels the dataset has once the server has read it.
    await waitFor('counting to start', () => statuses.find((s) => s.state === 'counting' && s.changes === 0));
    // Pre-annotated with the shipped model, which knows no 放款银行.
    const preAnnotated = await vscode.commands.executeCommand<{ scored: number } | undefined>('finlabel.preAnnotate');
    assert.ok(preAnnotated && preAnnotated.scored > 0, 'the unlabelled records were predicted');
    assert.deepEqual(modelSuggestionsOfBanks(api, records.slice(30), 30), [], 'the shipped model suggests no lending bank');

    const from = statuses.length;
    await label(document, 0, AFTER_LABELS - 1);
    await new Promise((r) => setTimeout(r, 2500));
    assert.ok(!statuses.slice(from).some((s) => s.state === 'training'), `${AFTER_LABELS - 1} labels do not start a retrain`);
    await waitFor('the count in the status bar', () => /\$\(mortar-board\) 19\/20/.test(api.backgroundRetrainingText()));
    await label(document, AFTER_LABELS - 1, 30);

    const training = await nextStatus(['training'], from, 30_000);
    assert.match(
      training.message,
      /retraining the entity model on 30 labelled records of banks\.jsonl \(from scratch: the active model default-entities has no model\.safetensors/,
    );
    assert.match(api.backgroundRetrainingText(), /learning from your labels/);
    const done = await nextStatus(['swapped', 'kept', 'failed', 'cancelled'], from, 240_000);
    assert.equal(done.state, 'swapped', done.message);
    assert.ok(done.modelDir && done.devF1, 'the status names the new model and both dev figures');
    swappedDir = done.modelDir;
    assert.ok(done.devF1.active === null || done.devF1.retrained >= done.devF1.active, JSON.stringify(done.devF1));
    assert.equal(path.dirname(done.modelDir), entitiesDir(), "kept in the model registry's folder");
    assert.match(path.basename(done.modelDir), /^banks-\d{8}-\d{6}-retrained$/);
    for (const file of ['card.json', 'model.safetensors', 'model.int8.onnx', 'labels.json'])
      assert.ok(fs.existsSync(path.join(done.modelDir, file)), `${file} was written`);
    const card = JSON.parse(fs.readFileSync(path.join(done.modelDir, 'card.json'), 'utf8')) as {
      calibration?: unknown;
      training: { hyperparameters: { maxSeconds: number; threads: number } };
    };
    assert.ok(card.calibration, 'calibrated on its dev split like every trained model');
    assert.deepEqual([card.training.hyperparameters.maxSeconds, card.training.hyperparameters.threads], [25, 1]);

    // Made active in the workspace settings, listed in the registry, and predicting.
    await waitFor(
      'the setting to name the new model',
      () => config().inspect<string>('entityModel.path')?.workspaceValue === `.finlabel/models/entities/${path.basename(done.modelDir!)}`,
    );
    await waitFor(
      'the registry to mark it active',
      () => api.registeredModels('entities').find((m) => m.dir === done.modelDir && String(m.description).endsWith('· active')),
      30_000,
    );
    await waitFor('the new model to predict', () => api.predictionModel().state === 'ready' && api.predictionModel().dir === done.modelDir, 60_000);
    assert.match(api.backgroundRetrainingText(), /model updated \(dev F1 .* → \d\.\d\d\)/);

    // The pre-annotated records are predicted again by the new model: its suggestions find the banks.
    const found = await waitFor(
      "the new model's lending-bank suggestions",
      () => {
        const hits = modelSuggestionsOfBanks(api, records.slice(30), 30);
        return hits.length >= 30 ? hits : undefined;
      },
      60_000,
    );
    assert.ok(found.length >= 30, `${found.length} of 60 unlabelled records get their bank suggested`);
  });

  it('a retrain that scores worse on its dev split is not swapped in, and its folder is removed', async () => {
    const api = await finlabelApi();
    assert.ok(swappedDir, 'the previous test swapped a model in');
    const document = await vscode.workspace.openTextDocument(uri);
    // A new type makes the next retrain start from scratch, and a tenth of a second of training learns nothing.
    await setting('labelSchema.types', [...DEFAULT_LABEL_TYPES, LENDING_BANK, { name: '利率', tag: 'INTEREST_RATE' }]);
    await waitFor('the schema with 利率', () => api.labelTypes().some((t) => t.tag === 'INTEREST_RATE'));
    await setting('backgroundRetraining.trainingSeconds', 0.1);
    const outDirs: string[] = [];
    const watching = api.onTrainingProgress((p: TrainingProgressParams) => {
      if (p.job.background && !outDirs.includes(p.job.outDir)) outDirs.push(p.job.outDir);
    });
    const from = statuses.length;
    try {
      await label(document, 30, 30 + AFTER_LABELS);
      const training = await nextStatus(['training'], from, 30_000);
      assert.match(training.message, /from scratch: the active model .* has other label types than the dataset/);
      const done = await nextStatus(['swapped', 'kept', 'failed', 'cancelled'], from, 180_000);
      assert.equal(done.state, 'kept', done.message);
      assert.ok(done.devF1 && done.devF1.active !== null && done.devF1.retrained < done.devF1.active, JSON.stringify(done.devF1));
      assert.match(done.message, /a retrained model scored worse, so .* stays active/);
    } finally {
      watching.dispose();
    }
    assert.equal(outDirs.length, 1, 'one retrain ran');
    assert.ok(!fs.existsSync(outDirs[0]), 'the worse model was removed');
    assert.equal(
      config().inspect<string>('entityModel.path')?.workspaceValue,
      `.finlabel/models/entities/${path.basename(swappedDir)}`,
      'the active model stays',
    );
    assert.equal(api.predictionModel().dir, swappedDir);
    assert.match(api.backgroundRetrainingText(), /model kept/);
  });

  it('the count of label changes toward the next retrain survives a restart of the server', async () => {
    const api = await finlabelApi();
    const client = api.languageClient();
    const document = await vscode.workspace.openTextDocument(uri);
    const from = statuses.length;
    await label(document, 80, 85);
    await nextStatus(['counting'], from, 30_000);
    await waitFor('5 label changes counted', () => statuses.slice(from).find((s) => s.state === 'counting' && s.changes === 5), 30_000);
    const serverPid = (await client.sendRequest(serverInfoRequest)).pid;
    const restarted = statuses.length;
    await vscode.commands.executeCommand('finlabel.restartServer');
    await waitFor(
      'a new server',
      async () => {
        if (client.state !== State.Running) return undefined;
        const info = await client.sendRequest(serverInfoRequest).catch(() => undefined);
        return info && info.pid !== serverPid ? info : undefined;
      },
      60_000,
    );
    const recounted = await nextStatus(['counting'], restarted, 30_000);
    assert.equal(recounted.changes, 5, `the new server counts the changes made before the restart: ${recounted.message}`);
    await waitFor('the count in the status bar', () => new RegExp(`\\$\\(mortar-board\\) 5/${AFTER_LABELS}`).test(api.backgroundRetrainingText()));
    const undone = statuses.length;
    await label(document, 80, 85, false);
    await waitFor('no change left once the labels are taken back', () => statuses.slice(undone).find((s) => s.state === 'counting' && s.changes === 0), 30_000);
  });

  it('closing the server during a retrain cancels it: no model folder, no staging folder, no worker process left', async () => {
    const api = await finlabelApi();
    const client = api.languageClient();
    const document = await vscode.workspace.openTextDocument(uri);
    await setting('backgroundRetraining.trainingSeconds', 600);
    const running = new Promise<TrainingProgressParams>((resolve) => {
      const sub = api.onTrainingProgress((p) => {
        if (p.job.background && p.progress?.phase === 'train') {
          sub.dispose();
          resolve(p);
        }
      });
    });
    await label(document, 50, 50 + AFTER_LABELS);
    const progress = await Promise.race([
      running,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the retrain did not start training within 120 s')), 120_000)),
    ]);
    const { workerPid } = await client.sendRequest(trainingJobsRequest);
    const serverPid = (await client.sendRequest(serverInfoRequest)).pid;
    assert.ok(workerPid, 'the worker runs the retrain');
    const staging = (): string[] => fs.readdirSync(entitiesDir()).filter((n) => n.startsWith(`.${path.basename(progress.job.outDir)}.partial-`));
    assert.equal(staging().length, 1, 'the worker stages the model while it trains');

    await vscode.commands.executeCommand('finlabel.restartServer');
    await waitFor('the old worker to exit', () => !alive(workerPid), 30_000);
    await waitFor(
      'a new server',
      async () => {
        if (client.state !== State.Running) return undefined;
        const info = await client.sendRequest(serverInfoRequest).catch(() => undefined);
        return info && info.pid !== serverPid ? info : undefined;
      },
      60_000,
    );
    assert.ok(!fs.existsSync(progress.job.outDir), 'no model folder');
    assert.deepEqual(staging(), [], 'no staging folder');
    assert.deepEqual(alive(serverPid) ? childrenOf(serverPid).filter(([, cmd]) => /python/i.test(cmd)) : [], [], 'no Python process of the old server is left');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
