// Trains, tests and writes the shipped default entity model: `npm run train-default-model`
// (= node out/bench/trainDefaultModel.js after a build). Options:
//   --out DIR         the model folder to (re)write (default models/default-entities)
//   --evaluate-only   keep the trained folder in .default-model/trained, only re-test it and rewrite the card
//   --records N       generated court-judgment training paragraphs (default: the recipe's)
//   --epochs N
// Training runs in the project's Python worker (.venv/bin/python, else python3), on CUDA when present.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { LabelSchema } from '../src/common/labelSchema';
import { SHIPPED_ENTITY_MODEL } from '../src/common/shippedModels';
import type { JobProgress, TrainResult } from '../src/common/workerProtocol';
import {
  chooseShippedFiles,
  DEFAULT_MODEL_RECIPE,
  devRecords,
  heldOutRecords,
  jsonlOf,
  latencyContract,
  splitRealParagraphs,
  trainingRecords,
  type DefaultModelRecipe,
  type RealSplit,
} from '../src/server/training/defaultModelRecipe';
import { renderDefaultModelReadme, type DefaultModelReport, type EvaluationSummary, type LatencyFigures } from '../src/server/training/defaultModelCard';
import { calibrateEntityModelFolder } from '../src/server/training/calibrateEntityModel';
import { modelLabels, prepareEntityTraining } from '../src/server/training/entityTraining';
import { evaluateRecords, type LabelledText, type RecordsEvaluation } from '../src/server/training/labelledRecordScores';
import { encodeText } from '../src/server/entities/entityEncoding';
import { INT8_FILE } from '../src/server/inference/entityModelFolder';
import { EntityPredictor } from '../src/server/inference/entityPredictor';
import { WorkerJobs } from '../src/server/worker/workerJobs';
import { WorkerSupervisor } from '../src/server/worker/workerSupervisor';

const root = process.cwd();
// outside out/, which every build empties: --evaluate-only after a rebuild still finds the trained folder
const work = path.join(root, '.default-model');
const trainedDir = path.join(work, 'trained');
const FIXTURES = {
  handwritten: 'test/fixtures/clauses/handwritten.jsonl',
  handwrittenJudgments: 'test/fixtures/judgments/handwritten-judgments.jsonl',
  law: 'test/fixtures/clauses/prc-law-sentences.jsonl',
} as const;

function readJsonl(file: string): LabelledText[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as LabelledText;
      } catch (err) {
        throw new Error(`${file}:${i + 1}: ${(err as Error).message}`, { cause: err });
      }
    });
}

function summary(e: RecordsEvaluation, records: readonly LabelledText[]): EvaluationSummary {
  const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 10000) / 10000);
  const thousands = records.reduce((n, r) => n + [...r.text].length, 0) / 1000;
  const count = (side: 'reference' | 'candidate'): number => e.types.reduce((n, t) => n + t[side], 0);
  return {
    records: e.records,
    spansPer1000Chars: { gold: round(count('reference') / thousands)!, predicted: round(count('candidate') / thousands)! },
    micro: { precision: round(e.micro.precision), recall: round(e.micro.recall), f1: round(e.micro.f1) },
    types: e.types.map((t) => ({
      type: t.type,
      gold: t.reference,
      predicted: t.candidate,
      matched: t.matched,
      precision: round(t.precision),
      recall: round(t.recall),
      f1: round(t.f1),
    })),
  };
}

/** The real court-judgment paragraphs in thirds, or undefined when ../shared is not beside the repository. */
function realSplit(recipe: DefaultModelRecipe): RealSplit | undefined {
  if (!existsSync(recipe.real.file)) {
    console.log(`${recipe.real.file} is not here: training and testing on generated and hand-written text only`);
    return undefined;
  }
  return splitRealParagraphs(readJsonl(recipe.real.file) as RealSplit['train'], recipe.seed);
}

