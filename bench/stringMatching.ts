// String-matching recommender benchmark (figures in bench/README.md): a dataset JSONL of RECORDS records (default
// 10,000; every other record keeps its labels, the rest are unlabelled) opened in the real language
// server (dist/server.js over stdio, as the extension runs it, no entity model: the shipped tokenizer).
// Measures the time from opening to the first string-match suggestions, from accepting a suggestion
// (a label of a string already labelled) and from labelling a new string to the updated suggestions,
// and how long a request waits meanwhile (the server must never freeze). Then, in this process, the
// same updates step by step (records read, tokenized, counted, the longest stretch without yielding).
//
//   node scripts/build.mjs && node out/bench/stringMatching.js [RECORDS]
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { LabelSchema } from '../src/common/labelSchema';
import {
  configurationChangedNotification,
  documentSuggestionsNotification,
  editRecordLabelsRequest,
  serverInfoRequest,
  type DocumentSuggestionsParams,
  type RecordLabelOperation,
} from '../src/common/lspProtocol';
import { JsonlDocumentModel } from '../src/server/dataset/documentModel';
import { DatasetStringMatches, type UpdateReport } from '../src/server/stringMatching/datasetStringMatches';
import { BertTokenizer } from '../src/server/tokenization/bertTokenizer';
import { loadTokenizerFolder } from '../src/server/tokenization/tokenizerFolder';
import { PREDICTIONS_OFF, startLanguageServer, testInitializationOptions } from '../test/harness/languageServerProcess';
import { findRepoRoot } from '../test/harness/paths';
import { scaleDataset } from './scaleDataset';

const URI = 'file:///bench/string-matching.jsonl';
const EDITS = 5;

const ms = (x: number): string => `${x.toFixed(0)} ms`;
const progress = (message: string): void => void process.stderr.write(`  ${message}\n`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The benchmark's dataset: the sample generator's records, every other one stripped of its labels. */
function dataset(records: number): string[] {
  return scaleDataset(records)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      if (i % 2 === 0) return l;
      const r = JSON.parse(l) as Record<string, unknown>;
      return JSON.stringify({ ...r, labels: [] });
    });
}

