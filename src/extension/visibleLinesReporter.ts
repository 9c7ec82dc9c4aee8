import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { isDataset } from '../common/datasetFiles';
import { visibleLinesNotification, type LineRange } from '../common/lspProtocol';

/** Scrolling fires many events; the server hears about the lines on screen once they settle. */
const SETTLE_MS = 40;

/**
 * Tells the server which lines of each dataset JSONL are on screen, so that for a large file it
 * sends spans for those lines (and a margin) rather than for 100,000 records. Only sent when the
 * screen leaves the lines the last spans covered.
 */
export class VisibleLinesReporter implements vscode.Disposable {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly client: LanguageClient,
    /** The lines the spans received for a document cover: 'all', or undefined when none came yet. */
    private readonly coveredLines: (uri: string) => readonly LineRange[] | 'all' | undefined,
  ) {
    this.subscriptions = [
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.schedule(e.textEditor.document)),
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.schedule(e.document))),
    ];
    vscode.window.visibleTextEditors.forEach((e) => this.schedule(e.document));
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isDataset(document.uri.path, document.languageId)) return;
    const uri = document.uri.toString();
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.report(uri);
      }, SETTLE_MS),
    );
  }

  private report(uri: string): void {
    const ranges: LineRange[] = vscode.window.visibleTextEditors
      .filter((e) => e.document.uri.toString() === uri)
      .flatMap((e) => e.visibleRanges.map((r) => ({ start: r.start.line, end: r.end.line + 1 })));
    if (ranges.length === 0) return;
    const covered = this.coveredLines(uri);
    if (covered === 'all') return;
    if (covered && ranges.every((r) => covered.some((c) => c.start <= r.start && r.end <= c.end))) return;
    if (this.client.isRunning()) void this.client.sendNotification(visibleLinesNotification, { uri, ranges });
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
  }
}
