/**
 * FinLabel's extensions to the Language Server Protocol: everything the extension and the
 * language server say to each other beyond standard LSP (hover and diagnostics are standard).
 * One definition per message; both sides import it from here.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { AgreementReport, DatasetStats, SplitSummary } from './datasetReports';
import type { LabelType } from './labelSchema';
import type { WorkerStatus } from './workerProtocol';

/** LSP-compatible position: zero-based line and UTF-16 character. */
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface TextEdit {
  range: Range;
  newText: string;
}

/** A gold span of a record, placed in the document for decorations. */
export interface SpanDecoration {
  range: Range;
  /** Canonical display name of the type (from the schema), or the raw entity when unknown. */
  entity: string;
  tag: string;
  color: string;
  value: string;
  start: number;
  end: number;
  /** True when it overlaps another span of the same record. */
  overlaps: boolean;
  /** True when the label's entity is not in the schema. */
  unknownType: boolean;
}

/** Server -> client: the gold spans of a document at a version, for decorations. */
export interface DocumentSpansParams {
  uri: string;
  version: number;
  spans: SpanDecoration[];
}
export const documentSpansNotification = new NotificationType<DocumentSpansParams>('finlabel/documentSpans');

/** Client -> server: the label types the user can choose from. */
export const labelTypesRequest = new RequestType0<LabelType[], void>('finlabel/labelTypes');

/** Client -> server: compute the edit that labels the selected characters of a record. */
export interface LabelSelectionParams {
  uri: string;
  version: number;
  range: Range;
  entity: string;
}
export type LabelSelectionResult =
  | { ok: true; edit: TextEdit; label: { entity: string; value: string; start: number; end: number } }
  | { ok: false; message: string };
export const labelSelectionRequest = new RequestType<LabelSelectionParams, LabelSelectionResult, void>(
  'finlabel/labelSelection',
);

/** Server -> client: the worker's state changed (status bar). */
export const workerStatusNotification = new NotificationType<WorkerStatus>('finlabel/workerStatus');
/** Client -> server: current worker state, starting the worker when asked. */
export interface WorkerStatusParams {
  start: boolean;
}
export const workerStatusRequest = new RequestType<WorkerStatusParams, WorkerStatus, void>('finlabel/workerStatus');
export const restartWorkerRequest = new RequestType0<WorkerStatus, void>('finlabel/restartWorker');
export const stopWorkerRequest = new RequestType0<WorkerStatus, void>('finlabel/stopWorker');

/** Client -> server: write the sample workspace files into a folder. */
export interface RegenerateSamplesParams {
  folder: string;
  seed: number;
}
export interface RegenerateSamplesResult {
  files: string[];
}
export const regenerateSamplesRequest = new RequestType<RegenerateSamplesParams, RegenerateSamplesResult, void>(
  'finlabel/regenerateSamples',
);

/** Initialization options the extension passes to the server. */
export interface ServerInitializationOptions {
  /** Absolute path to the Python interpreter chosen for the worker ('' = default lookup). */
  pythonPath: string;
  /** Folder holding the worker's Python package (dist/worker in the extension). */
  workerDir: string;
  /** Interpreter of the environment created by the extension's command, if it exists. */
  managedPythonPath: string;
  startWorker: boolean;
}
/** Client -> server: settings changed. */
export const configurationChangedNotification = new NotificationType<ServerInitializationOptions>(
  'finlabel/configurationChanged',
);

/** Client -> server: create a virtual environment with the worker's pinned requirements. */
export interface CreateEnvironmentParams {
  /** Folder of the new environment. */
  venvDir: string;
  /** Interpreter that creates it ('' = the configured one, else python3 on PATH). */
  basePython: string;
}
export interface CreateEnvironmentResult {
  pythonPath: string;
}
export const createEnvironmentRequest = new RequestType<CreateEnvironmentParams, CreateEnvironmentResult, void>(
  'finlabel/createEnvironment',
);
/** Server -> client: a step of environment creation (pip's progress). */
export interface EnvironmentProgressParams {
  message: string;
  /** Percentage points of the whole job this step completes, when known. */
  increment?: number;
}
export const environmentProgressNotification = new NotificationType<EnvironmentProgressParams>('finlabel/environmentProgress');

/** A record as the annotation view shows it. */
export interface RecordView {
  /** 0-based line in the document. */
  line: number;
  /** Position among the document's records (0-based) and their count. */
  index: number;
  total: number;
  id: string | null;
  /** Decoded text, or null when the line is not a valid record. */
  text: string | null;
  spans: { start: number; end: number; entity: string; tag: string; color: string; overlaps: boolean }[];
  problems: string[];
}
/** Client -> server: record `index` of a dataset document (clamped to the valid range). */
export interface RecordViewParams {
  uri: string;
  index: number;
}
export const recordViewRequest = new RequestType<RecordViewParams, RecordView | null, void>('finlabel/recordView');

/** Client -> server: which server process answers (for the status command and crash tests). */
export interface ServerInfo {
  pid: number;
  version: string;
  /** Seconds since the process started. */
  uptime: number;
}
export const serverInfoRequest = new RequestType0<ServerInfo, void>('finlabel/serverInfo');

/**
 * Dataset commands (statistics, split, agreement): the server reads the dataset (an open document's
 * text, unsaved edits included, else the file on disk) and answers with the figures and a Markdown
 * rendering of them for the extension to show.
 */
export type DatasetCommandResult<T> = { ok: true; result: T; markdown: string } | { ok: false; message: string };

/** Client -> server: statistics of a dataset JSONL. */
export interface DatasetStatsParams {
  uri: string;
}
export const datasetStatsRequest = new RequestType<DatasetStatsParams, DatasetCommandResult<DatasetStats>, void>('finlabel/datasetStats');

/** Client -> server: split a dataset JSONL into train/dev/test files in outDir. */
export interface SplitDatasetParams {
  uri: string;
  /** Absolute folder for train.jsonl, dev.jsonl, test.jsonl. */
  outDir: string;
  ratios: number[];
  seed: number;
  /** Overwrite split files that exist and are not empty. */
  force: boolean;
}
/** When the split would overwrite files and force is false, wouldOverwrite lists them (nothing was written). */
export type SplitDatasetResult = DatasetCommandResult<SplitSummary> | { ok: false; message: string; wouldOverwrite: string[] };
export const splitDatasetRequest = new RequestType<SplitDatasetParams, SplitDatasetResult, void>('finlabel/splitDataset');

/** Client -> server: annotator agreement between two files, or between two annotators of one file. */
export interface AnnotatorAgreementParams {
  uriA: string;
  /** The second file; absent: compare `annotators` within uriA. */
  uriB?: string;
  annotators?: [string, string];
  /** With two files: keep only this annotator's labels of A (of B). */
  annotatorA?: string;
  annotatorB?: string;
}
export const annotatorAgreementRequest = new RequestType<AnnotatorAgreementParams, DatasetCommandResult<AgreementReport>, void>(
  'finlabel/annotatorAgreement',
);