async function train(recipe: DefaultModelRecipe, real: RealSplit | undefined): Promise<TrainResult> {
  const data = trainingRecords(recipe);
  const dev = devRecords(recipe);
  const realTrain = real ? Array.from({ length: recipe.real.oversample }, () => real.train).flat() : [];
  console.log(
    `generated ${data.records.length} training records and ${dev.records.length} dev records (seed ${recipe.seed}); real paragraphs: ${real ? `${real.train.length} x ${recipe.real.oversample} train, ${real.calibration.length} dev` : 'none'}`,
  );
  rmSync(trainedDir, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const prepared = prepareEntityTraining({
    jobId: 'default-entities',
    content: data.jsonl + jsonlOf(realTrain),
    devContent: dev.jsonl + jsonlOf(real?.calibration ?? []),
    file: `finlabel generators (court judgments, due diligence), seed ${recipe.seed}${real ? ` + ${real.train.length} real court-judgment paragraphs x ${recipe.real.oversample}` : ''}`,
    schema: new LabelSchema(),
    tokenizerDir: 'models/tokenizers/bert-base-chinese',
    base: recipe.base,
    outDir: trainedDir,
    hyper: recipe.hyper,
    seed: recipe.seed,
    windows: recipe.windows,
    export: { onnx: true, quantize: true },
  });
  if (prepared.problems.length > 0) throw new Error(`the training data has label problems:\n${prepared.problems.slice(0, 10).join('\n')}`);
  console.log(`train ${prepared.summary.trainRecords} records (${prepared.summary.trainExamples} windows), dev ${prepared.summary.devRecords}`);
  const python = existsSync('.venv/bin/python') ? path.resolve('.venv/bin/python') : 'python3';
  const supervisor = new WorkerSupervisor({
    workerDir: path.join(root, 'src/server/worker/python'),
    locatePython: async () => ({ ok: true, python, source: 'setting' }),
    env: { ...process.env, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? String(Math.min(os.availableParallelism(), 8)) },
    startTimeoutMs: 600_000,
    // the worker's log, less ONNX Runtime's per-tensor quantization notes
    onStderr: (t) =>
      process.stderr.write(
        t
          .split('\n')
          .filter((l) => !/ INFO root: /.test(l))
          .join('\n'),
      ),
  });
  const jobs = new WorkerJobs(supervisor);
  let lastPrint = 0;
  const onProgress = (p: JobProgress): void => {
    if (Date.now() - lastPrint < 15_000 && p.step !== p.steps) return;
    lastPrint = Date.now();
    const loss = p.loss === null ? '' : ` loss ${p.loss.toFixed(4)}`;
    const eta = p.etaSeconds === null ? '' : ` eta ${Math.round(p.etaSeconds)}s`;
    console.log(`  ${p.phase} epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.steps}${loss}${eta}${p.message ? ` ${p.message}` : ''}`);
  };
  try {
    const result = await jobs.trainEntities(prepared.params, prepared.dev, { onProgress });
    for (const e of result.epochs) console.log(`  epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)}, dev micro span F1 ${e.devMetric?.toFixed(4)}`);
    console.log(`trained in ${result.seconds.toFixed(0)} s on ${result.device}`);
    return result;
  } finally {
    jobs.dispose();
    await supervisor.dispose();
  }
}

async function evaluate(
  file: string,
  recipe: DefaultModelRecipe,
  real: RealSplit | undefined,
): Promise<{ sets: Record<string, EvaluationSummary>; misses: Record<string, RecordsEvaluation['misses']> }> {
  const model = await EntityPredictor.load(trainedDir, { precision: file === INT8_FILE ? 'int8' : 'fp32' });
  const schema = new LabelSchema();
  const sets: Record<string, EvaluationSummary> = {};
  const misses: Record<string, RecordsEvaluation['misses']> = {};
  const heldOut = heldOutRecords(recipe);
  const inputs: [string, LabelledText[]][] = [
    ...(real
      ? ([
          ['realTest', real.test],
          ['realCalibration', real.calibration],
        ] as [string, LabelledText[]][])
      : []),
    ['heldOutJudgments', heldOut.judgments],
    ['heldOut', heldOut.records],
    ['handwritten', readJsonl(FIXTURES.handwritten)],
    ['handwrittenJudgments', readJsonl(FIXTURES.handwrittenJudgments)],
    ...(existsSync(FIXTURES.law) ? [['law', readJsonl(FIXTURES.law)] as [string, LabelledText[]]] : []),
  ];
  for (const [name, records] of inputs) {
    const e = await evaluateRecords(records, schema, async (t) => (await model.predict(t)).spans);
    sets[name] = summary(e, records);
    misses[name] = e.misses;
    console.log(
      `  ${file} ${name}: ${records.length} records, micro P ${e.micro.precision?.toFixed(3)} R ${e.micro.recall?.toFixed(3)} F1 ${e.micro.f1?.toFixed(3)}`,
    );
  }
  await model.release();
  return { sets, misses };
}

async function latency(file: string, text: string, repeats: number): Promise<LatencyFigures> {
  const model = await EntityPredictor.load(trainedDir, { precision: file === INT8_FILE ? 'int8' : 'fp32', threads: 2 });
  const encode = (): ReturnType<typeof encodeText> => encodeText(model.model.tokenizer, text, model.model.windows);
  const times: number[] = [];
  for (let i = 0; i < repeats + 3; i++) {
    model.clearCaches();
    const t0 = process.hrtime.bigint();
    await model.predict(text);
    if (i >= 3) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const tokenizing: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    encode();
    tokenizing.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const encoded = encode();
  await model.release();
  const at = (list: number[], q: number): number => {
    const sorted = [...list].sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 10) / 10;
  };
  return {
    p50Ms: at(times, 0.5),
    p90Ms: at(times, 0.9),
    tokenizeP50Ms: at(tokenizing, 0.5),
    tokens: encoded.tokens.ids.length,
    windows: encoded.windows.length,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, 'evaluate-only': { type: 'boolean' }, records: { type: 'string' }, epochs: { type: 'string' } },
  });
  const outDir = path.resolve(values.out ?? SHIPPED_ENTITY_MODEL);
  const recipe: DefaultModelRecipe = {
    ...DEFAULT_MODEL_RECIPE,
    ...(values.records ? { train: { ...DEFAULT_MODEL_RECIPE.train, judgments: Number(values.records) } } : {}),
    hyper: { ...DEFAULT_MODEL_RECIPE.hyper, ...(values.epochs ? { epochs: Number(values.epochs) } : {}) },
  };
  const real = realSplit(recipe);
  if (!values['evaluate-only']) await train(recipe, real);
  else if (!existsSync(trainedDir)) throw new Error(`--evaluate-only: ${trainedDir} does not exist; train first`);
  else {
    // labels.json as training writes it today (a folder trained before a change to it gets the current form)
    const labels = modelLabels(new LabelSchema(), [...trainingRecords(recipe).records, ...(real?.train ?? [])]);
    writeFileSync(path.join(trainedDir, 'labels.json'), `${JSON.stringify(labels, null, 2)}\n`);
  }

  const contract = latencyContract(recipe.seed);
  console.log('measuring latency');
  const lat = { fp32: await latency('model.onnx', contract, 30), int8: await latency('model.int8.onnx', contract, 30) };
  console.log(
    `  2,000-character contract: fp32 p50 ${lat.fp32.p50Ms} ms, int8 p50 ${lat.int8.p50Ms} ms (${lat.fp32.tokens} tokens, ${lat.fp32.windows} windows)`,
  );
  // The int8 graph ships (and is then the one the editor serves) only when it is the faster of the two.
  const int8Faster = lat.int8.p50Ms < lat.fp32.p50Ms;
  // Calibration and the confidence threshold come from real text when there is some: the real paragraphs'
  // second third (never trained on); else from the generated dev records. They are fitted on the graph
  // the editor will serve.
  const calibrationSet: LabelledText[] = real ? real.calibration : devRecords(recipe).records;
  const calibration = await calibrateEntityModelFolder(trainedDir, calibrationSet, new LabelSchema(), int8Faster ? 'int8' : 'fp32');
  console.log(
    `calibrated on ${calibrationSet.length} ${real ? 'real calibration paragraphs' : 'generated dev records'} with the ${int8Faster ? 'int8' : 'fp32'} graph: threshold ${calibration.threshold}`,
  );
  const card = JSON.parse(readFileSync(path.join(trainedDir, 'card.json'), 'utf8')) as Record<string, unknown>;
  console.log('evaluating');
  const fp32 = await evaluate('model.onnx', recipe, real);
  const int8 = await evaluate('model.int8.onnx', recipe, real);

  const shipped = chooseShippedFiles(trainedDir, { int8Faster });
  const report: DefaultModelReport = {
    recipe,
    training: card.training as DefaultModelReport['training'],
    calibration: {
      ...calibration,
      fittedOn: real
        ? `${calibrationSet.length} real court-judgment paragraphs (the second third, never trained on)`
        : `${calibrationSet.length} generated dev records`,
    },
    evaluation: { 'model.onnx': fp32.sets, 'model.int8.onnx': int8.sets },
    latency: {
      input: '2,000 code points of generated contract text',
      threads: 2,
      repeats: 30,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.availableParallelism(),
      'model.onnx': lat.fp32,
      'model.int8.onnx': lat.int8,
    },
    files: shipped.files,
    leftOut: shipped.leftOut,
    served: int8Faster ? INT8_FILE : 'model.onnx',
    reproduce: 'npm run train-default-model',
  };
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const f of shipped.files) cpSync(path.join(trainedDir, f.name), path.join(outDir, f.name));
  // the worker records where it wrote the ONNX files: name them relative to the folder instead
  const fullCard = JSON.parse(
    JSON.stringify({ ...card, tokenizer: 'models/tokenizers/bert-base-chinese', defaultModel: report })
      .split(`${trainedDir}/`)
      .join(''),
  ) as object;
  writeFileSync(path.join(outDir, 'card.json'), `${JSON.stringify(fullCard, null, 2)}\n`);
  writeFileSync(path.join(outDir, 'README.md'), renderDefaultModelReadme(report));
  writeFileSync(path.join(work, 'misses.json'), `${JSON.stringify({ fp32: fp32.misses, int8: int8.misses }, null, 1)}\n`);
  console.log(
    `wrote ${outDir} (${shipped.bytes} bytes of model files${shipped.leftOut.length ? `; left out ${shipped.leftOut.map((f) => f.name).join(', ')}` : ''})`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
