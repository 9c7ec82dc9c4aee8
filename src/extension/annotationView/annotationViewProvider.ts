/**
 * The annotation view: a custom text editor for dataset JSONL that shows one record at a time in a
 * webview (src/webview/annotationView). Records come from the language server (recordViewRequest),
 * never from parsing here; every change to the TextDocument (typing in a text editor beside it,
 * undo, a WorkspaceEdit) refreshes the record on screen.
 */
import * as vscode from 'vscode';
import { ErrorCodes, ResponseError, State, type LanguageClient } from 'vscode-languageclient/node';
import {
  MODEL_FILTERS,
  RECORD_FILTERS,
  REJECT_SUGGESTIONS_COMMAND,
  SUGGESTIONS_ACCEPTED_COMMAND,
  recordViewRequest,
  type RecordDirection,
  type RecordFilter,
  type RecordView,
  type RejectSuggestionsArgs,
  type SuggestionsAcceptedArgs,
} from '../../common/lspProtocol';
import type { HostToWebview, NavigationTarget, WebviewToHost } from '../../webview/annotationView/messages';
import { AnnotationViewCommands } from './commands';
import { applyLabelEdit } from '../labelEditApplier';
import { annotationViewHtml } from './webviewHtml';
import { predictDatasetRecords } from '../modelLoop/recordScoring';
import { nextUncertainRecord, type UncertainTarget } from '../modelLoop/uncertainRecordCommand';

/** How the view reaches the language client (created in main.ts). */
export type LanguageClientProvider = () => LanguageClient | undefined;

/** Edits arrive keystroke by keystroke: ask for the record once they pause this long. */
const CHANGE_DEBOUNCE_MS = 40;
/** Back-off while the server does not know the document yet (starting, restarting). */
const RETRY_DELAYS_MS = [100, 200, 400, 800, 1600, 3000];

/** One open annotation view: a webview panel on one TextDocument. */
class AnnotationSession implements vscode.Disposable {
  /** The record shown (or to show), 0-based; the server clamps it. */
  private index = 0;
  private filter: RecordFilter = 'all';
  /** A move the next refresh makes (from `index`, through the filter); kept until a refresh lands. */
  private direction: RecordDirection | undefined;
  private requestSeq = 0;
  /** The record last posted to the page. */
  private shown: RecordView | undefined;
  private retries = 0;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private watchedClient: LanguageClient | undefined;
  private documentClosed = false;
  private disposed = false;
  private readonly subscriptions: vscode.Disposable[] = [];
  lastActive = Date.now();

