// Runs inside the extension host of a real VS Code (code-server), loaded by bench/editorScaleVscode.ts:
// opens a 100,000-record dataset and times what the annotator sees. Prints one table.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { FinLabelTestApi } from '../../test/integration/testApi';
import { AnnotationViewCommands } from '../../src/extension/annotationView/commands';
import { AnnotationViewTestCommands, type AnnotationViewSnapshot } from '../../test/integration/testApi';
import { formatResultLine } from '../../test/harness/mochaResult';
import { scaleDataset } from '../scaleDataset';

const RECORDS = Number(process.env.FINLABEL_BENCH_RECORDS ?? 100_000);
const EDITS = 20;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
const ms = (x: number): string => `${x.toFixed(0)} ms`;

/** Resolves when the decorations of `uri` satisfy `ready` (checked now and after each redraw). */
function drawn(api: FinLabelTestApi, uri: vscode.Uri, ready: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ready()) return resolve();
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const listener = api.onDidDrawSpans((drawnUri) => {
      if (drawnUri !== uri.toString() || !ready()) return;
      clearTimeout(timer);
      listener.dispose();
      resolve();
    });
  });
}

async function poll<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<FinLabelTestApi>('finlabel.finlabel');
  if (!ext) throw new Error('the FinLabel extension is not installed');
  const api = ext.isActive ? ext.exports : await ext.activate();
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder');
  const content = scaleDataset(RECORDS);
  const uri = vscode.Uri.file(join(folder.uri.fsPath, 'scale.jsonl'));
  writeFileSync(uri.fsPath, content);
  const rows: string[] = [];
  const row = (figure: string, value: string): void => void rows.push(`| ${figure} | ${value} |`);
  row('dataset', `${RECORDS} records, ${(Buffer.byteLength(content) / 1e6).toFixed(1)} MB`);

  // 1. Open in the text editor: until the first decorations are on screen.
  let t = performance.now();
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  await drawn(api, uri, () => api.spansDrawn(uri).length > 0, 'the first decorations');
  row('open in the text editor, to the first decorations', ms(performance.now() - t));

  // 2. Scroll to record 90,000.
  const target = Math.min(89_999, RECORDS - 2 * EDITS - 1);
  t = performance.now();
  editor.revealRange(new vscode.Range(target, 0, target, 0), vscode.TextEditorRevealType.InCenter);
  await drawn(api, uri, () => api.spansDrawn(uri).some((s) => s.range.start.line === target), `spans on line ${target + 1}`);
  row(`scroll to record ${target + 1}, to its decorations`, ms(performance.now() - t));

  // 3. Label edits there, as Alt+1 makes them: from the command to the new decoration drawn; first
  // with VS Code's defaults, then with the merge-conflict scan off (what FinLabel offers on large files).
  const timeEdits = async (first: number): Promise<{ total: number[]; command: number[] }> => {
    const total: number[] = [];
    const command: number[] = [];
    for (let k = 0; k < EDITS; k++) {
      const line = first + k;
      const text = editor.document.lineAt(line).text;
      const column = text.indexOf('"text":"') + 8;
      editor.selection = new vscode.Selection(line, column, line, column + 2);
      const before = api.spansDrawn(uri).filter((s) => s.range.start.line === line).length;
      const t0 = performance.now();
      const applied = await vscode.commands.executeCommand<boolean>('finlabel.labelSelection', '借款金额');
      if (!applied) throw new Error(`labelling line ${line + 1} failed`);
      command.push(performance.now() - t0);
      await drawn(api, uri, () => api.spansDrawn(uri).filter((s) => s.range.start.line === line).length > before, `the new label on line ${line + 1}`);
      total.push(performance.now() - t0);
    }
    return { total, command };
  };
  const defaults = await timeEdits(target);
  await vscode.commands.executeCommand('finlabel.turnOffMergeConflictScan');
  const scanOff = await timeEdits(target + EDITS);
  const editRow = (label: string, times: { total: number[]; command: number[] }): void => {
    row(
      `label edit on record ${target + 1}, ${label} (median of ${EDITS}; max ${ms(Math.max(...times.total))}), command to decoration drawn`,
      ms(median(times.total)),
    );
    row('… of which the command (server request and the edit applied)', ms(median(times.command)));
  };
  editRow("VS Code's defaults", defaults);
  editRow('merge-conflict scan off (FinLabel: Speed Up Large Datasets)', scanOff);
  row('ratio, defaults / scan off', `${(median(defaults.total) / median(scanOff.total)).toFixed(2)}x`);

  // 4. The annotation view on the same document: open, then jump to record 90,000.
  const snapshot = (): Promise<AnnotationViewSnapshot | undefined> =>
    Promise.resolve(vscode.commands.executeCommand<AnnotationViewSnapshot | undefined>(AnnotationViewTestCommands.lastRendered, uri));
  t = performance.now();
  await vscode.commands.executeCommand('vscode.openWith', uri, 'finlabel.annotationView');
  await poll('the annotation view to show a record', async () => ((await snapshot())?.report?.kind === 'record' ? true : undefined));
  row('open the annotation view, to its first record drawn', ms(performance.now() - t));
  t = performance.now();
  await vscode.commands.executeCommand(AnnotationViewCommands.goToRecord, target + 1, uri);
  await poll(`record ${target + 1} drawn`, async () => ((await snapshot())?.report?.index === target ? true : undefined));
  row(`annotation view: go to record ${target + 1}, to it drawn`, ms(performance.now() - t));

  const info = await api.languageClient().sendRequest<{ memory: { rss: number; heapUsed: number } }>('finlabel/serverInfo');
  row('language server memory', `rss ${(info.memory.rss / 2 ** 20).toFixed(0)} MiB, heap ${(info.memory.heapUsed / 2 ** 20).toFixed(0)} MiB`);

  await vscode.commands.executeCommand('workbench.action.files.revert');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  console.log(['', '| figure (real VS Code: code-server + Chromium) | measured |', '|---|---|', ...rows, ''].join('\n'));
  // The runner's closing line counts the benchmark as one check that completed.
  console.log(formatResultLine({ passed: 1, failed: 0, pending: 0 }));
}
