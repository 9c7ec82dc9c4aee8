import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DiagnosticSeverity,
  type Connection,
  type Diagnostic,
  type Hover,
  type InlayHint,
  type Position,
  type Range,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { creditFileStatusNotification, type CreditFileStatus, type CreditScoringSettings, type NextUncertainCreditRowResult } from '../../common/lspProtocol';
import { CreditConfigError } from './creditColumns';
import { decodeCsvBytes, CsvEncodingError, type CsvEncoding } from './csvBytes';
import { CsvSyntaxError } from './csvTable';
import type { WorkerService } from '../lsp/workerService';
import { WorkerUnavailableError } from '../worker/workerSupervisor';
import { CreditModelError, creditModelKey, loadCreditModel, type CreditModel } from './creditModelFolder';
import { fileDiagnostic, fileStatusLine, problemDiagnostics, rowHoverMarkdown, scoreLabel } from './creditPresentation';
import { CreditProbabilities } from './creditProbabilities';
import { creditFileRows, type CreditFileRows, type CreditRow } from './creditRows';
import { fileShiftWarning, TrainingReferences } from './fileStability';
import { rowReasons, type RowReason } from './rowReasons';
import { nextUncertainCreditRow } from './uncertainRows';

/** Scoring waits for typing to pause this long. */
const ANALYSIS_DELAY_MS = 200;

export const isCsvUri = (uri: string): boolean => uri.toLowerCase().endsWith('.csv');

interface ScoredRows {
  model: CreditModel;
  rows: CreditFileRows;
  /** The row on each 0-based document line it spans. */
  rowAt: Map<number, CreditRow>;
  /** Features shifted from the training split (PSI above 0.25), in one sentence; null when none. */
  shift: string | null;
}

interface CsvState {
  /** The document version the rows, diagnostics and status are for. */
  version: number;
  status: CreditFileStatus;
  scored?: ScoredRows;
  /** Diagnostics of rows and cells; `fileProblem` is a single one about the file, model or worker. */
  rowDiagnostics: Diagnostic[];
  fileProblem?: Diagnostic;
  timer?: ReturnType<typeof setTimeout>;
}

function lineText(doc: TextDocument, line: number): string {
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return text.replace(/\r?\n$|\r$/, '');
}

/**
 * Credit scores in open CSV files: each data row is turned into the prompt the model was trained on
 * (with its saved imputation), scored by the worker in batches (rows whose prompt was scored before
 * are not sent again), and shown as an inlay hint at the row's end, a hover, and diagnostics for bad
 * rows. Results for an older version of a document are dropped.
 */
