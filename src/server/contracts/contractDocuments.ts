import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, WatchKind, type Connection, type FileEvent } from 'vscode-languageserver/node';
import type { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { CONTRACT_DATASETS_FILE } from '../../common/contractProtocol';
import { isDataset } from '../../common/datasetFiles';
import { documentSpansNotification, type SpanDecoration } from '../../common/lspProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import type { TrackedTextDocuments } from '../lsp/trackedTextDocuments';
import { applyReplacement, reanchorByValue, type AnchoredLabel, type ReanchorResult } from './anchorLabels';
import { CodePointText } from '../dataset/codePointText';
import { findContractRecord, type ContractRecord, type RecordLookup } from './contractRecords';
import { contractDiagnostics, contractSpans, type ContractNotice, type PlacedContract } from './contractPublishing';
import type { DatasetSources } from './datasetSource';
import { folderBinding, type DatasetBinding } from './folderDatasets';
import type { WorkspaceFolders } from '../workspace/workspaceFolders';
import { containingRoot, filePathOf, relativeInside, resolveInside } from '../workspace/workspacePaths';

/** Where a contract file is: its workspace folder, and its path and folder relative to it ('/' separated). */
export interface ContractLocation {
  root: string;
  source: string;
  folder: string;
  folderPath: string;
}

export type { DatasetBinding } from './folderDatasets';

/** An open contract file and its labels, placed on its current text. */
export interface OpenContract {
  document: TextDocument;
  location: ContractLocation | undefined;
  binding: DatasetBinding;
  lookup: RecordLookup;
  labels: AnchoredLabel[];
  notices: ContractNotice[];
  /** The document's text in code points; kept in step with every change while there are labels. */
  text: CodePointText;
  /** The version last pushed to the client, if any. */
  publishedVersion: number | undefined;
}

/** A contract file is a plain text or Markdown file on disk. */
export function isContractUri(uri: string): boolean {
  return uri.startsWith('file:') && /\.(txt|md)$/i.test(uri);
}

/**
 * Keeps, for every open contract file, its record in the folder's dataset and its labels placed on
 * the text as it is being edited; pushes their spans (drawn like a dataset's) and a warning on each
 * label whose text was edited or deleted.
 */
export class ContractDocuments {
  private readonly open = new Map<string, OpenContract>();
  private readonly warned = new Set<string>();

  constructor(
    private readonly connection: Connection,
    tracked: TrackedTextDocuments,
    private readonly datasets: DatasetSources,
    private readonly schema: () => LabelSchema,
    private readonly folders: WorkspaceFolders,
  ) {
    const docs = tracked.documents;
    docs.onDidOpen((e) => {
      if (isContractUri(e.document.uri)) this.openContract(e.document);
    });
    tracked.onWillApplyChange((before, change) => this.followChange(before, change));
    docs.onDidChangeContent((e) => {
      if (isContractUri(e.document.uri)) this.changed(e.document);
      else if (isDataset(e.document.uri, e.document.languageId)) this.datasetChanged(filePathOf(e.document.uri));
    });
    docs.onDidClose((e) => {
      if (isContractUri(e.document.uri)) this.close(e.document.uri);
      else if (isDataset(e.document.uri, e.document.languageId)) this.datasetChanged(filePathOf(e.document.uri));
    });
  }

  /** The workspace folders' paths: contract paths and the folder-dataset map are relative to them. */
  get workspaceRoots(): readonly string[] {
    return this.folders.paths;
  }

  /** The spans of an open contract as last pushed (for hover). */
  spans(uri: string): SpanDecoration[] {
    const state = this.open.get(uri);
    if (!state || state.labels.length === 0) return [];
    return contractSpans(this.placed(state), this.schema());
  }

  /** An open contract's labels on its current text. */
  placed(state: OpenContract): PlacedContract {
    return { document: state.document, text: this.textOf(state), labels: state.labels };
  }

  /** Asks the client to report changes of datasets and of the folder-dataset map made outside the editor. */
  watchFiles(): void {
    void this.connection.client
      .register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/*.jsonl', kind: WatchKind.Create | WatchKind.Change | WatchKind.Delete },
          { globPattern: `**/${CONTRACT_DATASETS_FILE}`, kind: WatchKind.Create | WatchKind.Change | WatchKind.Delete },
        ],
      })
      .catch((err: unknown) =>
        this.connection.console.warn(
          `contract files: the client refused to watch datasets, so changes made outside the editor show on reopening: ${String(err)}`,
        ),
      );
  }

  get(uri: string): OpenContract | undefined {
    return this.open.get(uri);
  }

  /** The contract with its dataset binding read again from the map file (it may have been edited by hand). */
  current(uri: string): OpenContract | undefined {
    const state = this.open.get(uri);
    if (state) this.refreshBinding(state);
    return state;
  }

  /** The text of the contract now, in code points. */
  textOf(state: OpenContract): CodePointText {
    const text = state.document.getText();
    if (state.text.text !== text) state.text = new CodePointText(text);
    return state.text;
  }

  /** The record as last read, when there is one. */
  recordOf(state: OpenContract): ContractRecord | undefined {
    return state.lookup.kind === 'found' ? state.lookup.record : undefined;
  }

  onFileEvents(changes: readonly FileEvent[]): void {
    const maps = new Set<string>();
    const datasets = new Set<string>();
    for (const change of changes) {
      const p = filePathOf(change.uri);
      if (!p) continue;
      if (p.endsWith(path.join(...CONTRACT_DATASETS_FILE.split('/')))) maps.add(p);
      else if (isDataset(p)) {
        this.datasets.forget(p);
        datasets.add(p);
      }
    }
    for (const state of this.open.values()) {
      const mapFile = state.location ? resolveInside(state.location.root, CONTRACT_DATASETS_FILE) : undefined;
      if (mapFile && maps.has(mapFile)) this.reload(state, 'map');
      else if (state.binding.kind === 'chosen' && datasets.has(state.binding.path)) this.reload(state, 'dataset');
      else if (state.binding.kind === 'problem' && datasets.size > 0) this.reload(state, 'map');
    }
  }

  /** Reads the folder-dataset map again for the contracts in `root` (after the map was written). */
  reloadRoot(root: string): void {
    for (const state of this.open.values()) if (state.location?.root === root) this.reload(state, 'map');
  }

  /** Reads the record again (the dataset changed, or the record was found to differ from what was read). */
  reloadRecord(state: OpenContract): void {
    this.reload(state, 'dataset');
  }

  private openContract(document: TextDocument): void {
    const state: OpenContract = {
      document,
      location: undefined,
      binding: { kind: 'none' },
      lookup: { kind: 'none' },
      labels: [],
      notices: [],
      text: new CodePointText(document.getText()),
      publishedVersion: undefined,
    };
    this.open.set(document.uri, state);
    this.reload(state, 'open');
  }

  private close(uri: string): void {
    const state = this.open.get(uri);
    this.open.delete(uri);
    if (state?.publishedVersion !== undefined) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Moves the labels through one change, on the text just before it. */
  private followChange(before: TextDocument, change: TextDocumentContentChangeEvent): void {
    const state = this.open.get(before.uri);
    if (!state || state.labels.length === 0) return;
    const text = this.textOf(state);
    if ('range' in change) {
      const from = before.offsetAt(change.range.start);
      const to = before.offsetAt(change.range.end);
      const after = new CodePointText(text.text.slice(0, from) + change.text + text.text.slice(to));
      const replacement = { start: text.codePointOffset(from, 'floor'), end: text.codePointOffset(to, 'ceil'), text: change.text };
      state.labels = applyReplacement(state.labels, after.chars, replacement);
      state.text = after;
    } else {
      const after = new CodePointText(change.text);
      state.labels = reanchorByValue(state.labels, text.chars, after.chars).labels;
      state.text = after;
    }
  }

  private changed(document: TextDocument): void {
    const state = this.open.get(document.uri);
    if (!state) return;
    state.document = document;
    if (state.text.text !== document.getText() && state.labels.length > 0) {
      // Only if a change could not be followed exactly: place the labels by their text.
      const after = new CodePointText(document.getText());
      state.labels = reanchorByValue(state.labels, state.text.chars, after.chars).labels;
      state.text = after;
    }
    if (state.publishedVersion !== document.version) this.publish(state);
  }

  private datasetChanged(datasetPath: string | undefined): void {
    if (!datasetPath) return;
    for (const state of this.open.values()) {
      if (state.binding.kind === 'chosen' && state.binding.path === datasetPath) this.reload(state, 'dataset');
    }
  }

  private refreshBinding(state: OpenContract): void {
    const binding = this.bindingOf(state.location);
    if (JSON.stringify(binding) !== JSON.stringify(state.binding)) this.reload(state, 'map');
  }

  /**
   * Reads the contract's dataset and record and places the labels. A record whose text is not the
   * contract's (the file was edited outside the editor) gets its labels re-anchored by their text,
   * and the user is told; the record itself changes on the next save or label action.
   */
  private reload(state: OpenContract, reason: 'open' | 'dataset' | 'map'): void {
    state.location = this.locate(state.document.uri);
    state.binding = this.bindingOf(state.location);
    let lookup: RecordLookup = { kind: 'none' };
    if (state.binding.kind === 'chosen') {
      const read = this.datasets.read(state.binding.path);
      if (read.ok) lookup = findContractRecord(read.view.model, state.location?.source ?? '');
      else {
        const where = `the dataset ${state.binding.rel} chosen for the folder "${state.location?.folder}"`;
        state.binding = { kind: 'problem', message: read.missing ? `${where} does not exist` : `${where} cannot be read: ${read.message}` };
      }
    }
    const text = this.textOf(state);
    const previous = this.recordOf(state);
    const record = lookup.kind === 'found' ? lookup.record : undefined;
    if (!record) state.labels = [];
    else if (record.text === text.text) state.labels = record.labels;
    else if (!(reason === 'dataset' && previous?.lineText === record.lineText)) {
      const result = reanchorByValue(record.labels, Array.from(record.text), text.chars);
      state.labels = result.labels;
      if (reason !== 'dataset' && state.binding.kind === 'chosen') this.tellReanchored(state, state.binding.rel, result);
    }
    state.lookup = lookup;
    state.notices = state.binding.kind === 'problem' ? [{ message: `FinLabel: ${state.binding.message}`, severity: 'error' }] : [];
    if (state.binding.kind === 'chosen') state.notices.push(...lookupNotices(lookup, state.binding.rel));
    this.publish(state);
  }

  private locate(uri: string): ContractLocation | undefined {
    const file = filePathOf(uri);
    const root = file ? containingRoot(this.folders.paths, file) : undefined;
    if (!file || !root) return undefined;
    const folderPath = path.dirname(file);
    return { root, source: relativeInside(root, file) as string, folder: relativeInside(root, folderPath) as string, folderPath };
  }

  private bindingOf(location: ContractLocation | undefined): DatasetBinding {
    if (!location) return { kind: 'none' };
    const { binding, unreadable } = folderBinding(location.root, location.folder);
    if (unreadable) this.warnOnce(`FinLabel: ${unreadable}. Labels of contract files are not shown until it is fixed.`);
    return binding;
  }

  private tellReanchored(state: OpenContract, dataset: string, result: ReanchorResult): void {
    const source = state.location?.source ?? state.document.uri;
    const parts = [`${result.moved} label${result.moved === 1 ? '' : 's'} re-anchored by their text`];
    if (result.flagged > 0) parts.push(`${result.flagged} could not be matched and ${result.flagged === 1 ? 'is' : 'are'} flagged`);
    const message = `FinLabel: ${source} is not the text its record in ${dataset} was labelled on (edited outside VS Code?): ${parts.join('; ')}. Save the file to write the re-anchored labels to the dataset.`;
    this.connection.console.info(message);
    if (result.flagged > 0) void this.connection.window.showWarningMessage(message);
    else void this.connection.window.showInformationMessage(message);
  }

  private warnOnce(message: string): void {
    this.connection.console.warn(message);
    if (this.warned.has(message)) return;
    this.warned.add(message);
    void this.connection.window.showWarningMessage(message);
  }

  private publish(state: OpenContract): void {
    const nothing = state.binding.kind === 'none' && state.labels.length === 0 && state.notices.length === 0;
    if (nothing && state.publishedVersion === undefined) return;
    const placed = this.placed(state);
    const { uri, version } = state.document;
    void this.connection.sendNotification(documentSpansNotification, { uri, version, spans: contractSpans(placed, this.schema()) });
    void this.connection.sendDiagnostics({ uri, version, diagnostics: contractDiagnostics(placed, state.notices) });
    state.publishedVersion = nothing ? undefined : version;
  }

  /** Redraws every open contract (the label schema changed: names and colours). */
  republishAll(): void {
    for (const state of this.open.values()) this.publish(state);
  }
}

function lookupNotices(lookup: RecordLookup, dataset: string): ContractNotice[] {
  if (lookup.kind === 'invalid') {
    return [{ severity: 'error', message: `FinLabel: ${dataset}: ${lookup.message}. The labels of this file cannot be shown or changed until it is fixed.` }];
  }
  if (lookup.kind !== 'found') return [];
  const notices: ContractNotice[] = [];
  const { record, duplicates } = lookup;
  if (duplicates.length > 0) {
    const lines = [record.line, ...duplicates].map((l) => l + 1).join(', ');
    notices.push({
      severity: 'warning',
      message: `FinLabel: ${dataset} has ${duplicates.length + 1} records for this file (lines ${lines}); the labels shown and edited are those of line ${record.line + 1}.`,
    });
  }
  for (const u of record.unplaced) {
    notices.push({ severity: 'warning', message: `FinLabel: ${dataset} line ${record.line + 1}: ${u}; it stays in the record but cannot be shown.` });
  }
  return notices;
}
