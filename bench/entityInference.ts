/**
 * Entity inference on the CPU (onnxruntime-node), one table. For each model (the tiny test model
 * or the shipped default, and a BERT-base-shape model with random-ish weights):
 * - whole-document prediction of a 2,000-character contract, cold caches (p50), with the graph the
 *   editor serves (finlabel.entityModel.precision auto: model.int8.onnx when the folder has one);
 * - after an edit near the start, in the middle, near the end: ours (window cache: only the windows
 *   whose tokens changed) vs the blog-post style full recompute of every window, and their ratio;
 * - hover on cached predictions, through the real language server (LSP round trip, p50);
 * - int8 vs fp32: whole-document speed-up and token agreement;
 * and the tokenizer's throughput.
 *
 * Usage: node out/bench/entityInference.js [--model DIR]... [--threads N] (default: test-results/tiny-entity-model
 * and test-results/bert-base-shape-model, trained by out/bench/trainBenchModels.js)
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { documentPredictionsNotification, type DocumentPredictionsParams } from '../src/common/lspProtocol';
import { encodeText } from '../src/server/entities/entityEncoding';
import { EntityPredictor } from '../src/server/inference/entityPredictor';
import { argmaxLabels, defaultThreads, OnnxTokenClassifier } from '../src/server/inference/onnxTokenClassifier';
import { startLanguageServer, type LanguageServer } from '../test/harness/languageServerProcess';
import { repoRoot } from '../test/support/tinyEntityModel';

const DOC_CHARS = 2_000;
/** --threads N: intra-op threads of the benchmarked sessions (default: what the server uses). */
let threads = defaultThreads();
const root = repoRoot();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

const SPREAD_EDITS = 20;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** A 2,000-character contract: the sample contracts one after another, cut at 2,000 code points. */
function contract(): string {
  const dir = join(root, 'samples', 'contracts');
  const all = readdirSync(dir)
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  return Array.from(all).slice(0, DOC_CHARS).join('');
}

/** The text with `insert` put at code point `at`. */
function inserted(text: string, at: number, insert: string): string {
  const cps = Array.from(text);
  return [...cps.slice(0, at), insert, ...cps.slice(at)].join('');
}

/** Where the edit benchmark types: near the start, in the middle, near the end of the contract. */
const EDIT_PLACES = [
  { name: 'near the start', at: (): number => 100 },
  { name: 'in the middle', at: (n: number) => Math.floor(n / 2) },
  { name: 'near the end', at: (n: number) => n - 30 },
];

interface Row {
  model: string;
  figure: string;
  ours: string;
  baseline: string;
  ratio: string;
}

async function hoverThroughServer(modelDir: string, text: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'finlabel-bench-'));
  const file = join(dir, 'contract.txt');
  writeFileSync(file, text);
  const uri = pathToFileURL(file).toString();
  let predictions: DocumentPredictionsParams | undefined;
  let server: LanguageServer | undefined;
  try {
    server = await startLanguageServer({
      serverJs: join(root, 'dist', 'server.js'),
      stderr: 'ignore',
      rootUri: pathToFileURL(dir).toString(),
      initializationOptions: { predictions: { modelPath: modelDir, enabled: true, showDisagreements: false } },
      beforeListen: (c) => {
        c.onNotification(documentPredictionsNotification, (p: DocumentPredictionsParams) => {
          if (p.uri === uri) predictions = p;
        });
      },
    });
    const { connection } = server;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plaintext', version: 1, text } });
    const deadline = Date.now() + 120_000;
    while (!predictions && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const target = predictions?.spans[0];
    if (!target) return NaN;
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      times.push(await time(() => connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: target.range.start })));
    }
    return median(times);
  } finally {
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function wholeDocument(predictor: EntityPredictor, text: string, reps: number): Promise<number[]> {
  await predictor.predict(text);
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    predictor.clearCaches();
    times.push(await time(() => predictor.predict(text)));
  }
  return times;
}

