import { TextDocuments, type Connection } from 'vscode-languageserver/node';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { LineDocument } from '../dataset/lineDocument';
import { isJsonlKind } from './jsonlDocuments';

/** Called before each content change is applied, with the document as it is just before that change. */
export type ContentChangeListener = (before: TextDocument, change: TextDocumentContentChangeEvent) => void;

/**
 * The server's synced documents (one TextDocuments per connection), which also report each content
 * change before applying it: the change's range is only meaningful on the text before it, and
 * labels of contract files follow their characters through exactly these ranges.
 */
export class TrackedTextDocuments {
  private readonly listeners: ContentChangeListener[] = [];
  readonly documents: TextDocuments<TextDocument>;

  constructor(private readonly connection: Connection) {
    this.documents = new TextDocuments<TextDocument>({
      // Dataset JSONL is kept as lines (an edit costs the lines it touches); other files as usual.
      create: (uri, languageId, version, content) =>
        isJsonlKind(uri, languageId) ? new LineDocument(uri, languageId, version, content) : TextDocument.create(uri, languageId, version, content),
      update: (document, changes, version) => {
        let current = document;
        for (const change of changes) {
          this.notify(current, change);
          if (current instanceof LineDocument) current.update([change], version);
          else current = TextDocument.update(current, [change], version);
        }
        return current;
      },
    });
  }

  onWillApplyChange(listener: ContentChangeListener): void {
    this.listeners.push(listener);
  }

  private notify(before: TextDocument, change: TextDocumentContentChangeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(before, change);
      } catch (err) {
        // The document itself must stay in sync whatever a listener does.
        this.connection.console.error(`a document change listener failed on ${before.uri}: ${(err as Error).stack ?? String(err)}`);
      }
    }
  }
}
