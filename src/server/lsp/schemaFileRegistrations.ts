import {
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  TextDocumentSyncKind,
  WatchKind,
  type Connection,
  type Disposable,
  type TextDocumentFilter,
} from 'vscode-languageserver/node';

/** A schema file: its path relative to a workspace folder (an LSP RelativePattern). */
export interface SchemaFilePattern {
  baseUri: string;
  pattern: string;
}

/**
 * Asks the client to watch the schema files and to sync their editors with the server. Dynamic
 * registrations rather than the client's static options, because the path is a setting that can
 * change while the server runs: on a change the old registrations are dropped and new ones made.
 */
export class SchemaFileRegistrations {
  private watch = false;
  private sync = false;
  private current = '';
  private registered: Promise<Disposable[]> = Promise.resolve([]);

  constructor(private readonly connection: Connection) {}

  /** What the client supports (from `initialize`). */
  enable(watch: boolean, sync: boolean): void {
    this.watch = watch;
    this.sync = sync;
  }

  /** `files`: the schema files, synced while open; `watched`: the paths whose file events matter. */
  update(files: readonly SchemaFilePattern[], watched: readonly SchemaFilePattern[]): void {
    const key = JSON.stringify([files, watched]);
    if (key === this.current) return;
    this.current = key;
    this.registered = this.registered.then(async (previous) => {
      for (const d of previous) d.dispose();
      return files.length === 0 ? [] : this.register(files, watched);
    });
  }

  private async register(files: readonly SchemaFilePattern[], watched: readonly SchemaFilePattern[]): Promise<Disposable[]> {
    const client = this.connection.client;
    const made: Promise<Disposable>[] = [];
    if (this.watch) {
      made.push(
        client.register(DidChangeWatchedFilesNotification.type, {
          watchers: watched.map((p) => ({
            globPattern: { baseUri: p.baseUri, pattern: p.pattern },
            kind: WatchKind.Create | WatchKind.Change | WatchKind.Delete,
          })),
        }),
      );
    }
    if (this.sync) {
      const documentSelector: TextDocumentFilter[] = files.map((p) => ({ scheme: 'file', pattern: { baseUri: p.baseUri, pattern: p.pattern } }));
      made.push(
        client.register(DidOpenTextDocumentNotification.type, { documentSelector }),
        client.register(DidChangeTextDocumentNotification.type, { documentSelector, syncKind: TextDocumentSyncKind.Incremental }),
        client.register(DidCloseTextDocumentNotification.type, { documentSelector }),
      );
    }
    const settled = await Promise.allSettled(made);
    for (const r of settled) {
      if (r.status === 'rejected')
        this.connection.console.warn(`label schema: the client refused a registration, so the schema file is not watched live: ${String(r.reason)}`);
    }
    return settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  }
}