/** Sends serverInfo requests every 20 ms until stopped; the longest wait for an answer. */
function probeLatency(connection: MessageConnection): { stop: () => Promise<{ max: number; count: number }> } {
  let running = true;
  let max = 0;
  let count = 0;
  const loop = (async (): Promise<void> => {
    while (running) {
      const t = performance.now();
      await connection.sendRequest(serverInfoRequest);
      max = Math.max(max, performance.now() - t);
      count++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { max, count };
    },
  };
}

async function overStdio(lines: string[]): Promise<string[]> {
  const waiters: { test: (p: DocumentSuggestionsParams) => boolean; resolve: (p: DocumentSuggestionsParams) => void }[] = [];
  const options = testInitializationOptions({
    labelSchema: { file: '', types: [] },
    predictions: { ...PREDICTIONS_OFF, confidenceThreshold: null },
    suggestions: { stringMatching: true },
  });
  const server = await startLanguageServer({
    serverJs: join(findRepoRoot(), 'dist', 'server.js'),
    initializationOptions: options,
    beforeListen: (c) => {
      c.onNotification(documentSuggestionsNotification, (p) => {
        for (const w of waiters.splice(0)) {
          if (w.test(p)) w.resolve(p);
          else waiters.push(w);
        }
      });
      c.onNotification('window/logMessage', (p: { message: string }) => progress(`server: ${p.message}`));
    },
  });
  const { connection } = server;
  const suggestions = (test: (p: DocumentSuggestionsParams) => boolean): Promise<DocumentSuggestionsParams> =>
    new Promise((resolve) => waiters.push({ test, resolve }));

  const rows: string[] = [];
  const text = lines.join('\n') + '\n';
  let document = TextDocument.create(URI, 'jsonl', 1, text);
  const opened = performance.now();
  let probe = probeLatency(connection);
  let current = await new Promise<DocumentSuggestionsParams>((resolve) => {
    void suggestions((p) => p.uri === URI && p.suggestions.length > 0).then(resolve);
    void connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'jsonl', version: 1, text } });
  });
  const waited = await probe.stop();
  const first = performance.now() - opened;
  progress(`first suggestions after ${ms(first)}`);
  rows.push(
    `| open to the first string-match suggestions (${current.suggestions.length} in the first ${current.lines?.[0]?.end ?? 'all'} lines) | ${ms(first)} | longest wait of a request meanwhile: ${ms(waited.max)} (${waited.count} requests) |`,
  );

  const edit = async (line: number, op: RecordLabelOperation): Promise<{ ms: number; wait: number }> => {
    const result = await connection.sendRequest(editRecordLabelsRequest, { uri: URI, version: document.version, line, op });
    if (!result.ok) throw new Error(`line ${line + 1}: ${result.message}`);
    const version = document.version + 1;
    const change = { range: result.edit.range, text: result.edit.newText };
    document = TextDocument.update(document, [change], version);
    probe = probeLatency(connection);
    const started = performance.now();
    const updated = suggestions((p) => p.uri === URI && p.version === version);
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version }, contentChanges: [change] });
    current = await updated;
    const took = performance.now() - started;
    return { ms: took, wait: (await probe.stop()).max };
  };

  // Accept suggestions (each a string already labelled elsewhere): only the edited records are read again.
  const accepts: { ms: number; wait: number }[] = [];
  for (let k = 0; k < EDITS; k++) {
    const s = current.suggestions[0];
    accepts.push(await edit(s.range.start.line, { kind: 'add', start: s.start, end: s.end, entity: s.entity }));
  }
  rows.push(
    `| accept a suggestion, edit to updated suggestions (median of ${EDITS}, max ${ms(Math.max(...accepts.map((a) => a.ms)))}; includes the 100 ms pause after typing) | ${ms(median(accepts.map((a) => a.ms)))} | longest wait of a request: ${ms(Math.max(...accepts.map((a) => a.wait)))} |`,
  );

  // Label a string labelled nowhere yet: every record is searched for it.
  const fresh: { ms: number; wait: number }[] = [];
  for (let k = 0; k < EDITS; k++) {
    const line = 2 * k + 1;
    const record = JSON.parse(document.getText().split('\n')[line]) as { text: string };
    const chars = Array.from(record.text);
    const start = chars.findIndex(
      (c, i) => i > 3 * k && /[\u4e00-\u9fff]/.test(c) && /[\u4e00-\u9fff]/.test(chars[i + 1] ?? '') && /[\u4e00-\u9fff]/.test(chars[i + 2] ?? ''),
    );
    fresh.push(await edit(line, { kind: 'add', start, end: start + 3, entity: '担保方式' }));
  }
  rows.push(
    `| label a new string, edit to updated suggestions (median of ${EDITS}, max ${ms(Math.max(...fresh.map((a) => a.ms)))}) | ${ms(median(fresh.map((a) => a.ms)))} | longest wait of a request: ${ms(Math.max(...fresh.map((a) => a.wait)))} |`,
  );

  // Baseline: the same kind of edit with string matching off (what the rest of the server does after an edit).
  await connection.sendNotification(configurationChangedNotification, { ...options, suggestions: { stringMatching: false } });
  const baseline: number[] = [];
  for (let k = 0; k < EDITS; k++) {
    const line = 2 * k + 21;
    const result = await connection.sendRequest(editRecordLabelsRequest, {
      uri: URI,
      version: document.version,
      line,
      op: { kind: 'add', start: 0, end: 2, entity: '担保方式' },
    });
    if (!result.ok) throw new Error(`line ${line + 1}: ${result.message}`);
    const change = { range: result.edit.range, text: result.edit.newText };
    document = TextDocument.update(document, [change], document.version + 1);
    probe = probeLatency(connection);
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: document.version }, contentChanges: [change] });
    await new Promise((r) => setTimeout(r, 700));
    baseline.push((await probe.stop()).max);
  }
  rows.push(
    `| baseline: a label edit with string matching off (no suggestions to wait for; 700 ms watched after each of ${EDITS}) | | longest wait of a request: ${ms(Math.max(...baseline))} |`,
  );

  const info = await connection.sendRequest(serverInfoRequest);
  rows.push(`| server memory afterwards | rss ${(info.memory.rss / 2 ** 20).toFixed(0)} MiB, heap ${(info.memory.heapUsed / 2 ** 20).toFixed(0)} MiB | |`);
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  server.stop();
  return rows;
}

