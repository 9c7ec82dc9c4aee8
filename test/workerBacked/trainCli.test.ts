import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runFinlabel } from '../support/cliRun';
import { ruleCsv, syntheticClauses } from '../unit/syntheticTrainingData';
import { oneTorchThreadInThisSuite, workerPython } from './workerPython';

const repo = path.resolve(__dirname, '..', '..', '..');

describe('finlabel train', function () {
  this.timeout(240_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'finlabel-train-cli-'));
  oneTorchThreadInThisSuite();

  it('refuses bad arguments before starting anything, saying what is wrong', async () => {
    const data = path.join(dir, 'clauses.jsonl');
    writeFileSync(data, syntheticClauses(1, 20));
    const cases: [string[], RegExp][] = [
      [['train'], /say what to train: ner or credit/],
      [['train', 'pos', data], /unknown task "pos"/],
      [['train', 'ner', data, '--tiny', '--base', dir], /--base and --tiny exclude each other/],
      [['train', 'ner', data, '--epochs', '0'], /--epochs must be a whole number/],
      [['train', 'ner', data, '--label', 'y'], /--label and --features are for credit models/],
      [['train', 'ner', data, '--out', dir], /already exists/],
      [['train', 'ner', path.join(dir, 'missing.jsonl')], /cannot read .*missing\.jsonl: ENOENT/],
      [['train', 'ner', data, '--word-boundaries', 'yes'], /--word-boundaries must be on or off, got "yes"/],
      [['train', 'ner', data, '--architecture', 'bert', '--word-boundaries', 'on'], /--word-boundaries is for the small BiLSTM/],
    ];
    for (const [args, message] of cases) {
      const r = await runFinlabel(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message, args.join(' '));
    }
    // The default model folder is the workspace's .finlabel/models: a .finlabel that leads elsewhere is not followed.
    const linked = realpathSync(mkdtempSync(path.join(tmpdir(), 'finlabel-train-linked-')));
    const elsewhere = realpathSync(mkdtempSync(path.join(tmpdir(), 'finlabel-train-elsewhere-')));
    symlinkSync(elsewhere, path.join(linked, '.finlabel'));
    writeFileSync(path.join(linked, 'clauses.jsonl'), syntheticClauses(1, 20));
    const viaLink = await runFinlabel(['train', 'ner', path.join(linked, 'clauses.jsonl'), '--tiny']);
    assert.equal(viaLink.code, 2, viaLink.stderr);
    assert.match(
      viaLink.stderr,
      /the default model folder .*\.finlabel\/models\/entities\/clauses-\d{8}-\d{6} is outside the workspace folder .* \(it leads to .*finlabel-train-elsewhere-.* through a symbolic link\).*; choose a folder with --out/,
    );
    assert.deepEqual(readdirSync(elsewhere), []);
    const base = path.join(dir, 'base-without-tokenizer');
    mkdirSync(base);
    writeFileSync(path.join(base, 'vocab.txt'), '[PAD]\n');
    const r = await runFinlabel(['train', 'ner', data, '--base', base]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /has no tokenizer\.json \(only vocab\.txt\).*save_pretrained/);
  });

  it("ner --tiny trains through the worker, prints progress and each epoch's dev F1, and ends with the model folder as JSON", async function () {
    workerPython(repo);
    const data = path.join(dir, 'train-ner.jsonl');
    writeFileSync(data, syntheticClauses(2, 300));
    const out = path.join(dir, 'ner-model');
    const r = await runFinlabel(['train', 'ner', data, '--tiny', '--epochs', '2', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /epoch 1\/2, step \d+\/\d+: loss \d/);
    assert.match(r.stderr, /epoch 2: dev micro span F1 \d\.\d{4}/);
    const printed = JSON.parse(r.stdout) as { modelDir: string; task: string; result: { epochs: unknown[]; onnx: { maxAbsDiff: number } } };
    assert.equal(printed.modelDir, out);
    assert.equal(printed.task, 'ner');
    assert.equal(printed.result.epochs.length, 2);
    assert.ok(readdirSync(out).includes('model.onnx'));
    assert.ok(readdirSync(out).includes('word-segmenter.json'), 'the small BiLSTM reads word boundaries by default');
  });

  it('credit --tiny trains on any CSV with a 0/1 label column, named with --label', async function () {
    workerPython(repo);
    const data = path.join(dir, 'rule.csv');
    // The rule CSV with its label column renamed: the command must not assume the original blog post's names.
    writeFileSync(data, Buffer.from(Buffer.from(ruleCsv(120, 4)).toString('utf8').replace('是否违约', 'defaulted'), 'utf8'));
    const out = path.join(dir, 'credit-model');
    const r = await runFinlabel(['train', 'credit', data, '--tiny', '--label', 'defaulted', '--epochs', '1', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /epoch 1: dev ROC-AUC \d\.\d{4}/);
    const printed = JSON.parse(r.stdout) as { modelDir: string; trainRows: number; devRows: number };
    assert.deepEqual([printed.trainRows, printed.devRows], [96, 24]);
    assert.ok(readdirSync(out).includes('adapter_model.safetensors'));
    const missing = await runFinlabel(['train', 'credit', data, '--tiny', '--out', path.join(dir, 'other')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /是否违约/, 'without --label the default column is named in the error');
  });
});
