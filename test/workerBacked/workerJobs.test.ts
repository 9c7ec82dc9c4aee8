import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_LABEL_TYPES } from '../../src/common/labelSchema';
import type { EntityTrainParams, JobProgress } from '../../src/common/workerProtocol';
import { BioScheme } from '../../src/server/entities/bioScheme';
import { encodeEntitySplit } from '../../src/server/entities/entityDataset';
import { Rng } from '../../src/server/util/prng';
import { generateRecords } from '../../src/server/samples/records';
import { BertTokenizer } from '../../src/server/tokenization/bertTokenizer';
import { loadTokenizerFolder } from '../../src/server/tokenization/tokenizerFolder';
import { WorkerJobs } from '../../src/server/worker/workerJobs';
import { WorkerSupervisor } from '../../src/server/worker/workerSupervisor';

/**
 * A stand-in worker speaking the real JSON-RPC framing: on train/entities it sends a progress
 * notification, asks the server to evaluate the dev labels it was given (a perfect model) and then a
 * dev set with every prediction shifted to O, and answers with both metrics.
 */
const FAKE_WORKER = String.raw`
import json, sys
def read():
    headers = {}
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            sys.exit(0)
        line = line.strip()
        if not line:
            break
        k, v = line.split(b":", 1)
        headers[k.strip().lower()] = v.strip()
    return json.loads(sys.stdin.buffer.read(int(headers[b"content-length"])))
def send(msg):
    msg["jsonrpc"] = "2.0"
    body = json.dumps(msg).encode()
    sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    sys.stdout.buffer.flush()
def ask(id, method, params):
    send({"id": id, "method": method, "params": params})
    return read()
while True:
    m = read()
    method, params = m.get("method"), m.get("params")
    if method == "deviceInfo":
        send({"id": m["id"], "result": {"device": "cpu", "name": "fake", "deviceCount": 0, "memoryBytes": None, "torchVersion": "0", "cudaVersion": None, "pythonVersion": "3", "pythonExecutable": sys.executable}})
    elif method == "shutdown":
        send({"id": m["id"], "result": None})
        sys.exit(0)
    elif method in ("train/entities", "train/credit"):
        job = params["jobId"]
        send({"method": "progress", "params": {"jobId": job, "phase": "train", "epoch": 1, "epochs": 1, "step": 1, "steps": 1, "loss": 0.5, "learningRate": 2e-5, "samplesPerSecond": 10.0, "etaSeconds": 0, "gpuMemoryBytes": None}})
        if method == "train/entities":
            perfect = [[0 if l == -100 else l for l in ex["labelIds"]] for ex in params["dev"]]
            a = ask("s1", "evaluate/entities", {"jobId": job, "epoch": 1, "predictions": perfect})
            b = ask("s2", "evaluate/entities", {"jobId": job, "epoch": 2, "predictions": [[0] * len(p) for p in perfect]})
            c = ask("s3", "evaluate/entities", {"jobId": "nope", "epoch": 1, "predictions": []})
        else:
            a = ask("s1", "evaluate/credit", {"jobId": job, "epoch": 1, "probabilities": [0.9 if ex["label"] == 1 else 0.1 for ex in params["dev"]]})
            b = ask("s2", "evaluate/credit", {"jobId": job, "epoch": 2, "probabilities": [0.5 for ex in params["dev"]]})
            c = ask("s3", "evaluate/credit", {"jobId": job, "epoch": 3, "probabilities": []})
        send({"id": m["id"], "result": {"modelDir": params["output"]["dir"], "epochs": [{"epoch": 1, "trainLoss": 0.5, "devMetric": a["result"]["metric"], "seconds": 1}, {"epoch": 2, "trainLoss": 0.4, "devMetric": b["result"]["metric"], "seconds": 1}], "bestEpoch": 1, "bestDevMetric": a["result"]["metric"], "samplesPerSecond": 1.0, "seconds": 2.0, "device": c["error"]["message"], "peakMemoryBytes": None}})
    elif "id" in m:
        send({"id": m["id"], "error": {"code": -32601, "message": "unknown method " + method}})
`;

const python = existsSync('.venv/bin/python') ? resolve('.venv/bin/python') : 'python3';

describe("worker jobs: the server answers the worker's evaluate callbacks and routes progress", function () {
  this.timeout(60_000);
  let dir: string;
  let supervisor: WorkerSupervisor;
  let jobs: WorkerJobs;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'finlabel-fake-worker-'));
    mkdirSync(join(dir, 'finlabel_worker'));
    writeFileSync(join(dir, 'finlabel_worker', '__init__.py'), '');
    writeFileSync(join(dir, 'finlabel_worker', '__main__.py'), FAKE_WORKER);
    supervisor = new WorkerSupervisor({ workerDir: dir, locatePython: async () => ({ ok: true, python, source: 'setting' }) });
    jobs = new WorkerJobs(supervisor);
  });
  after(async () => {
    jobs.dispose();
    await supervisor.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('train/entities: micro span F1 1 for the gold labels, 0 for all-O, and an error for an unknown job', async () => {
    const bert = BertTokenizer.from(loadTokenizerFolder('models/tokenizers/bert-base-chinese'));
    const scheme = new BioScheme(DEFAULT_LABEL_TYPES);
    const dev = encodeEntitySplit(bert, scheme, generateRecords(new Rng(9)).slice(0, 20));
    const params: EntityTrainParams = {
      jobId: 'job-e',
      base: { kind: 'tiny', vocabSize: 21128 },
      labels: [...scheme.names],
      train: dev.examples,
      dev: dev.examples,
      hyper: {},
      export: { onnx: false, quantize: false },
      output: { dir: '/tmp/model', files: {}, card: {} },
    };
    const progress: JobProgress[] = [];
    const result = await jobs.trainEntities(params, dev, { onProgress: (p) => progress.push(p) });
    assert.deepEqual(
      result.epochs.map((e) => e.devMetric),
      [1, 0],
    );
    assert.match(result.device, /no entity training job "nope" is waiting for a dev evaluation/);
    assert.equal(progress.length, 1);
    assert.equal(progress[0].loss, 0.5);
  });

  it('train/credit: ROC-AUC 1 for separating probabilities, 0.5 for constant ones, an error for a wrong count', async () => {
    const dev = [0, 1, 0, 1, 1].map((label) => ({ inputIds: [1, 2, 3], label: label as 0 | 1 }));
    const result = await jobs.trainCredit({
      jobId: 'job-c',
      base: { kind: 'tiny', vocabSize: 151646 },
      labelTokenIds: [15, 16],
      train: dev,
      dev,
      lora: {},
      hyper: {},
      memory: {},
      output: { dir: '/tmp/credit', files: {}, card: {} },
    });
    assert.deepEqual(
      result.epochs.map((e) => e.devMetric),
      [1, 0.5],
    );
    assert.match(result.device, /0 probabilities for a dev set of 5/);
  });
});
