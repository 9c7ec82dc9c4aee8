import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Connection, type Diagnostic, type FileEvent, type TextDocuments, type WorkspaceFolder } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LabelSchema, type LabelType } from '../../common/labelSchema';
import { labelSchemaChangedNotification, type CreateLabelSchemaFileResult, type LabelSchemaSettings } from '../../common/lspProtocol';
import { formatSchemaProblem, labelSchemaFileText, type LocatedSchemaProblem } from '../schema/labelSchemaText';
import { DEFAULT_SCHEMA_FILE, resolveSchemaFile } from '../schema/schemaFileLocation';
import { describeSource, resolveLabelSchema, type SchemaInputs, type SchemaResolution, type SchemaSource } from '../schema/schemaPrecedence';
import { checkInsideWorkspace } from '../workspace/workspacePaths';
import { SchemaFileRegistrations, type SchemaFilePattern } from './schemaFileRegistrations';

/**
 * Why the schema is being reloaded. 'edit' is typing in the schema file's editor: its diagnostics
 * update live, but no pop-up interrupts the typing; every other trigger tells the user once.
 */
type ReloadTrigger = 'startup' | 'settings' | 'folders' | 'file' | 'edit';

type FileRead = { kind: 'missing' } | { kind: 'text'; text: string } | { kind: 'unreadable'; message: string };

const NO_SETTINGS: LabelSchemaSettings = { file: '', types: undefined };

/**
 * The label schema of the window: reads the workspace's schema file (or the open editor's text
 * of it), the setting and the defaults in that order of precedence; reloads on file events, edits
 * and settings; publishes the file's problems as diagnostics and keeps the last good schema while
 * the file has errors; pushes every change to the documents and the client.
 */
export class LabelSchemaService {
  private current = new LabelSchema();
  private currentSource: SchemaSource = { kind: 'default' };
  private applied = false;
  private folders: string[] = [];
  private settings: LabelSchemaSettings = NO_SETTINGS;
  private readonly diagnosed = new Set<string>();
  private readonly warned = new Set<string>();
  private requested: ReloadTrigger | undefined;
  private draining: Promise<void> = Promise.resolve();
  private readonly registrations: SchemaFileRegistrations;
  private canShowDocument = false;

  constructor(
    private readonly connection: Connection,
    private readonly textDocuments: TextDocuments<TextDocument>,
    private readonly onDidChange: (schema: LabelSchema) => void,
  ) {
    this.registrations = new SchemaFileRegistrations(connection);
    const onEditorText = (trigger: ReloadTrigger) => (e: { document: TextDocument }) => {
      if (this.isSchemaFile(e.document.uri)) this.reload(trigger);
    };
    textDocuments.onDidOpen(onEditorText('edit'));
    textDocuments.onDidChangeContent(onEditorText('edit'));
    // Closing an editor may discard unsaved text: read the file again.
    textDocuments.onDidClose(onEditorText('file'));
  }

  get schema(): LabelSchema {
    return this.current;
  }

  /** Before the first reload: the client's folders, capabilities and settings (from `initialize`). */
  initialize(options: {
    folders: readonly WorkspaceFolder[];
    settings: LabelSchemaSettings | undefined;
    canWatchFiles: boolean;
    canSyncFiles: boolean;
    canShowDocument: boolean;
  }): void {
    this.folders = options.folders.flatMap((f) => filePathOf(f.uri));
    this.settings = options.settings ?? NO_SETTINGS;
    this.registrations.enable(options.canWatchFiles, options.canSyncFiles);
    this.canShowDocument = options.canShowDocument;
  }

  start(): void {
    this.updateRegistrations();
    this.reload('startup');
  }

  configure(settings: LabelSchemaSettings | undefined): void {
    const next = settings ?? NO_SETTINGS;
    if (JSON.stringify(next) === JSON.stringify(this.settings)) return;
    this.settings = next;
    this.updateRegistrations();
    this.reload('settings');
  }

  changeFolders(added: readonly WorkspaceFolder[], removed: readonly WorkspaceFolder[]): void {
    const gone = new Set(removed.flatMap((f) => filePathOf(f.uri)));
    this.folders = [...this.folders.filter((f) => !gone.has(f)), ...added.flatMap((f) => filePathOf(f.uri))];
    this.updateRegistrations();
    this.reload('folders');
  }

  onFileEvents(changes: readonly FileEvent[]): void {
    if (changes.some((c) => this.isSchemaPath(c.uri))) this.reload('file');
  }

  /** Resolves once every reload asked for so far has been applied. */
  async settled(): Promise<void> {
    await this.draining;
  }

