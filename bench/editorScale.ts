// Editor scale benchmark (figures in bench/README.md): a 100,000-record dataset JSONL opened in the real language
// server (dist/server.js over stdio, exactly as the extension runs it). Measures the time to the
// first decorations, to complete validation, to spans after scrolling to record 90,000, per label
// edit on record 90,000, and the server's memory; and, in the same run, what re-validating the
// whole file on every edit (a non-incremental editor) costs, as the ratio's baseline.
//
//   node scripts/build.mjs && node out/bench/editorScale.js [RECORDS]
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LabelSchema } from '../src/common/labelSchema';
import {
  documentSpansNotification,
  editRecordLabelsRequest,
  serverInfoRequest,
  visibleLinesNotification,
  type DocumentSpansParams,
} from '../src/common/lspProtocol';
import { validateJsonl } from '../src/server/dataset/validateFile';
import { startLanguageServer } from '../test/harness/languageServerProcess';
import { findRepoRoot } from '../test/harness/paths';
import { scaleDataset } from './scaleDataset';

const URI = 'file:///bench/scale.jsonl';
const EDITS = 20;

interface Waiter {
  test: (p: DocumentSpansParams) => boolean;
  resolve: (p: DocumentSpansParams) => void;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
const ms = (x: number): string => `${x.toFixed(1)} ms`;
const progress = (message: string): void => void process.stderr.write(`  ${message}\n`);
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const records = Number(process.argv[2] ?? 100_000);
  const target = Math.min(90_000, records - EDITS - 1);
  const content = scaleDataset(records);
  console.log(`dataset: ${records} records, ${(Buffer.byteLength(content) / 1e6).toFixed(1)} MB UTF-8, ${(content.length / 1e6).toFixed(1)}M UTF-16 units`);

  // Baseline, in this process: validating the whole file, which a non-incremental editor redoes on every edit.
  const schema = new LabelSchema();
  const fullRuns: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    validateJsonl(content, schema);
    fullRuns.push(performance.now() - t);
  }
  const fullValidation = median(fullRuns);

  let finished = false;
  const waiters: Waiter[] = [];
  let diagnosticsAt = 0;
  let diagnosticsCount = -1;
  const server = await startLanguageServer({
    serverJs: join(findRepoRoot(), 'dist', 'server.js'),
    beforeListen: (c, child) => {
      child.on('exit', (code, signal) => {
        if (finished) return;
        console.error(`the language server exited during the benchmark (code ${code}, signal ${signal})`);
        process.exit(1);
      });
      c.onNotification(documentSpansNotification, (p) => {
        for (const w of waiters.splice(0)) {
          if (w.test(p)) w.resolve(p);
          else waiters.push(w);
        }
      });
      c.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: unknown[] }) => {
        if (p.uri !== URI) return;
        diagnosticsAt = performance.now();
        diagnosticsCount = p.diagnostics.length;
      });
    },
  });
  const { connection } = server;
  const spans = (test: (p: DocumentSpansParams) => boolean): Promise<DocumentSpansParams> => new Promise((resolve) => waiters.push({ test, resolve }));

  // 1. Open: time to the first decorations, then to complete diagnostics.
  const opened = performance.now();
  const firstSpans = spans((p) => p.uri === URI && p.version === 1);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'jsonl', version: 1, text: content } });
  const first = await firstSpans;
  const firstDecorations = performance.now() - opened;
  progress(`first decorations after ${ms(firstDecorations)}`);
  while (diagnosticsCount < 0) await new Promise((r) => setTimeout(r, 20));
  const validated = diagnosticsAt - opened;
  progress(`diagnostics after ${ms(validated)}`);

  // 2. Scroll to record 90,000: spans for the new window.
  const scrolled = performance.now();
  if (first.lines) {
    const windowSpans = spans((p) => p.uri === URI && (p.lines ?? []).some((r) => r.start <= target && target < r.end));
    await connection.sendNotification(visibleLinesNotification, { uri: URI, ranges: [{ start: target - 20, end: target + 20 }] });
    await windowSpans;
  }
  const scroll = performance.now() - scrolled;
  progress(`spans for record ${target + 1} after ${ms(scroll)}`);

  // 3. Label edits on record 90,000 and the ones after it: request the edit as the extension does,
  //    apply it, and wait for the spans of the new version that include the new label.
  const lines = content.split('\n');
  let version = 1;
  const editTimes: number[] = [];
  for (let k = 0; k < EDITS; k++) {
    const line = target + k;
    const text = lines[line];
    const startColumn = text.indexOf('"text":"') + 8;
    // Label the text's first two characters (BMP in generated records: code points [0, 2)) as Label Selection does.
    const result = await connection.sendRequest(editRecordLabelsRequest, {
      uri: URI,
      version,
      line,
      op: { kind: 'addSelection', startColumn, endColumn: startColumn + 2, entity: '借款金额' },
    });
    if (!result.ok) throw new Error(`line ${line + 1}: ${result.message}`);
    const started = performance.now();
    version++;
    const v = version;
    const updated = spans((p) => p.uri === URI && p.version === v && p.spans.some((s) => s.range.start.line === line && s.start === 0 && s.end === 2));
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version },
      contentChanges: [{ range: result.edit.range, text: result.edit.newText }],
    });
    await updated;
    editTimes.push(performance.now() - started);
    lines[line] = text.slice(0, result.edit.range.start.character) + result.edit.newText + text.slice(result.edit.range.start.character);
  }
  const info = await connection.sendRequest(serverInfoRequest);

  const edit = median(editTimes);
  console.log('');
  console.log('| figure | FinLabel | re-validate the whole file per edit | ratio |');
  console.log('|---|---|---|---|');
  console.log(
    `| time to first decorations (open) | ${ms(firstDecorations)} (${first.spans.length} spans for lines ${(first.lines ?? []).map((r) => `${r.start}-${r.end}`).join(', ') || 'all'}) | | |`,
  );
  console.log(`| complete validation after open (diagnostics published: ${diagnosticsCount}) | ${ms(validated)} | | |`);
  console.log(`| spans after scrolling to record ${target + 1} | ${ms(scroll)} | | |`);
  console.log(
    `| label edit on record ${target + 1}, edit to new spans (median of ${EDITS}, max ${ms(Math.max(...editTimes))}) | ${ms(edit)} | ${ms(fullValidation)} | ${(fullValidation / edit).toFixed(0)}x |`,
  );
  console.log(`| validation throughput (whole file, in process) | ${Math.round(records / (fullValidation / 1000))} records/s | | |`);
  console.log(`| server memory after open and edits | rss ${mib(info.memory.rss)}, heap ${mib(info.memory.heapUsed)} | | |`);

  finished = true;
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  server.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