async function benchModel(dir: string, text: string, rows: Row[]): Promise<void> {
  // The graph the editor serves (finlabel.entityModel.precision auto: int8 when the folder has it).
  const served = await EntityPredictor.load(dir, { threads, precision: 'auto' });
  const name = served.model.name;
  const graph = served.int8 ? 'int8' : 'fp32';
  const windows = encodeText(served.model.tokenizer, text, served.model.windows).inputIds.length;
  const reps = windows > 2 && served.model.name.includes('bert-base') ? 5 : 15;
  try {
    const whole = await wholeDocument(served, text, reps);
    rows.push({
      model: name,
      figure: `whole document, ${DOC_CHARS} chars, ${windows} windows, ${graph} as served (p50)`,
      ours: `${median(whole).toFixed(1)} ms`,
      baseline: '',
      ratio: '',
    });
    // After an edit (a clause typed in): the window cache against recomputing every window.
    const length = Array.from(text).length;
    for (const place of EDIT_PLACES) {
      const incremental: number[] = [];
      const full: number[] = [];
      const recomputed: number[] = [];
      for (let i = 0; i < reps; i++) {
        const changed = inserted(text, place.at(length), `另附${String.fromCodePoint(0x6000 + i)}条款。`);
        served.clearCaches();
        await served.predict(text);
        const t = performance.now();
        const r = await served.predict(changed);
        incremental.push(performance.now() - t);
        recomputed.push(r.computedWindows);
        served.clearCaches();
        full.push(await time(() => served.predict(changed)));
      }
      rows.push({
        model: name,
        figure: `after an edit ${place.name} (${median(recomputed)} of ${windows} windows rerun, p50), ${graph}, vs full recompute`,
        ours: `${median(incremental).toFixed(1)} ms`,
        baseline: `${median(full).toFixed(1)} ms`,
        ratio: `${(median(full) / median(incremental)).toFixed(1)}x`,
      });
    }
    // The same edit at places spread over the whole document: most land inside one window, some in
    // the overlap of two.
    const spread: number[] = [];
    const spreadWindows: number[] = [];
    for (let i = 0; i < SPREAD_EDITS; i++) {
      const changed = inserted(text, Math.floor(((i + 0.5) * length) / SPREAD_EDITS), `另附${String.fromCodePoint(0x6100 + i)}条款。`);
      served.clearCaches();
      await served.predict(text);
      const t = performance.now();
      const r = await served.predict(changed);
      spread.push(performance.now() - t);
      spreadWindows.push(r.computedWindows);
    }
    const oneWindow = spreadWindows.filter((w) => w <= 1).length;
    rows.push({
      model: name,
      figure: `after an edit at ${SPREAD_EDITS} places spread over the document, ${graph}: p50 / p90 (${oneWindow} of ${SPREAD_EDITS} reran one window) vs whole document`,
      ours: `${median(spread).toFixed(1)} / ${quantile(spread, 0.9).toFixed(1)} ms`,
      baseline: `${median(whole).toFixed(1)} ms`,
      ratio: `${(median(whole) / median(spread)).toFixed(1)}x`,
    });
    const hover = await hoverThroughServer(dir, text);
    rows.push({
      model: name,
      figure: 'hover on cached predictions (LSP round trip, p50)',
      ours: Number.isNaN(hover) ? 'n/a: the model predicts no span to hover' : `${hover.toFixed(2)} ms`,
      baseline: '',
      ratio: '',
    });

    if (served.model.int8File) {
      const [fp32, int8] = [await EntityPredictor.load(dir, { precision: 'fp32', threads }), await EntityPredictor.load(dir, { precision: 'int8', threads })];
      try {
        const fp32Times = await wholeDocument(fp32, text, reps);
        const int8Times = await wholeDocument(int8, text, reps);
        const sampleWindows = readFileSync(join(root, 'samples', 'due_diligence.jsonl'), 'utf8')
          .split('\n')
          .filter((l) => l.trim())
          .slice(0, 40)
          .flatMap((l) => encodeText(served.model.tokenizer, (JSON.parse(l) as { text: string }).text, served.model.windows).inputIds);
        const labels = served.model.scheme.names.length;
        const [a, b] = [await OnnxTokenClassifier.create(fp32.onnxFile, labels, 0), await OnnxTokenClassifier.create(int8.onnxFile, labels, 0)];
        const [pa, pb] = [await a.run(sampleWindows), await b.run(sampleWindows)];
        await Promise.all([a.release(), b.release()]);
        const ta = pa.logProbs.flatMap((row) => argmaxLabels(row, labels));
        const tb = pb.logProbs.flatMap((row) => argmaxLabels(row, labels));
        const agree = ta.filter((x, i) => x === tb[i]).length / ta.length;
        rows.push({
          model: name,
          figure: `int8 whole document (p50) vs fp32; token agreement ${(agree * 100).toFixed(2)}% on ${ta.length} tokens`,
          ours: `${median(int8Times).toFixed(1)} ms`,
          baseline: `${median(fp32Times).toFixed(1)} ms`,
          ratio: `${(median(fp32Times) / median(int8Times)).toFixed(2)}x`,
        });
      } finally {
        await Promise.all([fp32.release(), int8.release()]);
      }
    }

    // Tokenizer throughput.
    const tokenizer = served.model.tokenizer;
    let n = 0;
    const t = performance.now();
    while (performance.now() - t < 1000) {
      tokenizer.tokenize(text);
      n++;
    }
    const seconds = (performance.now() - t) / 1000;
    rows.push({
      model: name,
      figure: 'tokenizer throughput (BERT WordPiece with code-point offsets)',
      ours: `${Math.round((n * DOC_CHARS) / seconds).toLocaleString('en-US')} chars/s`,
      baseline: '',
      ratio: '',
    });
  } finally {
    await served.release();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const models: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--model') models.push(resolve(args[++i]));
    else if (args[i] === '--threads') threads = Number(args[++i]);
    else throw new Error(`unknown argument ${args[i]} (usage: entityInference.js [--model DIR]... [--threads N])`);
  }
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`--threads must be a positive integer`);
  if (models.length === 0) {
    for (const name of ['tiny-entity-model', 'bert-base-shape-model']) {
      const dir = join(root, 'test-results', name);
      if (existsSync(join(dir, 'model.onnx'))) models.push(dir);
      else console.error(`skipping ${dir}: not trained (node out/bench/trainBenchModels.js)`);
    }
  }
  const text = contract();
  console.log(
    `CPU: ${cpus()[0]?.model ?? 'unknown'}, ${availableParallelism()} cores; onnxruntime-node intra-op threads ${threads} (the server's default here: ${defaultThreads()})`,
  );
  const rows: Row[] = [];
  for (const dir of models) await benchModel(dir, text, rows);
  const header: Row = { model: 'model', figure: 'figure', ours: 'FinLabel', baseline: 'blog-post style', ratio: 'ratio' };
  const line = (r: Row): string => `| ${r.model} | ${r.figure} | ${r.ours} | ${r.baseline} | ${r.ratio} |`;
  console.log([line(header), '|---|---|---|---|---|', ...rows.map(line)].join('\n'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