  constructor(
    private document: vscode.TextDocument,
    readonly panel: vscode.WebviewPanel,
    private readonly client: LanguageClientProvider,
  ) {
    const uri = document.uri.toString();
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((m: WebviewToHost) => this.receive(m)),
      panel.onDidChangeViewState(() => {
        if (panel.active) this.lastActive = Date.now();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.document && e.contentChanges.length > 0) this.scheduleRefresh();
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc !== this.document) return;
        this.documentClosed = true;
        this.cancelTimers();
        this.post({ type: 'status', kind: 'closed', message: 'The document was closed.' });
      }),
      // A document closed and opened again under the same URI (e.g. its language mode changed).
      vscode.workspace.onDidOpenTextDocument((doc) => {
        if (!this.documentClosed || doc.uri.toString() !== uri) return;
        this.document = doc;
        this.documentClosed = false;
        void this.refresh();
      }),
    );
  }

  get uri(): string {
    return this.document.uri.toString();
  }

  /** How many records the record last shown says the document has (0 before the first). */
  get recordCount(): number {
    return this.shown?.total ?? 0;
  }

  /** Moves through the webview, as its buttons and keys do, so the page's own logic is used. */
  navigate(to: NavigationTarget): void {
    this.post({ type: 'navigate', to });
  }

  private receive(message: WebviewToHost): void {
    switch (message.type) {
      case 'ready':
        // The page (re)loaded: first open, shown again after being hidden, or restored after a reload.
        if (message.index !== null && Number.isInteger(message.index) && message.index >= 0) this.index = message.index;
        if (message.filter !== null && RECORD_FILTERS.includes(message.filter)) this.filter = message.filter;
        if (MODEL_FILTERS.includes(this.filter)) void this.predictForFilter(this.filter).then(() => this.refresh());
        else void this.refresh();
        break;
      case 'show':
        if (Number.isInteger(message.index)) this.index = Math.max(0, message.index);
        this.direction = message.direction;
        void this.refresh();
        break;
      case 'filter':
        if (!RECORD_FILTERS.includes(message.filter)) break;
        this.filter = message.filter;
        // Stay on this record when the filter keeps it, else go to the nearest one it keeps; a ranking starts at its top.
        this.direction = message.filter === 'uncertain' ? 'first' : 'nearest';
        void (MODEL_FILTERS.includes(message.filter) ? this.predictForFilter(message.filter).then(() => this.refresh()) : this.refresh());
        break;
      case 'edit':
        void this.edit(message);
        break;
      case 'rejectSuggestions':
        // Remembered by the extension (workspace state), never written to the file.
        void vscode.commands
          .executeCommand(REJECT_SUGGESTIONS_COMMAND, {
            keys: message.keys,
            sources: message.sources,
            all: message.all,
            description: message.description,
            uri: this.uri,
          } satisfies RejectSuggestionsArgs)
          .then(() => this.scheduleRefresh());
        break;
      case 'cspViolation':
        console.warn(`FinLabel annotation view: the Content-Security-Policy blocked ${message.blockedURI} (${message.directive})`);
        break;
    }
  }

  /** Moves to the next most uncertain unlabelled record after the one shown (predicting the records first). */
  async nextUncertain(): Promise<UncertainTarget | undefined> {
    const client = this.client();
    if (!client || client.state !== State.Running) return undefined;
    const record = await nextUncertainRecord(client, this.uri, this.shown?.line);
    if (!record) return undefined;
    this.navigate({ index: record.index });
    return { kind: 'record', record };
  }

  /** Has the server predict the records a model filter needs (progress with Cancel when it takes a while). */
  private async predictForFilter(filter: RecordFilter): Promise<void> {
    const client = this.client();
    if (!client || client.state !== State.Running) return;
    try {
      // A failure (no model) is said by the filter's note in the view.
      await predictDatasetRecords(
        client,
        this.uri,
        filter === 'uncertain' ? 'unlabelled' : 'labelled',
        filter === 'uncertain' ? 'the unlabelled records' : 'the labelled records',
      );
    } catch (error) {
      console.warn(`FinLabel annotation view: predicting the records failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Asks the server for the record again (its suggestions changed). */
  refreshSoon(): void {
    this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.refresh();
    }, CHANGE_DEBOUNCE_MS);
  }

  private scheduleRetry(): void {
    if (this.retry || this.disposed) return;
    const delay = RETRY_DELAYS_MS[Math.min(this.retries, RETRY_DELAYS_MS.length - 1)];
    this.retries++;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.refresh();
    }, delay);
  }

  private cancelTimers(): void {
    if (this.debounce) clearTimeout(this.debounce);
    if (this.retry) clearTimeout(this.retry);
    this.debounce = undefined;
    this.retry = undefined;
  }

  /** Asks the server for the current record and posts it (or why there is none) to the page. */
  private async refresh(): Promise<void> {
    if (this.disposed || this.documentClosed) return;
    this.cancelTimers();
    const seq = ++this.requestSeq;
    const document = this.document;
    const version = document.version;
    const client = this.client();
    if (client && client !== this.watchedClient) {
      this.watchedClient = client;
      this.subscriptions.push(
        client.onDidChangeState((e) => {
          if (e.newState === State.Running) void this.refresh();
        }),
      );
    }
    if (!client || client.state === State.Stopped) {
      this.post({ type: 'status', kind: 'waiting', message: 'Waiting for the FinLabel language server…' });
      this.scheduleRetry();
      return;
    }

    let view: RecordView | null;
    try {
      view = await client.sendRequest(recordViewRequest, {
        uri: document.uri.toString(),
        index: this.index,
        filter: this.filter,
        ...(this.direction ? { direction: this.direction } : {}),
      });
    } catch (error) {
      if (seq !== this.requestSeq || this.disposed) return;
      const inactive = error instanceof ResponseError && error.code === ErrorCodes.ConnectionInactive;
      this.post(
        inactive
          ? { type: 'status', kind: 'waiting', message: 'Waiting for the FinLabel language server…' }
          : {
              type: 'status',
              kind: 'error',
              message: `Could not get the record from the FinLabel language server: ${error instanceof Error ? error.message : String(error)}`,
            },
      );
      this.scheduleRetry();
      return;
    }
    // A newer request is under way, or the text changed while this one was (its refresh is scheduled).
    if (seq !== this.requestSeq || this.disposed || document !== this.document || document.version !== version) return;

    if (view) {
      this.retries = 0;
      this.shown = view;
      this.index = view.index;
      this.direction = undefined;
      this.post({ type: 'record', record: view });
    } else if (!/\S/.test(document.getText())) {
      this.retries = 0;
      this.post({ type: 'empty' });
    } else {
      // The server has not seen the document yet (it is starting, or restarted after a crash).
      this.post({ type: 'status', kind: 'waiting', message: 'Waiting for the FinLabel language server…' });
      this.scheduleRetry();
    }
  }

  /** Applies a label change the page asked for (one undoable edit of the TextDocument) and tells the page how it went. */
  private async edit(message: Extract<WebviewToHost, { type: 'edit' }>): Promise<void> {
    const outcome = await applyLabelEdit(this.client(), this.document, message.version, message.line, message.op);
    if (!outcome.ok) console.warn(`FinLabel annotation view: ${outcome.message}`);
    this.post({ type: 'editResult', ok: outcome.ok, message: outcome.message });
    // Accepted suggestions count towards their sources' precision once the label is written.
    if (outcome.ok && Array.isArray(message.accepted) && message.accepted.length > 0) {
      void vscode.commands.executeCommand(SUGGESTIONS_ACCEPTED_COMMAND, { sources: message.accepted } satisfies SuggestionsAcceptedArgs);
    }
    // A refused edit on a stale record: make sure the page shows the document as it is.
    if (!outcome.ok) this.scheduleRefresh();
  }

  private post(message: HostToWebview): void {
    if (this.disposed) return;
    // Dropped while the page is hidden (it is not retained); it asks again with 'ready' when shown.
    void this.panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimers();
    for (const s of this.subscriptions) s.dispose();
  }
}

export class AnnotationViewProvider implements vscode.CustomTextEditorProvider {
  static readonly viewType = 'finlabel.annotationView';

  private readonly sessions = new Set<AnnotationSession>();

  private constructor(
    private readonly webviewRoot: vscode.Uri,
    private readonly client: LanguageClientProvider,
  ) {}

  /** Registers the custom editor and its commands (disposed with the extension). */
  static register(context: vscode.ExtensionContext, client: LanguageClientProvider): AnnotationViewProvider {
    const provider = new AnnotationViewProvider(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'), client);
    context.subscriptions.push(
      vscode.window.registerCustomEditorProvider(AnnotationViewProvider.viewType, provider, {
        // Not retained while hidden: the page reloads when shown and asks for its record again.
        webviewOptions: { retainContextWhenHidden: false },
        supportsMultipleEditorsPerDocument: true,
      }),
      vscode.commands.registerCommand(AnnotationViewCommands.previousRecord, (uri?: vscode.Uri | string) => provider.navigate('previous', uri)),
      vscode.commands.registerCommand(AnnotationViewCommands.nextRecord, (uri?: vscode.Uri | string) => provider.navigate('next', uri)),
      vscode.commands.registerCommand(AnnotationViewCommands.firstRecord, (uri?: vscode.Uri | string) => provider.navigate('first', uri)),
      vscode.commands.registerCommand(AnnotationViewCommands.lastRecord, (uri?: vscode.Uri | string) => provider.navigate('last', uri)),
      vscode.commands.registerCommand(AnnotationViewCommands.goToRecord, (n?: number, uri?: vscode.Uri | string) => provider.goTo(n, uri)),
      vscode.commands.registerCommand(AnnotationViewCommands.nextUncertainRecord, (uri?: vscode.Uri | string) => provider.viewOf(uri)?.nextUncertain()),
      { dispose: () => provider.sessions.forEach((s) => s.dispose()) },
    );
    return provider;
  }

  /** Every view of the document asks the server for its record again (its suggestions changed). */
  refresh(uri: string): void {
    for (const s of this.sessions) if (s.uri === uri) s.refreshSoon();
  }

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = { enableScripts: true, localResourceRoots: [this.webviewRoot] };
    const session = new AnnotationSession(document, panel, this.client);
    this.sessions.add(session);
    panel.onDidDispose(() => {
      this.sessions.delete(session);
      session.dispose();
    });
    // The page says 'ready' once its script runs; the first record is fetched then.
    panel.webview.html = annotationViewHtml(panel.webview, this.webviewRoot);
  }

  /** The view for `uri` (the most recently active one when several show it), else the active view. */
  viewOf(uri?: vscode.Uri | string): AnnotationSession | undefined {
    const key = uri === undefined ? undefined : typeof uri === 'string' ? uri : uri.toString();
    const candidates = [...this.sessions].filter((s) => (key === undefined ? true : s.uri === key));
    const active = candidates.find((s) => s.panel.active);
    if (active) return active;
    return candidates.sort((a, b) => b.lastActive - a.lastActive)[0];
  }

  private navigate(to: NavigationTarget, uri?: vscode.Uri | string): boolean {
    const session = this.viewOf(uri);
    session?.navigate(to);
    return session !== undefined;
  }

  private async goTo(n: number | undefined, uri?: vscode.Uri | string): Promise<boolean> {
    const session = this.viewOf(uri);
    if (!session) return false;
    let number = n;
    if (number === undefined) {
      const total = session.recordCount;
      const typed = await vscode.window.showInputBox({
        title: 'Go to Record',
        prompt: total > 0 ? `Record number (1 to ${total})` : 'Record number',
        validateInput: (v) => (/^\s*\d+\s*$/.test(v) ? undefined : 'Type a record number'),
      });
      if (typed === undefined) return false;
      number = Number(typed);
    }
    if (!Number.isInteger(number)) return false;
    session.navigate({ index: number - 1 });
    return true;
  }
}