async function inProcess(lines: string[]): Promise<string[]> {
  const tokenizer = BertTokenizer.from(loadTokenizerFolder(join(findRepoRoot(), 'models', 'tokenizers', 'bert-base-chinese')));
  let document = TextDocument.create(URI, 'jsonl', 1, lines.join('\n') + '\n');
  const model = new JsonlDocumentModel(new LabelSchema());
  model.reset(document);
  model.analyseSome(Infinity);
  const matches = new DatasetStringMatches();
  const options = { sliceMs: 10, yieldNow: () => new Promise<void>((r) => setImmediate(r)), stale: () => false };
  const row = (what: string, r: UpdateReport): string =>
    `| ${what} | ${ms(r.ms)} | ${r.records} records, ${r.labelledStrings} labelled strings; read ${r.read}, tokenized ${r.tokenized}, counted ${r.counted}, counts updated by the strings added or removed ${r.updatedCounts}; longest slice ${ms(r.longestSliceMs)} |`;
  const relabel = (line: number, label: { entity: string; start: number; end: number }): void => {
    const record = JSON.parse(lines[line]) as { text: string; labels: unknown[] };
    const value = Array.from(record.text).slice(label.start, label.end).join('');
    lines[line] = JSON.stringify({ ...record, labels: [...record.labels, { ...label, value }] });
    const old = document.getText().split('\n')[line];
    const changes = [{ range: { start: { line, character: 0 }, end: { line, character: old.length } }, text: lines[line] }];
    document = TextDocument.update(document, changes, document.version + 1);
    model.applyChanges(document, changes);
  };
  const rows = [row('first update (every record read; tokenized where a labelled string occurs)', await matches.update(model, tokenizer, options))];
  const line = 1;
  const m = matches.matchesOf(model, line, tokenizer)[0];
  relabel(line, { entity: m.tag, start: m.start, end: m.end });
  rows.push(row('update after accepting a suggestion (same strings)', await matches.update(model, tokenizer, options)));
  relabel(3, { entity: '担保方式', start: 0, end: 2 });
  rows.push(row('update after labelling a new string (each record counted for it)', await matches.update(model, tokenizer, options)));
  const t = performance.now();
  let found = 0;
  for (let l = 0; l < 100; l++) found += matchesOf(matches, model, l, tokenizer);
  rows.push(`| string matches of 100 records (a screen and its margin) | ${(performance.now() - t).toFixed(1)} ms | ${found} matches |`);
  return rows;
}

function matchesOf(matches: DatasetStringMatches, model: JsonlDocumentModel, line: number, tokenizer: BertTokenizer): number {
  return matches.matchesOf(model, line, tokenizer).length;
}

async function main(): Promise<void> {
  const records = Number(process.argv[2] ?? 10_000);
  const lines = dataset(records);
  const size = lines.reduce((n, l) => n + l.length + 1, 0);
  console.log(`dataset: ${lines.length} records (${Math.ceil(lines.length / 2)} labelled, the rest unlabelled), ${(size / 1e6).toFixed(1)}M UTF-16 units`);
  console.log('');
  console.log('Language server over stdio (no entity model: the shipped bert-base-chinese tokenizer):');
  console.log('');
  console.log('| figure | time | server responsiveness |');
  console.log('|---|---|---|');
  for (const r of await overStdio([...lines])) console.log(r);
  console.log('');
  console.log('In process, DatasetStringMatches.update (10 ms slices, as the server runs it):');
  console.log('');
  console.log('| update | time | work |');
  console.log('|---|---|---|');
  for (const r of await inProcess([...lines])) console.log(r);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