  /** Writes the folder's schema file from the schema in use, inside the workspace folders only; an existing file is never overwritten. */
  async createFile(folderUri: string): Promise<CreateLabelSchemaFileResult> {
    const folder = filePathOf(folderUri)[0];
    if (folder === undefined) return { ok: false, message: `${folderUri} is not a folder on disk` };
    const location = resolveSchemaFile(folder, this.settings.file);
    if (!location.ok) return { ok: false, message: location.message };
    const inside = checkInsideWorkspace(this.folders, location.path, 'the label schema file');
    if (!inside.ok) return { ok: false, message: inside.message };
    await this.settled();
    try {
      await mkdir(path.dirname(location.path), { recursive: true });
      await writeFile(location.path, labelSchemaFileText(this.current.types), { encoding: 'utf8', flag: 'wx' });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return { ok: true, uri: fileUri(location.path), created: false };
      return { ok: false, message: `cannot write ${location.path}: ${code ?? (err as Error).message}` };
    }
    this.reload('file');
    return { ok: true, uri: fileUri(location.path), created: true };
  }

  private reload(trigger: ReloadTrigger): void {
    // Bursts (typing) collapse into one reload; a trigger that may warn the user wins over 'edit'.
    this.requested = this.requested === undefined || this.requested === 'edit' ? trigger : this.requested;
    this.draining = this.draining.then(async () => {
      const next = this.requested;
      this.requested = undefined;
      if (next === undefined) return;
      try {
        await this.load(next);
      } catch (err) {
        this.connection.console.error(`label schema: reload failed: ${(err as Error).stack ?? String(err)}`);
      }
    });
  }

  private async load(trigger: ReloadTrigger): Promise<void> {
    const fileSettingProblems: string[] = [];
    const files = this.folders.flatMap((folder) => {
      const location = this.schemaFileOf(folder);
      if (location.problem) fileSettingProblems.push(`${location.problem}; using ${DEFAULT_SCHEMA_FILE} instead`);
      return location.path === undefined ? [] : [{ folder, file: location.path }];
    });
    const found: NonNullable<SchemaInputs['file']>[] = [];
    for (const { folder, file } of files) {
      const inside = checkInsideWorkspace([folder], file, 'the label schema');
      if (!inside.ok) {
        found.push({ path: file, unreadable: inside.message });
        continue;
      }
      const read = await this.read(file);
      if (read.kind === 'text') found.push({ path: file, text: read.text });
      else if (read.kind === 'unreadable') found.push({ path: file, unreadable: read.message });
    }
    const [active, ...ignored] = found;
    const resolution = resolveLabelSchema({ file: active, settingTypes: this.settings.types });

    const diagnostics = new Map<string, Diagnostic[]>();
    if (active) diagnostics.set(fileUri(active.path), resolution.fileProblems.map(toDiagnostic));
    for (const other of ignored) {
      diagnostics.set(fileUri(other.path), [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: DiagnosticSeverity.Warning,
          source: 'finlabel',
          code: 'label-schema-ignored',
          message: `FinLabel uses one label schema per window: ${active.path} (the first workspace folder with one) is in use and this file is ignored.`,
        },
      ]);
    }
    this.publish(diagnostics);

