// The small CPU entity model's recipe on real Chinese NER: CLUENER 2020 (../shared/data/cluener2020, 10 types),
// trained from random weights with `finlabel train ner --tiny` exactly as a user runs it, tested on CLUENER's dev
// split with `finlabel eval --json`. Prints the learning curve (each run's dev F1 per epoch) and, per training-set
// size and architecture, the dev strict micro F1, epochs run and wall time.
//
//   npm run build && node out/bench/smallDataRecipe.js [--sizes 1000,full] [--architectures bilstm,bert,bilstm-no-words] [--data DIR]
//
// bilstm is the shipped small model (with word boundaries), bilstm-no-words the same without them.
//
// The data is research-only and stays outside the repository: it is converted into a temporary folder.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const cli = path.resolve('dist/cli.js');
/** The small BiLSTM without its word-boundary input (`--word-boundaries off`), for the comparison. */
const BILSTM_WITHOUT_WORDS = 'bilstm-no-words';
const CLUENER_TYPES = ['address', 'book', 'company', 'game', 'government', 'movie', 'name', 'organization', 'position', 'scene'];

interface Run {
  size: string;
  architecture: string;
  trainRecords: number;
  epochsRun: number;
  bestEpoch: number;
  devCurve: number[];
  clueDevF1: number;
  seconds: number;
}

function convert(data: string, work: string): { train: string; dev: string; schema: string } {
  const out = { train: path.join(work, 'train.jsonl'), dev: path.join(work, 'dev.jsonl'), schema: path.join(work, 'labels.json') };
  for (const [from, to] of [
    ['train.json', out.train],
    ['dev.json', out.dev],
  ]) {
    // the CLUENER types are not the default schema's: import says so for each type, as it should
    spawnSync('node', [cli, 'import', path.join(data, from), '--from', 'cluener', '-o', to], { stdio: 'ignore' });
  }
  writeFileSync(out.schema, JSON.stringify({ labels: CLUENER_TYPES.map((t) => ({ name: t, tag: t.toUpperCase() })) }));
  return out;
}

function trainAndTest(files: { train: string; dev: string; schema: string }, size: string, architecture: string, work: string): Run {
  const lines = readFileSync(files.train, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const subset = size === 'full' ? lines : lines.slice(0, Number(size));
  const trainFile = path.join(work, `train-${size}.jsonl`);
  writeFileSync(trainFile, `${subset.join('\n')}\n`);
  const out = path.join(work, `model-${size}-${architecture}`);
  const started = Date.now();
  const shape = architecture === BILSTM_WITHOUT_WORDS ? ['--architecture', 'bilstm', '--word-boundaries', 'off'] : ['--architecture', architecture];
  const trained = spawnSync('node', [cli, 'train', 'ner', trainFile, '--tiny', ...shape, '--schema', files.schema, '--out', out], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const seconds = (Date.now() - started) / 1000;
  if (trained.status !== 0 && trained.status !== 1) throw new Error(`finlabel train exited ${trained.status}`);
  const result = JSON.parse(trained.stdout) as { result: { epochs: { devMetric: number | null }[]; bestEpoch: number } };
  const evaluation = JSON.parse(
    execFileSync('node', [cli, 'eval', out, files.dev, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] }),
  ) as {
    micro: { f1: number | null };
  };
  return {
    size,
    architecture,
    trainRecords: subset.length,
    epochsRun: result.result.epochs.length,
    bestEpoch: result.result.bestEpoch,
    devCurve: result.result.epochs.map((e) => e.devMetric ?? 0),
    clueDevF1: evaluation.micro.f1 ?? 0,
    seconds,
  };
}

function main(): void {
  const { values } = parseArgs({ options: { sizes: { type: 'string' }, architectures: { type: 'string' }, data: { type: 'string' } } });
  const data = path.resolve(values.data ?? '../shared/data/cluener2020');
  const sizes = (values.sizes ?? '1000,full').split(',');
  const architectures = (values.architectures ?? 'bilstm,bert').split(',');
  const work = mkdtempSync(path.join(os.tmpdir(), 'finlabel-small-data-'));
  const files = convert(data, work);
  console.log(
    `CLUENER 2020 from ${data}; work folder ${work}; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), OMP_NUM_THREADS=${process.env.OMP_NUM_THREADS ?? 'unset'}`,
  );
  const runs: Run[] = [];
  for (const size of sizes) {
    for (const architecture of architectures) {
      const run = trainAndTest(files, size, architecture, work);
      runs.push(run);
      console.log(`\n${architecture}, ${run.trainRecords} records: learning curve (dev F1 of its own 10% dev split per epoch)`);
      console.log(run.devCurve.map((f, i) => `${i + 1}:${f.toFixed(3)}`).join(' '));
    }
  }
  console.log('\n| training records | small model | epochs run (best) | wall time | CLUENER dev strict micro F1 |');
  console.log('| ---: | --- | ---: | ---: | ---: |');
  for (const r of runs)
    console.log(`| ${r.trainRecords} | ${r.architecture} | ${r.epochsRun} (${r.bestEpoch}) | ${r.seconds.toFixed(0)} s | ${r.clueDevF1.toFixed(3)} |`);
  for (const size of sizes) {
    const [a, b] = architectures.map((arch) => runs.find((r) => r.size === size && r.architecture === arch));
    if (a && b && b.clueDevF1 > 0)
      console.log(
        `${a.trainRecords} records: ${a.architecture} / ${b.architecture} F1 ratio ${(a.clueDevF1 / b.clueDevF1).toFixed(2)}, time ratio ${(a.seconds / b.seconds).toFixed(2)}`,
      );
  }
}

main();
