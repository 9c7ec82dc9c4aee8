import { TextDocuments, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentSpansParams, SpanDecoration } from '../../common/lspProtocol';
import { documentSpansNotification } from '../../common/lspProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import { JsonlDocumentModel } from '../dataset/documentModel';
import { placeSpans } from '../dataset/spanPlacement';
import { toDiagnostics } from './diagnostics';

export interface OpenJsonlDocument {
  document: TextDocument;
  model: JsonlDocumentModel;
  spans: SpanDecoration[];
}

export function isJsonlDocument(doc: TextDocument): boolean {
  return doc.languageId === 'jsonl' || doc.uri.toLowerCase().endsWith('.jsonl');
}

/** Keeps a record model for every open dataset JSONL and pushes its spans and diagnostics. */
export class JsonlDocuments {
  private readonly open = new Map<string, OpenJsonlDocument>();

  constructor(
    private readonly connection: Connection,
    private schema: LabelSchema,
    /** The connection's synced documents: shared with the other features, which see every document too. */
    readonly documents: TextDocuments<TextDocument> = new TextDocuments(TextDocument),
  ) {
    this.documents.onDidOpen((e) => this.refresh(e.document));
    this.documents.onDidChangeContent((e) => this.refresh(e.document));
    this.documents.onDidClose((e) => {
      this.open.delete(e.document.uri);
      void this.connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });
    this.documents.listen(connection);
  }

  get(uri: string): OpenJsonlDocument | undefined {
    const doc = this.documents.get(uri);
    if (!doc || !isJsonlDocument(doc)) return undefined;
    const current = this.open.get(uri);
    if (current && current.document.version === doc.version) return current;
    return this.refresh(doc);
  }

  private spansParams(entry: OpenJsonlDocument): DocumentSpansParams {
    return { uri: entry.document.uri, version: entry.document.version, spans: entry.spans };
  }

  setSchema(schema: LabelSchema): void {
    this.schema = schema;
    for (const entry of this.open.values()) {
      entry.model.setSchema(schema);
      this.publish(entry);
    }
  }

  private refresh(doc: TextDocument): OpenJsonlDocument | undefined {
    if (!isJsonlDocument(doc)) return undefined;
    const entry = this.open.get(doc.uri) ?? { document: doc, model: new JsonlDocumentModel(this.schema), spans: [] };
    entry.document = doc;
    entry.model.update(doc.getText());
    entry.spans = placeSpans(entry.model);
    this.open.set(doc.uri, entry);
    this.publish(entry);
    return entry;
  }

  private publish(entry: OpenJsonlDocument): void {
    void this.connection.sendNotification(documentSpansNotification, this.spansParams(entry));
    void this.connection.sendDiagnostics({ uri: entry.document.uri, version: entry.document.version, diagnostics: toDiagnostics(entry.model) });
  }
}
