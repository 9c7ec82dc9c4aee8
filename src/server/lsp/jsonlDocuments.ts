import type { TextDocuments } from 'vscode-languageserver/node';
import { type Connection } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { DocumentSpansParams, LineRange, SpanDecoration } from '../../common/lspProtocol';
import { documentSpansNotification } from '../../common/lspProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import { isDataset } from '../../common/datasetFiles';
import { JsonlDocumentModel } from '../dataset/documentModel';
import { placeSpans, spansAt, spansOfLine } from '../dataset/spanPlacement';
import { toDiagnostics } from './diagnostics';
import { FileBytesUtf8 } from './fileBytesUtf8';
import { REPLACEMENT_CHARACTER, replacementCharacterDiagnostics } from './replacementCharacters';
import type { TrackedTextDocuments } from './trackedTextDocuments';
import { covers, spanWindow } from './lineWindow';

/** Diagnostics wait for typing to pause this long. */
const DIAGNOSTICS_DELAY_MS = 150;
/** Background validation works in slices this long, so requests are answered in between. */
const ANALYSIS_SLICE_MS = 15;

export interface OpenJsonlDocument {
  document: TextDocument;
  model: JsonlDocumentModel;
  /** Lines the editors show (reported by the extension). */
  visible: LineRange[];
  /** Lines the last pushed spans covered; undefined: the whole document. */
  window: LineRange[] | undefined;
  diagnosticsTimer?: ReturnType<typeof setTimeout>;
  analysing?: ReturnType<typeof setImmediate>;
}

/**
 * Keeps a record model for every open dataset JSONL and pushes its spans and diagnostics. Edits
 * update the model incrementally (the content changes are caught as TextDocuments applies them);
 * spans go out at once for the lines on screen, diagnostics after a pause, once every line has
 * been validated in the background.
 */
export class JsonlDocuments {
  readonly documents: TextDocuments<TextDocument>;
  private readonly open = new Map<string, OpenJsonlDocument>();
  private readonly pendingChanges = new Map<string, TextDocumentContentChangeEvent[]>();
  private readonly fileBytes = new FileBytesUtf8();

  constructor(
    private readonly connection: Connection,
    private schema: LabelSchema,
    /** The connection's synced documents, shared with the other features (contract files, the schema file). */
    tracked: TrackedTextDocuments,
  ) {
    this.documents = tracked.documents;
    tracked.onWillApplyChange((before, change) => {
      if (!isDataset(before.uri, before.languageId)) return;
      const pending = this.pendingChanges.get(before.uri) ?? [];
      pending.push(change);
      this.pendingChanges.set(before.uri, pending);
    });
    this.documents.onDidOpen((e) => this.opened(e.document));
    this.documents.onDidChangeContent((e) => this.changed(e.document));
    this.documents.onDidClose((e) => {
      this.pendingChanges.delete(e.document.uri);
      this.fileBytes.forget(e.document.uri);
      const entry = this.open.get(e.document.uri);
      // Other documents synced to the server (the label schema file) keep their own diagnostics.
      if (!entry) return;
      this.stopTimers(entry);
      this.open.delete(e.document.uri);
      void this.connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });
    this.documents.listen(connection);
  }

  get(uri: string): OpenJsonlDocument | undefined {
    const doc = this.documents.get(uri);
    if (!doc || !isDataset(doc.uri, doc.languageId)) return undefined;
    const current = this.open.get(uri);
    if (current && current.document.version === doc.version) return current;
    return this.changed(doc);
  }

  /** The spans under a position (hover). */
  spansAt(uri: string, line: number, character: number): SpanDecoration[] {
    const entry = this.get(uri);
    if (!entry || line >= entry.model.lineCount) return [];
    return spansAt(spansOfLine(entry.model, line), line, character);
  }

  /** The extension says which lines are on screen; spans follow when they leave the last window. */
  setVisibleLines(uri: string, ranges: LineRange[]): void {
    const entry = this.get(uri);
    if (!entry) return;
    entry.visible = ranges;
    if (!covers(entry.window, ranges)) this.publishSpans(entry);
  }