    if (resolution.types) {
      this.apply(resolution.types, resolution.source);
      this.warned.delete('schema');
    } else if (!this.applied) {
      this.apply(resolution.fallback.types, resolution.fallback.source);
    }
    if (!resolution.types && trigger !== 'edit') this.warnInvalid(resolution);
    if (resolution.types && resolution.settingProblems.length > 0)
      this.warnOnce(`setting ${resolution.settingProblems.join()}`, `FinLabel: ${resolution.settingProblems.join(' ')}`);
    if (fileSettingProblems.length > 0) this.warnOnce(`file-setting ${fileSettingProblems.join()}`, `FinLabel: ${fileSettingProblems[0]}`);
  }

  private apply(types: LabelType[], source: SchemaSource): void {
    const unchanged =
      this.applied && JSON.stringify(types) === JSON.stringify(this.current.types) && JSON.stringify(source) === JSON.stringify(this.currentSource);
    this.applied = true;
    if (unchanged) return;
    this.current = new LabelSchema(types);
    this.currentSource = source;
    this.onDidChange(this.current);
    const uri = source.kind === 'file' ? fileUri(source.path) : undefined;
    void this.connection.sendNotification(labelSchemaChangedNotification, { types, source: describeSource(source), ...(uri ? { uri } : {}) });
    this.connection.console.info(
      `label schema: ${types.map((t) => `${t.key ?? '-'} ${t.name}/${t.tag} ${t.color}`).join(', ')} (from ${describeSource(source)})`,
    );
  }

  /** Tells the user the schema has errors, once until it is valid again; the diagnostics say the rest. */
  private warnInvalid(resolution: SchemaResolution): void {
    const still = `It keeps using the label types from ${describeSource(this.currentSource)}.`;
    if (resolution.source.kind === 'file') {
      const file = resolution.source.path;
      const errors = resolution.fileProblems.filter((p) => p.severity === 'error');
      for (const p of errors) this.connection.console.warn(`label schema: ${formatSchemaProblem(file, p)}`);
      const first = errors[0] ? ` (line ${errors[0].range.start.line + 1}: ${errors[0].message})` : '';
      this.warnOnce('schema', `FinLabel: the label schema ${file} has ${plural(errors.length, 'error')}${first}. ${still}`, fileUri(file));
    } else {
      const errors = resolution.settingProblems.filter((p) => !p.includes(': warning: '));
      this.warnOnce(
        'schema',
        `FinLabel: ${errors[0] ?? 'the setting finlabel.labelSchema.types has errors'}${errors.length > 1 ? ` (and ${plural(errors.length - 1, 'more error')})` : ''}. ${still}`,
      );
    }
  }

  private warnOnce(key: string, message: string, schemaUri?: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.connection.console.warn(`label schema: ${message}`);
    const open = { title: 'Open Schema File' };
    void (async () => {
      const choice = schemaUri ? await this.connection.window.showWarningMessage(message, open) : await this.connection.window.showWarningMessage(message);
      if (schemaUri && choice?.title === open.title && this.canShowDocument) await this.connection.window.showDocument({ uri: schemaUri, takeFocus: true });
    })().catch((err: unknown) => this.connection.console.error(`label schema: ${String(err)}`));
  }

  private publish(diagnostics: Map<string, Diagnostic[]>): void {
    for (const uri of this.diagnosed) {
      if (!diagnostics.has(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    this.diagnosed.clear();
    for (const [uri, list] of diagnostics) {
      void this.connection.sendDiagnostics({ uri, diagnostics: list });
      if (list.length > 0) this.diagnosed.add(uri);
    }
  }

  /**
   * The schema file's text: its editor's while it is open (live while typing), else the file on
   * disk. The disk decides whether the file exists: VS Code keeps a closed or deleted file's
   * document open for a while, and its stale text must not outlive the file.
   */
  private async read(file: string): Promise<FileRead> {
    try {
      const text = await readFile(file, 'utf8');
      const open = this.textDocuments.all().find((d) => filePathOf(d.uri)[0] === file);
      return { kind: 'text', text: open ? open.getText() : text };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
      return { kind: 'unreadable', message: `cannot read the label schema: ${code ?? (err as Error).message}` };
    }
  }

  /** The folder's schema file: the setting's, or the default one when the setting is invalid (reported). */
  private schemaFileOf(folder: string): { path?: string; relative?: string; problem?: string } {
    const location = resolveSchemaFile(folder, this.settings.file);
    if (location.ok) return location;
    const fallback = resolveSchemaFile(folder, '');
    return fallback.ok ? { ...fallback, problem: location.message } : { problem: location.message };
  }

  private isSchemaFile(uri: string): boolean {
    const file = filePathOf(uri)[0];
    return file !== undefined && this.folders.some((folder) => this.schemaFileOf(folder).path === file);
  }

  /** The schema file or a folder on its way (.finlabel): creating or deleting a folder may be the only event a watcher sees. */
  private isSchemaPath(uri: string): boolean {
    const file = filePathOf(uri)[0];
    return (
      file !== undefined &&
      this.folders.some((folder) => {
        const { relative } = this.schemaFileOf(folder);
        return relative !== undefined && withAncestors(relative).some((r) => path.join(folder, r) === file);
      })
    );
  }

  private updateRegistrations(): void {
    const files: SchemaFilePattern[] = [];
    const watched: SchemaFilePattern[] = [];
    for (const folder of this.folders) {
      const { relative } = this.schemaFileOf(folder);
      if (relative === undefined) continue;
      files.push({ baseUri: fileUri(folder), pattern: relative });
      watched.push(...withAncestors(relative).map((r) => ({ baseUri: fileUri(folder), pattern: r })));
    }
    this.registrations.update(files, watched);
  }
}

function toDiagnostic(p: LocatedSchemaProblem): Diagnostic {
  return {
    range: p.range,
    severity: p.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: 'finlabel',
    code: 'label-schema',
    message: p.message,
  };
}

/** The path of a file: URI, as a one-element list (empty for other schemes). */
function filePathOf(uri: string): string[] {
  if (!uri.startsWith('file:')) return [];
  try {
    return [path.resolve(fileURLToPath(uri))];
  } catch {
    return [];
  }
}

/** 'a/b/labels.json' -> ['a', 'a/b', 'a/b/labels.json']. */
function withAncestors(relative: string): string[] {
  const parts = relative.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
