import type { Connection } from 'vscode-languageserver/node';
import { STRING_MATCH_MIN_CONFIDENCE } from '../../common/lspProtocol';
import type { JsonlDocumentModel } from '../dataset/documentModel';
import { isDataset } from '../../common/datasetFiles';
import type { JsonlDocuments } from '../lsp/jsonlDocuments';
import { BertTokenizer } from '../tokenization/bertTokenizer';
import { loadTokenizerFolder } from '../tokenization/tokenizerFolder';
import { shippedTokenizerDir } from '../inference/shippedModelFolders';
import { DatasetStringMatches } from './datasetStringMatches';
import type { StringMatch } from './recordMatches';

/** The string matches follow edits after this pause (as the suggestions do). */
const UPDATE_DELAY_MS = 100;
/** An update holds the server at most about this long before it lets requests in. */
const SLICE_MS = 10;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Tracked {
  matches: DatasetStringMatches;
  timer?: ReturnType<typeof setTimeout>;
  /** The model the matches were last updated from (a reopened document gets a new one). */
  model?: JsonlDocumentModel;
}

/**
 * The string-matching recommender of the open datasets (finlabel.suggestions.stringMatching): each
 * dataset's labelled strings, found again wherever they occur unlabelled in the same dataset. Tokens
 * come from the active entity model's tokenizer, else the shipped bert-base-chinese. Updates run after
 * each edit (paused and in slices, so typing and requests never wait long) and call `onUpdate`.
 */
export class StringMatcher {
  private readonly tracked = new Map<string, Tracked>();
  private enabled = true;
  private minConfidence = STRING_MATCH_MIN_CONFIDENCE;
  private shipped: BertTokenizer | null | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly documents: JsonlDocuments,
    private readonly activeTokenizer: () => BertTokenizer | undefined,
    private readonly onUpdate: (uri: string) => void,
  ) {
    documents.documents.onDidOpen((e) => this.schedule(e.document.uri));
    documents.documents.onDidChangeContent((e) => this.schedule(e.document.uri));
    documents.documents.onDidClose((e) => {
      const t = this.tracked.get(e.document.uri);
      if (t?.timer) clearTimeout(t.timer);
      this.tracked.delete(e.document.uri);
    });
  }

  /** finlabel.suggestions.stringMatching and .stringMatchMinConfidence. */
  configure(enabled: boolean, minConfidence = STRING_MATCH_MIN_CONFIDENCE): void {
    if (minConfidence !== this.minConfidence) {
      this.minConfidence = minConfidence;
      if (enabled && this.enabled) for (const uri of this.tracked.keys()) this.onUpdate(uri);
    }
    if (enabled === this.enabled) return;
    this.enabled = enabled;
    if (enabled) this.refresh();
    else {
      for (const [uri, t] of this.tracked) {
        if (t.timer) clearTimeout(t.timer);
        this.tracked.delete(uri);
        this.onUpdate(uri);
      }
    }
  }

  /** Updates every open dataset again (the active model, so the tokenizer, may have changed). */
  refresh(): void {
    for (const document of this.documents.documents.all()) this.schedule(document.uri, 0);
  }

  /** Whether the dataset has string matches to offer: the setting is on and something is labelled. */
  active(uri: string): boolean {
    return this.enabled && (this.tracked.get(uri)?.matches.current?.size ?? 0) > 0;
  }

  /** The string matches of line `line`'s record at the minimum confidence (empty while string matching has nothing for the dataset). */
  matchesOf(uri: string, model: JsonlDocumentModel, line: number): StringMatch[] {
    const tokenizer = this.tokenizer();
    const t = this.tracked.get(uri);
    if (!this.enabled || !tokenizer || !t || t.model !== model) return [];
    return t.matches.matchesOf(model, line, tokenizer).filter((m) => m.confidence >= this.minConfidence);
  }

  private tokenizer(): BertTokenizer | undefined {
    const active = this.activeTokenizer();
    if (active) return active;
    if (this.shipped === undefined) {
      const dir = shippedTokenizerDir('bert-base-chinese');
      try {
        this.shipped = dir ? BertTokenizer.from(loadTokenizerFolder(dir)) : null;
      } catch (err) {
        this.shipped = null;
        this.connection.console.error(`FinLabel string matching: the shipped tokenizer could not be loaded: ${(err as Error).message}`);
      }
      if (this.shipped === null && !dir)
        this.connection.console.error(
          'FinLabel string matching: the shipped tokenizer models/tokenizers/bert-base-chinese was not found; string matching is off',
        );
    }
    return this.shipped ?? undefined;
  }

  private schedule(uri: string, delay = UPDATE_DELAY_MS): void {
    if (!this.enabled) return;
    const document = this.documents.documents.get(uri);
    if (!document || !isDataset(document.uri, document.languageId)) return;
    let t = this.tracked.get(uri);
    if (!t) this.tracked.set(uri, (t = { matches: new DatasetStringMatches() }));
    if (t.timer) clearTimeout(t.timer);
    const tracked = t;
    t.timer = setTimeout(() => {
      tracked.timer = undefined;
      void this.update(uri, tracked).catch((err: unknown) =>
        this.connection.console.error(`FinLabel string matching in ${uri}: ${(err as Error).stack ?? String(err)}`),
      );
    }, delay);
  }

  private async update(uri: string, tracked: Tracked): Promise<void> {
    const entry = this.documents.get(uri);
    const tokenizer = this.tokenizer();
    if (!entry || !tokenizer || this.tracked.get(uri) !== tracked) return;
    const { model } = entry;
    const revision = model.revision;
    const before = tracked.matches.current;
    const report = await tracked.matches.update(model, tokenizer, {
      sliceMs: SLICE_MS,
      yieldNow: yieldToEventLoop,
      // An edit (or a new model) meanwhile: its own update is scheduled and starts over from what is kept.
      stale: () =>
        this.tracked.get(uri) !== tracked || this.documents.get(uri)?.model !== model || model.revision !== revision || this.tokenizer() !== tokenizer,
    });
    if (!report.completed) return;
    tracked.model = model;
    if (report.ms > 500) {
      this.connection.console.info(
        `FinLabel string matching: ${report.records} records, ${report.labelledStrings} labelled strings in ${Math.round(report.ms)} ms (${report.tokenized} tokenized, ${report.counted} counted, longest slice ${Math.round(report.longestSliceMs)} ms)`,
      );
    }
    if (before !== undefined || (tracked.matches.current?.size ?? 0) > 0) this.onUpdate(uri);
  }
}
