import { TextDocuments, type Connection } from 'vscode-languageserver/node';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { LineDocument } from '../dataset/lineDocument';
import { isDataset } from '../../common/datasetFiles';

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
        isDataset(uri, languageId) ? new LineDocument(uri, languageId, version, content) : TextDocument.create(uri, languageId, version, content),
      update: (document, changes, version) => {
        let current = document;
        for (const sent of changes) {
          const change = wellFormedChange(current, sent);
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

/**
 * `change` with its range inside `document` and in order, as TextDocument.update reads it (the
 * positions clamped by offsetAt): the text it makes is the same. Clients do send ranges past the end
 * or with negative numbers; the library then keeps the right text but can miscount its lines
 * (vscode-languageserver-textdocument 1.0.16 writes past its line table when both ends lie past the
 * last line), which puts the next change in the wrong place; and listeners read the range as sent.
 */
export function wellFormedChange(document: TextDocument, change: TextDocumentContentChangeEvent): TextDocumentContentChangeEvent {
  if (!('range' in change)) return change;
  const [from, to] = [document.offsetAt(change.range.start), document.offsetAt(change.range.end)].sort((a, b) => a - b);
  return { range: { start: document.positionAt(from), end: document.positionAt(to) }, text: change.text };
}
