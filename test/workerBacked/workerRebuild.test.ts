import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LabelSchema } from '../../src/common/labelSchema';
import { prepareEntityTraining } from '../../src/server/training/entityTraining';
import { WorkerJobs } from '../../src/server/worker/workerJobs';
import { WorkerSupervisor } from '../../src/server/worker/workerSupervisor';
import { syntheticClauses } from '../unit/syntheticTrainingData';
import { workerPython } from './workerPython';

const repo = path.resolve(__dirname, '..', '..', '..');
const python = path.join(repo, '.venv', 'bin', 'python');

describe('a rebuild under a running worker (dist/worker deleted and written again)', function () {
  this.timeout(180_000);
  const scratch = mkdtempSync(path.join(tmpdir(), 'finlabel-rebuild-'));
  const workerDir = path.join(scratch, 'worker');
  let supervisor: WorkerSupervisor | undefined;

  before(function () {
    workerPython(repo);
  });

  after(async () => {
    await supervisor?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('restarts the worker on the new code before its next request, and the next training works (the worker does not run inside the folder a build replaces)', async () => {
    const source = path.join(repo, 'src', 'server', 'worker', 'python');
    const copy = (): void => cpSync(source, workerDir, { recursive: true, filter: (p) => !p.includes('__pycache__') });
    copy();
    const logged: string[] = [];
    supervisor = new WorkerSupervisor({
      workerDir,
      locatePython: async () => ({ ok: true, python, source: 'setting' }),
      env: { ...process.env, OMP_NUM_THREADS: '1' },
      log: (m) => logged.push(m),
    });
    const started = await supervisor.ensureStarted();
    assert.equal(started.state, 'ready', JSON.stringify(started));
    const before = supervisor.pid;
    assert.equal((await supervisor.ensureStarted()).state, 'ready');
    assert.equal(supervisor.pid, before, 'unchanged code: the same worker');
    // what scripts/build.mjs does to dist/worker while the worker runs
    rmSync(workerDir, { recursive: true, force: true });
    copy();
    // the code changed under it: the next request gets a worker running the new code
    assert.equal((await supervisor.ensureStarted()).state, 'ready');
    assert.notEqual(supervisor.pid, before, 'restarted on the new code');
    assert.ok(
      logged.some((m) => m.includes(`the worker's code in ${workerDir} changed since it started`)),
      logged.join('\n'),
    );

    const outDir = path.join(scratch, 'model');
    const prepared = prepareEntityTraining({
      jobId: 'after-rebuild',
      content: syntheticClauses(5, 60),
      file: 'clauses.jsonl',
      schema: new LabelSchema(),
      tokenizerDir: path.join(repo, 'models', 'tokenizers', 'bert-base-chinese'),
      base: { kind: 'tiny', architecture: 'bilstm', vocabSize: 21128, hiddenSize: 16 },
      outDir,
      hyper: { epochs: 1, batchSize: 16 },
      export: { onnx: false, quantize: false },
    });
    // Before the fix: FileNotFoundError naming no file, from `import transformers` (Path("src").resolve() in a deleted cwd).
    const result = await new WorkerJobs(supervisor).trainEntities(prepared.params, prepared.dev);
    assert.equal(result.epochs.length, 1);
    assert.ok(readdirSync(outDir).includes('model.safetensors'));
  });
});