  setSchema(schema: LabelSchema): void {
    this.schema = schema;
    for (const entry of this.open.values()) {
      entry.model.setSchema(schema);
      // Names, colours and known/unknown all come from the schema.
      this.publishSpans(entry);
      this.scheduleDiagnostics(entry, 0);
    }
  }

  private opened(doc: TextDocument): OpenJsonlDocument | undefined {
    if (!isDataset(doc.uri, doc.languageId)) return undefined;
    this.pendingChanges.delete(doc.uri);
    const model = new JsonlDocumentModel(this.schema);
    model.reset(doc);
    const entry: OpenJsonlDocument = this.open.get(doc.uri) ?? { document: doc, model, visible: [], window: undefined };
    entry.document = doc;
    entry.model = model;
    this.open.set(doc.uri, entry);
    this.publishSpans(entry);
    this.scheduleDiagnostics(entry, 0);
    return entry;
  }

  private changed(doc: TextDocument): OpenJsonlDocument | undefined {
    const entry = this.open.get(doc.uri);
    const changes = this.pendingChanges.get(doc.uri);
    this.pendingChanges.delete(doc.uri);
    // TextDocuments follows every open with a change event for the same version: nothing to redo.
    if (entry && !changes && entry.document === doc) return entry;
    if (!entry || !changes) return this.opened(doc);
    if (!isDataset(doc.uri, doc.languageId)) return undefined;
    entry.document = doc;
    entry.model.applyChanges(doc, changes);
    this.publishSpans(entry);
    this.scheduleDiagnostics(entry, DIAGNOSTICS_DELAY_MS);
    return entry;
  }

  private publishSpans(entry: OpenJsonlDocument): void {
    entry.window = spanWindow(entry.model.lineCount, entry.visible);
    const params: DocumentSpansParams = {
      uri: entry.document.uri,
      version: entry.document.version,
      spans: placeSpans(entry.model, entry.window),
      ...(entry.window ? { lines: entry.window } : {}),
    };
    void this.connection.sendNotification(documentSpansNotification, params);
  }

  /** Validates the lines not yet analysed in slices, then publishes every problem. */
  private scheduleDiagnostics(entry: OpenJsonlDocument, delayMs: number): void {
    this.stopTimers(entry);
    entry.diagnosticsTimer = setTimeout(() => {
      entry.diagnosticsTimer = undefined;
      const step = (): void => {
        entry.analysing = undefined;
        if (this.open.get(entry.document.uri) !== entry) return;
        if (!entry.model.analyseSome(ANALYSIS_SLICE_MS)) {
          entry.analysing = setImmediate(step);
          return;
        }
        this.publishDiagnostics(entry);
      };
      step();
    }, delayMs);
  }

  /**
   * The record problems, and where the text has U+FFFD and the file on disk is not UTF-8, a warning
   * that those are bytes VS Code could not decode (saving would replace them).
   */
  private publishDiagnostics(entry: OpenJsonlDocument): void {
    const { uri, version } = entry.document;
    const problems = toDiagnostics(entry.model);
    if (!entry.document.getText().includes(REPLACEMENT_CHARACTER)) {
      void this.connection.sendDiagnostics({ uri, version, diagnostics: problems });
      return;
    }
    void this.fileBytes.hasInvalidBytes(uri).then((invalid) => {
      if (this.open.get(uri) !== entry || entry.document.version !== version) return;
      const decoding = invalid ? replacementCharacterDiagnostics(entry.document) : [];
      void this.connection.sendDiagnostics({ uri, version, diagnostics: [...decoding, ...problems] });
    });
  }

  private stopTimers(entry: OpenJsonlDocument): void {
    if (entry.diagnosticsTimer) clearTimeout(entry.diagnosticsTimer);
    if (entry.analysing) clearImmediate(entry.analysing);
    entry.diagnosticsTimer = undefined;
    entry.analysing = undefined;
  }
}