export class CreditDocuments {
  private settings: CreditScoringSettings = { modelPath: '', threshold: 0.5 };
  private readonly states = new Map<string, CsvState>();
  private loaded: CreditModel | undefined;
  private probabilities: CreditProbabilities | undefined;
  private scoring: Promise<void> = Promise.resolve();
  private worker: WorkerService | undefined;
  private canRefreshHints = false;
  private readonly references = new TrainingReferences();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
  ) {
    documents.onDidChangeContent((e) => {
      if (isCsvUri(e.document.uri)) this.schedule(e.document.uri);
    });
    documents.onDidClose((e) => {
      if (!isCsvUri(e.document.uri)) return;
      clearTimeout(this.states.get(e.document.uri)?.timer);
      this.states.delete(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });
  }

  initialize(worker: WorkerService, settings: CreditScoringSettings | undefined, canRefreshHints: boolean): void {
    this.worker = worker;
    this.canRefreshHints = canRefreshHints;
    if (settings) this.settings = settings;
    // Files that waited for the worker are scored once it is ready.
    worker.supervisor.onDidChangeStatus((status) => {
      if (status.state !== 'ready') return;
      for (const [uri, state] of this.states) if (state.status.state === 'worker-unavailable') this.schedule(uri);
    });
  }

  configure(settings: CreditScoringSettings | undefined): void {
    const next = settings ?? { modelPath: '', threshold: 0.5 };
    const modelChanged = next.modelPath !== this.settings.modelPath;
    this.settings = next;
    if (modelChanged) for (const uri of this.states.keys()) this.schedule(uri);
    else this.refreshHints();
  }

  inlayHints(uri: string, range: Range): InlayHint[] {
    const doc = this.documents.get(uri);
    const state = this.states.get(uri);
    const probabilities = this.probabilities;
    if (!doc || !state?.scored || state.version !== doc.version || !probabilities) return [];
    const hints: InlayHint[] = [];
    for (const row of state.scored.rows.rows) {
      const line = row.endLine - 1;
      if (line < range.start.line || line > range.end.line) continue;
      const p = probabilities.get(row.prompt);
      if (p === undefined) continue;
      hints.push({
        position: { line, character: lineText(doc, line).length },
        label: scoreLabel(p, this.settings.threshold),
        paddingLeft: true,
        tooltip: `P(违约) = ${p.toFixed(4)}; 高风险 from ${this.settings.threshold} (finlabel.credit.threshold). Hover the row for the prompt.`,
      });
    }
    return hints;
  }

  async hover(uri: string, position: Position): Promise<Hover | null> {
    const doc = this.documents.get(uri);
    const state = this.states.get(uri);
    if (!doc || !state || state.version !== doc.version) return null;
    const range = { start: { line: position.line, character: 0 }, end: { line: position.line, character: lineText(doc, position.line).length } };
    const fileLine = fileStatusLine(state.status, state.scored?.model.dir ?? (this.settings.modelPath || undefined));
    const row = state.scored?.rowAt.get(position.line);
    if (row && state.scored) {
      const p = this.probabilities?.get(row.prompt);
      const reasons = p === undefined ? undefined : await this.reasonsOf(state.scored, row);
      return {
        contents: {
          kind: 'markdown',
          value: rowHoverMarkdown(row, p, this.settings.threshold, state.scored.model.settings.imputation, `*${fileLine}*`, reasons),
        },
        range,
      };
    }
    if (position.line === 0) return { contents: { kind: 'markdown', value: `**FinLabel credit scores**: ${fileLine}` }, range };
    return null;
  }

  /** The row's reasons (its counterfactuals scored by the worker, cached); undefined when the worker cannot score them now. */
  private async reasonsOf(scored: ScoredRows, row: CreditRow): Promise<RowReason[] | undefined> {
    const probabilities = this.probabilities;
    const worker = this.worker;
    if (!probabilities || !worker) return undefined;
    try {
      const reasons = await rowReasons(
        scored.model,
        scored.rows.header,
        [row],
        probabilities,
        async (batch) => (await worker.jobs.scoreCredit({ modelDir: scored.model.dir, batch })).probabilities,
      );
      return reasons.get(row.line);
    } catch {
      return undefined;
    }
  }

  /** The row with an empty label cell after the one on `fromLine` in closeness of P(违约) to the threshold, among the rows scored so far. */
  nextUncertainRow(uri: string, fromLine: number | undefined): NextUncertainCreditRowResult {
    const doc = this.documents.get(uri);
    const state = this.states.get(uri);
    if (!doc || !state) return { ok: false, reason: 'not-open', message: 'This CSV file is not open (or not read yet); open it and try again.' };
    const { status, scored } = state;
    if (!scored || state.version !== doc.version || !this.probabilities || (status.state !== 'scoring' && status.state !== 'scored')) {
      return { ok: false, reason: status.state, message: status.message };
    }
    const probabilities = this.probabilities;
    return nextUncertainCreditRow(
      scored.rows,
      scored.model.settings.columns.label.name,
      (row) => probabilities.get(row.prompt),
      this.settings.threshold,
      fromLine,
    );
  }

  private schedule(uri: string): void {
    const state = this.states.get(uri);
    clearTimeout(state?.timer);
    const timer = setTimeout(() => {
      try {
        this.analyse(uri);
      } catch (err) {
        // A bug here must not take the server (and every other open file) down: log it, show no scores.
        this.connection.console.error(`credit scores of ${uri} failed: ${(err as Error).stack ?? String(err)}`);
      }
    }, ANALYSIS_DELAY_MS);
    if (state) state.timer = timer;
    else this.states.set(uri, { version: -1, status: this.status(uri, null, 'scoring', 'reading the file', 0, 0, 0), rowDiagnostics: [], timer });
  }

  private status(
    uri: string,
    encoding: CsvEncoding | null,
    state: CreditFileStatus['state'],
    message: string,
    rows: number,
    scored: number,
    problems: number,
    shift: string | null = null,
  ): CreditFileStatus {
    return { uri, encoding, state, message, rows, scored, problems, shift };
  }

  /** The configured model, loaded again when its files change; a CreditModelError says what is wrong. */
  private model(): CreditModel | undefined {
    const dir = this.settings.modelPath;
    if (!dir) {
      this.loaded = undefined;
      return undefined;
    }
    const current = this.loaded;
    if (current && current.dir === path.resolve(dir) && current.key === creditModelKey(current.dir)) return current;
    this.loaded = undefined;
    const model = loadCreditModel(dir);
    this.loaded = model;
    if (this.probabilities?.modelKey !== model.key) this.probabilities = new CreditProbabilities(model.key);
    return model;
  }

  private analyse(uri: string): void {
    const doc = this.documents.get(uri);
    const state = this.states.get(uri);
    if (!doc || !state) return;
    state.version = doc.version;
    state.scored = undefined;
    state.rowDiagnostics = [];
    state.fileProblem = undefined;
    const file = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
    const name = file ? path.basename(file) : uri;
    const disk = file ? readDisk(file) : undefined;
    const encoding = disk?.encoding ?? null;
    const text = doc.getText();
    // VS Code shows a GBK file as UTF-8 unless files.encoding says otherwise: then only the bytes on disk are right.
    const fromDisk = encoding === 'gbk' && text.includes('\uFFFD') && disk !== undefined;
    const bytes = fromDisk ? disk.bytes : Buffer.from(text, 'utf8');
    const report = (st: CreditFileStatus['state'], message: string, problem?: Diagnostic): void => {
      state.status = this.status(uri, encoding, st, message, 0, 0, 0);
      state.fileProblem = problem;
      this.publish(uri, state);
    };

    let model: CreditModel | undefined;
    try {
      model = this.model();
    } catch (err) {
      if (!(err instanceof CreditModelError)) throw err;
      report(
        'model-error',
        `the credit model cannot be used: ${err.message}`,
        fileDiagnostic(`Credit scores: the model set in finlabel.creditModel.path cannot be used: ${err.message}`, DiagnosticSeverity.Warning),
      );
      return;
    }
    if (!model) {
      report('no-model', 'no credit model: set finlabel.creditModel.path to a trained credit model folder to see scores');
      return;
    }
    let rows: CreditFileRows;
    try {
      rows = creditFileRows(bytes, name, model);
    } catch (err) {
      if (err instanceof CsvSyntaxError)
        return report('not-scorable', err.message, fileDiagnostic(err.detail, DiagnosticSeverity.Error, err.line - 1, 'credit-csv-syntax'));
      if (err instanceof CsvEncodingError) return report('not-scorable', err.message, fileDiagnostic(err.message, DiagnosticSeverity.Error));
      if (err instanceof CreditConfigError) {
        // A CSV with none of the model's columns is some other table: say so only in the status.
        const header = lineText(doc, 0)
          .split(',')
          .map((h) => h.trim().replace(/^"|"$/g, ''));
        const related = model.settings.columns.features.some((f) => header.includes(f.name));
        return report(
          'not-scorable',
          `not scored: ${err.message}`,
          related ? fileDiagnostic(`Credit scores: ${err.message}`, DiagnosticSeverity.Information) : undefined,
        );
      }
      throw err;
    }
    const rowAt = new Map<number, CreditRow>();
    for (const row of rows.rows) for (let line = row.line - 1; line < row.endLine; line++) rowAt.set(line, row);
    state.scored = { model, rows, rowAt, shift: fileShiftWarning(model, this.references.of(model), rows) };
    state.rowDiagnostics = problemDiagnostics(rows.problems, rows.header, (line) => lineText(doc, line));
    const source = fromDisk
      ? ' (read from disk: VS Code shows this GBK file as UTF-8; set "files.encoding": "gbk" to edit it, unsaved edits are not scored)'
      : '';
    state.status = this.status(
      uri,
      encoding,
      'scoring',
      `scoring ${rows.rows.length} rows${source}`,
      rows.rows.length,
      0,
      rows.problems.length,
      state.scored.shift,
    );
    this.updateScoredCount(uri, state, source);
    this.publish(uri, state);
    const version = doc.version;
    this.scoring = this.scoring.then(() => this.score(uri, version, source));
  }

  private async score(uri: string, version: number, source: string): Promise<void> {
    const state = this.states.get(uri);
    const probabilities = this.probabilities;
    const worker = this.worker;
    if (!state?.scored || state.version !== version || !probabilities || !worker) return;
    const { model, rows } = state.scored;
    const stale = (): boolean => this.states.get(uri) !== state || state.version !== version || this.probabilities !== probabilities;
    try {
      await probabilities.fill(rows.rows, async (batch) => (await worker.jobs.scoreCredit({ modelDir: model.dir, batch })).probabilities, {
        stale,
        afterBatch: () => {
          if (stale()) return;
          this.updateScoredCount(uri, state, source);
          this.refreshHints();
        },
      });
      if (stale()) return;
      state.fileProblem = undefined;
      this.updateScoredCount(uri, state, source);
      this.publish(uri, state);
      this.refreshHints();
    } catch (err) {
      if (stale()) return;
      const why = err instanceof WorkerUnavailableError ? `the Python worker is not available: ${err.message}` : `scoring failed: ${(err as Error).message}`;
      state.status = { ...state.status, state: 'worker-unavailable', message: `no scores: ${why}` };
      state.fileProblem = fileDiagnostic(`Credit scores: ${why}`, DiagnosticSeverity.Information);
      this.publish(uri, state);
    }
  }

  private updateScoredCount(uri: string, state: CsvState, source: string): void {
    if (!state.scored || !this.probabilities) return;
    const probabilities = this.probabilities;
    const rows = state.scored.rows.rows;
    const scored = rows.filter((r) => probabilities.get(r.prompt) !== undefined).length;
    const done = scored === rows.length;
    const problems = state.scored.rows.problems.length;
    const message = `${done ? 'scored' : 'scoring'} ${scored} of ${rows.length} rows${problems > 0 ? `, ${problems} reported` : ''}${source}`;
    state.status = this.status(uri, state.status.encoding, done ? 'scored' : 'scoring', message, rows.length, scored, problems, state.scored.shift);
    void this.connection.sendNotification(creditFileStatusNotification, state.status);
  }

  private publish(uri: string, state: CsvState): void {
    const diagnostics = state.fileProblem ? [state.fileProblem, ...state.rowDiagnostics] : state.rowDiagnostics;
    void this.connection.sendDiagnostics({ uri, version: state.version, diagnostics });
    void this.connection.sendNotification(creditFileStatusNotification, state.status);
  }

  private refreshHints(): void {
    if (this.canRefreshHints) this.connection.languages.inlayHint.refresh().catch(() => undefined);
  }
}

function readDisk(file: string): { bytes: Buffer; encoding: CsvEncoding } | undefined {
  try {
    const bytes = readFileSync(file);
    return { bytes, encoding: decodeCsvBytes(bytes, file).encoding };
  } catch {
    return undefined;
  }
}
