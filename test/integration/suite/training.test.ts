import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { serverInfoRequest, trainingJobsRequest, type TrainingEndedParams, type TrainingProgressParams } from '../../../src/common/lspProtocol';
import { EntityPredictor } from '../../../src/server/inference/entityPredictor';
import { alive, childrenOf, finlabelApi, waitFor, workspaceFile } from './helpers';

const entitiesDir = (): string => path.join(workspaceFile('.finlabel').fsPath, 'models', 'entities');

describe('Training jobs and the model registry', function () {
  this.timeout(300_000);
  let trained: Extract<TrainingEndedParams, { outcome: 'finished' }> | undefined;

  before(async () => {
    const api = await finlabelApi();
    const status = await api.workerStatusNow(true);
    if (status.state === 'unavailable') assert.fail(`worker unavailable: ${status.message}\n${status.stderr}`);
    await waitFor('the worker to be ready', () => api.workerStatus().state === 'ready', 120_000);
  });

  it('trains a small entity model on the sample data through the command; the registry lists it with its F1', async () => {
    const api = await finlabelApi();
    const lines: TrainingProgressParams[] = [];
    const listening = api.onTrainingProgress((p) => lines.push(p));
    let statusWhileRunning = '';
    const watchingStatus = api.onTrainingProgress((p) => {
      if (p.progress?.phase === 'train') statusWhileRunning = api.trainingStatusText();
    });
    let ended: TrainingEndedParams | undefined;
    try {
      ended = await vscode.commands.executeCommand<TrainingEndedParams>('finlabel.trainEntityModel', {
        dataset: workspaceFile('due_diligence.jsonl'),
        base: 'tiny',
        epochs: 1,
        device: 'cpu',
      });
    } finally {
      listening.dispose();
      watchingStatus.dispose();
    }
    assert.ok(ended, 'the command resolves with how the job ended');
    if (ended.outcome !== 'finished') assert.fail(`training did not finish: ${JSON.stringify(ended)}`);
    trained = ended;

    assert.equal(path.dirname(ended.modelDir), entitiesDir(), 'the model goes to .finlabel/models/entities/ of the workspace');
    for (const file of ['model.onnx', 'card.json', 'labels.json', 'tokenizer.json'])
      assert.ok(fs.existsSync(path.join(ended.modelDir, file)), `${file} was written`);
    assert.equal(ended.result.epochs.length, 1);
    assert.ok(
      lines.some((p) => /^epoch 1\/1, step \d+\/\d+: loss /.test(p.line)),
      'progress lines report epoch, step and loss',
    );
    assert.ok(
      lines.some((p) => p.evaluation && /^epoch 1: dev /.test(p.line)),
      "the epoch's dev figure is reported",
    );
    assert.match(statusWhileRunning, /Training entity model: epoch 1\/1 · step \d+\/\d+/, 'the status bar shows the running job');
    assert.equal(api.trainingStatusText(), '', 'the status bar item goes away when the job ends');

    const best = ended.result.bestDevMetric;
    assert.ok(best !== null, 'the sample data has a dev split');
    // Calibrated on the run's own dev split: the card holds it and the job's notes say so.
    const card = JSON.parse(fs.readFileSync(path.join(ended.modelDir, 'card.json'), 'utf8')) as {
      calibration?: { threshold: number; dev: { records: number } };
      data: { split: { devRecords: number } };
    };
    assert.ok(card.calibration, 'card.json holds the calibration');
    assert.equal(card.calibration.dev.records, card.data.split.devRecords);
    assert.ok(
      ended.notes.some(
        (n) =>
          n.startsWith(`calibrated on ${card.data.split.devRecords} dev records`) &&
          n.includes(`confidence threshold ${card.calibration!.threshold.toFixed(3)}`),
      ),
      ended.notes.join(' | '),
    );
    const listed = await waitFor('the registry to list the new model', () => api.registeredModels('entities').find((m) => m.dir === ended.modelDir));
    assert.equal(listed.label, path.basename(ended.modelDir));
    assert.match(String(listed.description), new RegExp(`^F1 ${best.toFixed(3).replace('.', '\\.')} · \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d`));
    const tooltip = listed.tooltip instanceof vscode.MarkdownString ? listed.tooltip.value : String(listed.tooltip);
    assert.ok(
      tooltip.includes(`**${path.basename(ended.modelDir)}**`) && tooltip.includes(`F1 ${best.toFixed(3)} · `),
      `the tooltip has the whole name and figure, which the view may cut off: ${tooltip}`,
    );
  });

  it('Select Active Model sets finlabel.entityModel.path, the registry marks the model active, and the decorations become its predictions', async () => {
    assert.ok(trained, 'the previous test trained a model');
    const api = await finlabelApi();
    const dir = trained.modelDir;
    const picked = await vscode.commands.executeCommand<string>('finlabel.selectActiveModel', dir);
    assert.equal(picked, dir);
    const setting = vscode.workspace.getConfiguration('finlabel').inspect<string>('entityModel.path')?.workspaceValue;
    assert.equal(setting, `.finlabel/models/entities/${path.basename(dir)}`, 'stored relative to the workspace folder');
    const item = await waitFor('the registry to mark it active', () =>
      api.registeredModels('entities').find((m) => m.dir === dir && String(m.description).endsWith('· active')),
    );
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'check');
    // The predictions now come from the new model: the language server loaded it, and a contract shows
    // exactly what the new model finds in it.
    await waitFor('the new model to predict', () => api.predictionModel().state === 'ready' && api.predictionModel().dir === dir, 60_000);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('contracts/流动资金借款合同.txt')));
    const reference = await EntityPredictor.load(dir, { threads: 1, precision: 'auto' });
    try {
      const expected = (await reference.predict(editor.document.getText())).spans.map((s) => `${s.tag} ${s.value}`);
      await waitFor(
        `the decorations to be the new model's ${expected.length} predictions`,
        () => {
          // A one-epoch model may be out of its depth in the contract: then nothing is drawn, and the editor says so.
          const hidden = api.predictionDepth(editor.document.uri)?.outOfDepth === true;
          const drawn = api.predictionsDrawn(editor.document.uri).map((d) => `${d.tag} ${d.value}`);
          if (hidden) return drawn.length === 0 && /out of its depth/.test(api.statusBarText());
          return drawn.length === expected.length && drawn.every((d, i) => d === expected[i]);
        },
        30_000,
      );
    } finally {
      await reference.release();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });

  it('cancelling during a run leaves no model folder (no staging folder either) and no orphan process', async () => {
    const api = await finlabelApi();
    const client = api.languageClient();
    const serverPid = (await client.sendRequest(serverInfoRequest)).pid;
    const outDir = path.join(entitiesDir(), 'cancelled-run');
    const training = new Promise<TrainingProgressParams>((resolve) => {
      const sub = api.onTrainingProgress((p) => {
        if (p.job.outDir === outDir && p.progress?.phase === 'train') {
          sub.dispose();
          resolve(p);
        }
      });
    });
    const run = vscode.commands.executeCommand<TrainingEndedParams>('finlabel.trainEntityModel', {
      dataset: workspaceFile('due_diligence.jsonl'),
      base: 'tiny',
      epochs: 3,
      device: 'cpu',
      outDir,
    });
    const progress = await training;
    const { jobs, workerPid } = await client.sendRequest(trainingJobsRequest);
    assert.ok(workerPid, 'the worker runs');
    assert.deepEqual(
      jobs.map((j) => [j.jobId, j.state]),
      [[progress.job.jobId, 'running']],
    );
    assert.ok(
      fs.readdirSync(entitiesDir()).some((n) => n.startsWith('.cancelled-run.partial-')),
      'the worker stages the model while training',
    );

    const cancelled = await vscode.commands.executeCommand<boolean>('finlabel.cancelTraining', progress.job.jobId);
    assert.equal(cancelled, true);
    const ended = await run;
    assert.equal(ended.outcome, 'cancelled');

    assert.equal(fs.existsSync(outDir), false, 'no model folder');
    assert.deepEqual(
      fs.readdirSync(entitiesDir()).filter((n) => n.includes('.partial-')),
      [],
      'no staging folder',
    );
    assert.ok(alive(workerPid), 'the worker itself keeps running for the next job');
    assert.equal((await client.sendRequest(trainingJobsRequest)).workerPid, workerPid, 'and it is the same worker');
    const pythonChildren = childrenOf(serverPid).filter(([, cmd]) => /python/i.test(cmd));
    assert.deepEqual(
      pythonChildren.map(([pid]) => pid),
      [workerPid],
      'the server has one Python child: the worker',
    );
    assert.deepEqual(childrenOf(workerPid), [], 'the worker has no child process left');
    assert.equal(api.trainingStatusText(), '');
  });

  it('reports dataset problems with file and line, and a base folder that lacks files, without training', async () => {
    const bad = workspaceFile('training-bad.jsonl').fsPath;
    const good = JSON.stringify({ id: 'a', text: '借款金额𠀋500万元😀,担保方式为抵押\r\n还款期限3年', labels: [] });
    fs.writeFileSync(bad, `${good}\n{"id": "b", "text": \n${good}\n`);
    const failed = await vscode.commands.executeCommand<TrainingEndedParams>('finlabel.trainEntityModel', { dataset: bad, base: 'tiny', epochs: 1 });
    assert.equal(failed.outcome, 'failed');
    assert.equal(failed.outcome === 'failed' && failed.kind, 'dataset');
    assert.deepEqual(
      failed.problems.map((p) => [p.file, p.line]),
      [[bad, 2]],
    );

    const emptyBase = workspaceFile('empty-base').fsPath;
    fs.mkdirSync(emptyBase, { recursive: true });
    const invalid = await vscode.commands.executeCommand<TrainingEndedParams>('finlabel.trainEntityModel', {
      dataset: workspaceFile('due_diligence.jsonl'),
      base: emptyBase,
      epochs: 1,
    });
    assert.equal(invalid.outcome, 'failed');
    if (invalid.outcome !== 'failed') return;
    assert.equal(invalid.kind, 'base-model-invalid');
    assert.deepEqual((invalid.data as { missing: string[] }).missing, ['tokenizer.json']);
    const models = fs.existsSync(entitiesDir()) ? fs.readdirSync(entitiesDir()) : [];
    assert.ok(!models.some((n) => n.startsWith('training-bad')), 'nothing was written for the refused dataset');
  });

  it('Delete Model removes the folder once confirmed and clears the active-model setting', async () => {
    assert.ok(trained, 'the first test trained a model');
    const api = await finlabelApi();
    const dir = trained.modelDir;
    const deleted = await vscode.commands.executeCommand<boolean>('finlabel.deleteModel', dir, { confirm: true });
    assert.equal(deleted, true);
    assert.equal(fs.existsSync(dir), false);
    await waitFor('the registry to drop it', () => !api.registeredModels('entities').some((m) => m.dir === dir));
    assert.equal(
      vscode.workspace.getConfiguration('finlabel').inspect<string>('entityModel.path')?.workspaceValue,
      undefined,
      'the deleted model is no longer active',
    );
  });
});
