/**
 * FinLabel's extensions to the Language Server Protocol: everything the extension and the
 * language server say to each other beyond standard LSP (hover and diagnostics are standard).
 * One definition per message; both sides import it from here. The params of the messages the
 * client sends are zod schemas in lspSchemas.ts, their types derived from them and re-exported
 * here; the server checks every such message against its schema (src/server/lsp/checkedHandlers.ts).
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { ConversionReport } from './interchange';
import type { AgreementReport, DatasetStats, SplitSummary } from './datasetReports';
import type { EvaluationReport } from './evaluationReport';
import type { KeyTermsRow } from './keyTerms';
import type { LabelType } from './labelSchema';
import type { JobProgress, TrainResult, WorkerProblem, WorkerStatus } from './workerProtocol';
import type {
  AnnotatorAgreementParams,
  BackgroundRetrainingSettings,
  ConvertDatasetParams,
  CreateEnvironmentParams,
  CreateLabelSchemaFileParams,
  DatasetStatsParams,
  EditRecordLabelsParams,
  EvaluateModelParams,
  KeyTermsParams,
  LineRange,
  NextUncertainCreditRowParams,
  NextUncertainRecordParams,
  Range,
  RecordViewParams,
  RegenerateSamplesParams,
  RejectedSuggestionsParams,
  ScoreRecordsParams,
  ServerInitializationOptions,
  SplitDatasetParams,
  SuggestionSourceStatsParams,
  TrainingCancelParams,
  TrainingStartParams,
  TrainingTask,
  VisibleLinesParams,
  WorkerStatusParams,
} from './lspSchemas';

/** The params of the messages the client sends, and the settings they carry: declared once, as schemas. */
export type * from './lspSchemas';

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
  /**
   * The lines these spans cover, for a large document (the ones on screen and a margin around
   * them); absent when they cover the whole document.
   */
  lines?: LineRange[];
}
export const documentSpansNotification = new NotificationType<DocumentSpansParams>('finlabel/documentSpans');

/** Client -> server: the lines of a document that editors show, so spans come for those first. */
export const visibleLinesNotification = new NotificationType<VisibleLinesParams>('finlabel/visibleLines');

/** Client -> server: the label types the user can choose from (the schema in use). */
export const labelTypesRequest = new RequestType0<LabelType[], void>('finlabel/labelTypes');

/** Server -> client: the label schema in use, sent when the server starts and whenever it changes. */
export interface LabelSchemaChangedParams {
  types: LabelType[];
  /** Where the types come from, in words: the schema file's path, the setting, or the built-in defaults. */
  source: string;
  /** The schema file's URI, when the types come from one. */
  uri?: string;
}
export const labelSchemaChangedNotification = new NotificationType<LabelSchemaChangedParams>('finlabel/labelSchemaChanged');

/** Client -> server: write a workspace folder's schema file from the schema in use, unless it exists. */
export type CreateLabelSchemaFileResult = { ok: true; uri: string; created: boolean } | { ok: false; message: string };
export const createLabelSchemaFileRequest = new RequestType<CreateLabelSchemaFileParams, CreateLabelSchemaFileResult, void>('finlabel/createLabelSchemaFile');

/** Server -> client: the worker's state changed (status bar). */
export const workerStatusNotification = new NotificationType<WorkerStatus>('finlabel/workerStatus');
/** Client -> server: current worker state, starting the worker when asked. */
export const workerStatusRequest = new RequestType<WorkerStatusParams, WorkerStatus, void>('finlabel/workerStatus');
export const restartWorkerRequest = new RequestType0<WorkerStatus, void>('finlabel/restartWorker');
export const stopWorkerRequest = new RequestType0<WorkerStatus, void>('finlabel/stopWorker');

/** Client -> server: write the sample workspace files into a folder. */
export interface RegenerateSamplesResult {
  files: string[];
}
export const regenerateSamplesRequest = new RequestType<RegenerateSamplesParams, RegenerateSamplesResult, void>('finlabel/regenerateSamples');

/** Background retraining when the settings say nothing. */
export const BACKGROUND_RETRAINING_DEFAULTS: BackgroundRetrainingSettings = { enabled: true, afterLabels: 25, trainingSeconds: 40 };

/** Server -> client: where background retraining stands for the dataset it last looked at. */
export interface BackgroundRetrainingStatus {
  /**
   * off: the setting is off; counting: label changes since the last retrain, below afterLabels;
   * training: a retrain runs (or waits behind a job started by the user); swapped: the retrained model
   * scored at least as well on its dev split and is now active (the client sets it); kept: it scored
   * worse and the active model stays; failed / cancelled: the retrain ended without a model.
   */
  state: 'off' | 'counting' | 'training' | 'swapped' | 'kept' | 'failed' | 'cancelled';
  /** File-system path of the dataset; null when off. */
  dataset: string | null;
  /** Label changes since the last retrain started (added, changed or removed labels). */
  changes: number;
  afterLabels: number;
  /** One line for the status bar's tooltip and the log. */
  message: string;
  /** swapped: the new model folder, to make active. */
  modelDir?: string;
  /** swapped / kept: strict micro F1 of the active and the retrained model on the retrain's dev split. */
  devF1?: { active: number | null; retrained: number };
}
export const backgroundRetrainingNotification = new NotificationType<BackgroundRetrainingStatus>('finlabel/backgroundRetraining');
/**
 * Server -> client: the labels (short keys of record text, span and type) a dataset's count of label
 * changes starts from. The client keeps the last one per dataset in workspace state and hands them back
 * in initialize's options, so the count toward the next retrain survives a restart of the server or of
 * VS Code.
 */
export interface RetrainingBaseline {
  /** The dataset's URI. */
  dataset: string;
  keys: string[];
}
export const retrainingBaselineNotification = new NotificationType<RetrainingBaseline>('finlabel/backgroundRetraining/baseline');
/**
 * In Chinese every character is a token, so a labelled 保证 is found again inside 保证人 and 保证期间:
 * below 0.2, the simulated annotator (bench/README.md) got 3.7 wrong suggestions a record on court
 * judgments, 0.9 at 0.2; on CLUENER from record 400 on, 29% of gold suggested at 0.52 wrong a record at
 * 0, 26% at 0.31 at 0.2.
 */
export const STRING_MATCH_MIN_CONFIDENCE = 0.2;
/**
 * A model's prediction is offered as a suggestion (accept or reject) only from this calibrated
 * confidence on: more likely right than wrong. The card's threshold is chosen for the best F1, which on
 * a model retrained from a few hundred records lets through spans that are right one time in four. On
 * CLUENER from record 400 on, the simulated annotator (bench/README.md) got 47% of gold suggested
 * exactly at 0.94 wrong a record at the card's threshold, 41% at 0.46 at 0.5.
 */
export const MODEL_SUGGESTION_MIN_CONFIDENCE = 0.5;
/** Client -> server: settings changed (the same options as initialize's initializationOptions). */
export const configurationChangedNotification = new NotificationType<ServerInitializationOptions>('finlabel/configurationChanged');

/** Client -> server: create a virtual environment with the worker's pinned requirements. */
export interface CreateEnvironmentResult {
  pythonPath: string;
}
export const createEnvironmentRequest = new RequestType<CreateEnvironmentParams, CreateEnvironmentResult, void>('finlabel/createEnvironment');
/** Server -> client: a step of environment creation (pip's progress). */
export interface EnvironmentProgressParams {
  message: string;
  /** Percentage points of the whole job this step completes, when known. */
  increment?: number;
}
export const environmentProgressNotification = new NotificationType<EnvironmentProgressParams>('finlabel/environmentProgress');

/**
 * Which records the annotation view steps through. 'uncertain': the unlabelled records the active
 * entity model is least sure of, most uncertain first; 'disagrees': records whose gold labels differ
 * from the active model's predictions.
 */
export const RECORD_FILTERS = ['all', 'unlabelled', 'problems', 'uncertain', 'disagrees'] as const;
export type RecordFilter = (typeof RECORD_FILTERS)[number];
/** The filters that need the active entity model's predictions. */
export const MODEL_FILTERS: readonly RecordFilter[] = ['uncertain', 'disagrees'];

/** A label type as the annotation view offers it: its colour and the key that assigns it. */
export interface LabelTypeView {
  name: string;
  tag: string;
  color: string;
  /** '1'..'9', when the schema gives the type a key. */
  key?: string;
  description: string;
}

/** A record as the annotation view shows it. */
export interface RecordView {
  uri: string;
  /** The document version the record was read from (edits must name it). */
  version: number;
  /** 0-based line in the document. */
  line: number;
  /** Position among the document's records (0-based) and their count. */
  index: number;
  total: number;
  id: string | null;
  /** Decoded text, or null when the line is not a valid record. */
  text: string | null;
  spans: {
    /** The label's index in the record's "labels" array (what edits name). */
    labelIndex: number;
    start: number;
    end: number;
    entity: string;
    tag: string;
    color: string;
    overlaps: boolean;
    /** Who made the label (its "annotator" string), when it says. */
    annotator?: string;
    /** The span's normalized value in words (src/common/normalizedValue.ts), for a type that has one. */
    normalized?: string;
  }[];
  /** The annotators of the record's labels, in order of first appearance. */
  annotators: string[];
  problems: string[];
  /** The schema's label types, in order. */
  types: LabelTypeView[];
  /** Records with at least one label, of `total`. */
  labelled: number;
  filter: {
    kind: RecordFilter;
    /** Records the filter keeps. */
    matching: number;
    /** This record is one of them. */
    matches: boolean;
    /** The nearest matching records before and after this one (null: none). */
    previous: number | null;
    next: number | null;
    /** A direction was asked for and no record in it matches: the record asked from is returned. */
    exhausted: boolean;
    /** A model's filter: which model and how many records it covers, or why it keeps none (no model). */
    note?: string;
  };
  /**
   * The record's suggestions, every source merged (not rejected, not already labels), in start order.
   * Absent while the document has none to offer (never pre-annotated, and no string to match: string
   * matching off or nothing labelled); empty when this record has none (left).
   */
  suggestions?: SuggestionView[];
  /**
   * The active entity model's spans of the record (those it shows: calibrated, at the threshold) beside
   * its gold labels, and how they differ: only under the "Disagrees with the model" filter, on a record
   * the model has predicted.
   */
  model?: RecordModelView;
}
/** A span of a record's text (code points) with its type, colour, text and confidence, as the annotation view shows it. */
export interface ScoredSpanView {
  start: number;
  end: number;
  entity: string;
  tag: string;
  color: string;
  value: string;
  confidence: number | null;
}
/** One span the model predicts in a record; `agrees`: a gold label has its span and type. */
export interface ModelSpanView extends ScoredSpanView {
  agrees: boolean;
}
export interface RecordModelView {
  name: string;
  spans: ModelSpanView[];
  /** Each difference as a sentence (missed, spurious, wrong type, wrong boundary), in text order. */
  disagreements: string[];
}
/**
 * Client -> server: record `index` of a dataset document (clamped to the valid range); with a
 * direction, the matching record found from `index` that way.
 */
export const recordViewRequest = new RequestType<RecordViewParams, RecordView | null, void>('finlabel/recordView');

/** The key terms of a dataset's records, or of a contract file (one row). */
export interface KeyTermsView {
  uri: string;
  /** The entity model whose spans fill the terms without gold labels, when one has run on the document. */
  model: string | null;
  /** The first records' rows (at most MAX_KEY_TERM_ROWS of the server), of `records`. */
  rows: KeyTermsRow[];
  records: number;
}
/** Client -> server: the key terms of an open dataset or contract file; null when the server has no such document open. */
export const keyTermsRequest = new RequestType<KeyTermsParams, KeyTermsView | null, void>('finlabel/keyTerms');

/** Client -> server: which server process answers (for the status command and crash tests). */
export interface ServerInfo {
  pid: number;
  version: string;
  /** Seconds since the process started. */
  uptime: number;
  /** The process's memory, in bytes (Node's process.memoryUsage()). */
  memory: { rss: number; heapUsed: number };
}
export const serverInfoRequest = new RequestType0<ServerInfo, void>('finlabel/serverInfo');

/** Client -> server: the edit that makes the change (a RecordLabelOperation) on line `line` of the document at `version`. */
/** One minimal edit of the line, and what it does in words. */
export type LabelEditResult = { ok: true; edit: TextEdit; description: string } | { ok: false; message: string };
export const editRecordLabelsRequest = new RequestType<EditRecordLabelsParams, LabelEditResult, void>('finlabel/editRecordLabels');

/** Client -> server: convert a dataset file to (export) or from (import) another tool's format. */
export type ConvertDatasetResult =
  | {
      ok: true;
      /** False when the input could not be read as the format at all: nothing was written. */
      written: boolean;
      input: string;
      output: string;
      records: number;
      labels: number;
      reports: ConversionReport[];
    }
  | { ok: false; message: string };
export const convertDatasetRequest = new RequestType<ConvertDatasetParams, ConvertDatasetResult, void>('finlabel/convertDataset');
/**
 * Dataset commands (statistics, split, agreement): the server reads the dataset (an open document's
 * text, unsaved edits included, else the file on disk) and answers with the figures and a Markdown
 * rendering of them for the extension to show.
 */
export type DatasetCommandResult<T> = { ok: true; result: T; markdown: string } | { ok: false; message: string };

/** Client -> server: statistics of a dataset JSONL. */
export const datasetStatsRequest = new RequestType<DatasetStatsParams, DatasetCommandResult<DatasetStats>, void>('finlabel/datasetStats');

/** Client -> server: split a dataset JSONL into train/dev/test files in outDir. */
/** When the split would overwrite files and force is false, wouldOverwrite lists them (nothing was written). */
export type SplitDatasetResult = DatasetCommandResult<SplitSummary> | { ok: false; message: string; wouldOverwrite: string[] };
export const splitDatasetRequest = new RequestType<SplitDatasetParams, SplitDatasetResult, void>('finlabel/splitDataset');

/** Client -> server: annotator agreement between two files, or between two annotators of one file. */
export const annotatorAgreementRequest = new RequestType<AnnotatorAgreementParams, DatasetCommandResult<AgreementReport>, void>('finlabel/annotatorAgreement');

/** What the credit scores of a CSV file are doing, for the status bar. */
export interface CreditFileStatus {
  uri: string;
  /** The encoding detected from the file's bytes; null when the file is not on disk (or unreadable). */
  encoding: 'utf-8' | 'utf-8-bom' | 'gbk' | null;
  state: 'no-model' | 'model-error' | 'not-scorable' | 'scoring' | 'scored' | 'worker-unavailable';
  /** One line saying what is going on (why there are no scores). */
  message: string;
  rows: number;
  scored: number;
  problems: number;
  /** The features whose distribution moved past PSI 0.25 from the model's training split, named in one sentence; null when none did (or it cannot be told). */
  shift: string | null;
}
/** Server -> client: the state of an open CSV file's credit scores changed. */
export const creditFileStatusNotification = new NotificationType<CreditFileStatus>('finlabel/creditFileStatus');

/** An entity the model predicts, placed in the document (a record's "text" or a contract file). */
export interface PredictionDecoration {
  range: Range;
  entity: string;
  tag: string;
  color: string;
  value: string;
  /** Code points of the record's (or the contract's) text, end exclusive. */
  start: number;
  end: number;
  /** The span's calibrated confidence (the model card's calibration; a model without one: its raw span score). */
  confidence: number | null;
}

/**
 * How a document's predictions compare with the model's development data, and the threshold that
 * chose what is shown. "Out of depth": far more of the spans the model finds here fall below the
 * threshold than on its dev data (src/server/calibration/outOfDepth.ts has the rule); then no
 * prediction is drawn, and the status bar and hovers say why.
 */
export interface PredictionDepth {
  /** The confidence threshold in force, and where it comes from. */
  threshold: number;
  thresholdSource: 'card' | 'setting' | 'none';
  /** Spans the model decoded in the predicted texts, and how many of them were below the threshold. */
  candidates: number;
  lowConfidence: number;
  /** The dev data's smoothed share of low-confidence spans. */
  expectedLowShare: number | null;
  outOfDepth: boolean;
  /** Confident spans not drawn because the document is out of depth. */
  hidden: number;
  /** In words, for the status bar, hovers and the output channel. */
  message: string;
}

/** Where predictions and gold labels of a record differ (the optional diagnostic layer). */
export type DisagreementKind = 'missed' | 'spurious' | 'wrong-type' | 'wrong-boundary';
export interface PredictionDisagreement {
  kind: DisagreementKind;
  range: Range;
  message: string;
}

/** Server -> client: the predicted entities of a document at a version (replaces the previous set). */
export interface DocumentPredictionsParams {
  uri: string;
  version: number;
  /** The model's name (card or folder name). */
  model: string;
  spans: PredictionDecoration[];
  /** Empty unless finlabel.predictions.showDisagreements is on. */
  disagreements: PredictionDisagreement[];
  /** The threshold and the out-of-depth assessment of the predicted texts; absent without a model. */
  depth?: PredictionDepth;
}
export const documentPredictionsNotification = new NotificationType<DocumentPredictionsParams>('finlabel/documentPredictions');

/** Server -> client: which entity model predicts (status bar, output channel). */
export interface PredictionModelStatus {
  state: 'off' | 'none' | 'loading' | 'ready' | 'error';
  /** The model's name and folder, when there is one. */
  model?: string;
  dir?: string;
  /** In words: what is active, or what is wrong with the folder. */
  message: string;
}
export const predictionModelNotification = new NotificationType<PredictionModelStatus>('finlabel/predictionModel');

// ---- Training jobs (the server queues them: the worker runs one job at a time) -----------------

/** Client -> server: queue a training job (from a TrainingBase). */
export type TrainingStartResult = { ok: true; job: TrainingJobInfo } | { ok: false; message: string };
export const trainingStartRequest = new RequestType<TrainingStartParams, TrainingStartResult, void>('finlabel/training/start');

/** Client -> server: cancel a queued or running job. */
export const trainingCancelRequest = new RequestType<TrainingCancelParams, { cancelled: boolean }, void>('finlabel/training/cancel');

export interface TrainingJobInfo {
  jobId: string;
  task: TrainingTask;
  /** File-system paths. */
  dataset: string;
  outDir: string;
  /** queued: waits for the job before it; preparing: tokenizing; running: in the worker. */
  state: 'queued' | 'preparing' | 'running';
  /** Jobs ahead of it (0 when it runs). */
  position: number;
  /** Started by background retraining, not by the user: it gives way to every job the user starts. */
  background?: true;
}
/** Client -> server: the jobs queued and running, and the worker's process id (for the status and tests). */
export interface TrainingJobsResult {
  jobs: TrainingJobInfo[];
  workerPid: number | null;
}
export const trainingJobsRequest = new RequestType0<TrainingJobsResult, void>('finlabel/training/jobs');

/** A dataset problem with its place, so the client can open it. Line is 1-based. */
export interface TrainingProblem {
  file: string;
  line: number;
  message: string;
}

/** Server -> client: a job's state changed, it made progress, or it has something to log. */
export interface TrainingProgressParams {
  job: TrainingJobInfo;
  /** One line for the log (progressLine of the worker's progress, or what the server did). */
  line: string;
  /** The worker's progress, when the line reports it. */
  progress?: JobProgress;
  /** The server's dev figure at the end of an epoch. */
  evaluation?: { epoch: number; name: string; metric: number };
}
export const trainingProgressNotification = new NotificationType<TrainingProgressParams>('finlabel/training/progress');

/** Why a job failed, so the client can offer the matching fix. */
export type TrainingFailureKind =
  'worker-unavailable' | 'missing-package' | 'base-model-invalid' | 'unsupported-architecture' | 'out-of-memory' | 'dataset' | 'internal';

/** Server -> client: a job ended. `notes` say what the server did on the way (a retry with half the batch). */
export type TrainingEndedParams = { job: TrainingJobInfo; notes: string[]; problems: TrainingProblem[] } & (
  | { outcome: 'finished'; modelDir: string; result: TrainResult }
  | {
      outcome: 'failed';
      kind: TrainingFailureKind;
      message: string;
      /** The worker's error code and data (missing files, batch size, ...), when it came from the worker. */
      code?: number;
      data?: unknown;
      /** The worker's problem, for worker-unavailable. */
      workerProblem?: WorkerProblem;
    }
  | {
      outcome: 'cancelled';
      message: string;
      /** A background retrain cancelled to let a job the user started run. */
      gaveWay?: true;
    }
);
export const trainingEndedNotification = new NotificationType<TrainingEndedParams>('finlabel/training/ended');

/** Client -> server: evaluate a trained model folder (entities or credit, as its card.json says) on a data file: the figures of `finlabel eval`. */
export type EvaluateModelResult = { ok: true; report: EvaluationReport } | { ok: false; message: string };
export const evaluateModelRequest = new RequestType<EvaluateModelParams, EvaluateModelResult, void>('finlabel/evaluateModel');

// ---- Model in the loop: uncertainty, the model's filters, pre-annotation ---------------------------

/**
 * Client -> server: predict the records of a dataset document that have no prediction from the active
 * entity model yet, at most `budget` of them (default 256), so the client can show progress and cancel
 * between calls. 'unlabelled': the records without labels (uncertainty, pre-annotation); 'labelled':
 * the records with labels (the "disagrees with the model" filter).
 */
export type ModelLoopFailure = { ok: false; reason: 'no-model' | 'not-dataset'; message: string };
export type ScoreRecordsResult =
  | {
      ok: true;
      model: string;
      /** Records of the selection, and how many of them have a prediction now. */
      records: number;
      scored: number;
      /** Records predicted by this call. */
      predicted: number;
      /** With preAnnotate: the model's suggestions the pre-annotated records show now (not rejected, not already labels, not outweighed by a more confident string match). */
      suggestions?: number;
    }
  | ModelLoopFailure;
export const scoreRecordsRequest = new RequestType<ScoreRecordsParams, ScoreRecordsResult, void>('finlabel/scoreRecords');

/**
 * Client -> server: the unlabelled record after the one on `fromLine` in uncertainty order (lowest
 * token margin first), among the records predicted so far; from a line that is not such a record, the
 * most uncertain one. A record's uncertainty is its lowest token margin p(best label) - p(second best).
 */
export interface UncertainRecord {
  line: number;
  /** Position among the document's records (0-based). */
  index: number;
  id: string | null;
  minMargin: number;
  /** 1 = the most uncertain. */
  rank: number;
}
export type NextUncertainRecordResult =
  | {
      ok: true;
      model: string;
      /** Null when no unlabelled record comes after `fromLine` in the order (or none is predicted). */
      record: UncertainRecord | null;
      /** Unlabelled records with a text, and how many of them are predicted (ranked). */
      unlabelled: number;
      scored: number;
    }
  | ModelLoopFailure;
export const nextUncertainRecordRequest = new RequestType<NextUncertainRecordParams, NextUncertainRecordResult, void>('finlabel/nextUncertainRecord');

/**
 * Client -> server: in a credit CSV, the data row with an empty label cell after the one on `fromLine`
 * in order of closeness of P(违约) to finlabel.credit.threshold (closest first), among the rows scored so far.
 */
export interface UncertainCreditRow {
  /** 0-based document lines of the row (a quoted cell may span lines). */
  line: number;
  endLine: number;
  probability: number;
  rank: number;
}
export type NextUncertainCreditRowResult =
  | { ok: true; row: UncertainCreditRow | null; threshold: number; unlabelled: number; scored: number }
  | { ok: false; reason: CreditFileStatus['state'] | 'not-open'; message: string };
export const nextUncertainCreditRowRequest = new RequestType<NextUncertainCreditRowParams, NextUncertainCreditRowResult, void>(
  'finlabel/nextUncertainCreditRow',
);

/**
 * Where a suggestion comes from (a recommender, as INCEpTION calls them): 'model', the active entity
 * model's prediction of a pre-annotated record; 'stringMatch', a string labelled elsewhere in the same
 * dataset, found again in this record on token boundaries.
 */
export const SUGGESTION_SOURCES = ['model', 'stringMatch'] as const;
export type SuggestionSource = (typeof SUGGESTION_SOURCES)[number];
/** How hovers, messages and the annotation view name each source. */
export const SUGGESTION_SOURCE_NAMES: Readonly<Record<SuggestionSource, string>> = { model: 'entity model', stringMatch: 'string match' };

/** A suggestion as the annotation view shows it: code points of the record's text. */
export interface SuggestionView extends ScoredSpanView {
  /** Identifies the suggestion across reloads: the record text's hash, the span and the type's tag. */
  key: string;
  source: SuggestionSource;
  /** Why the source suggests it, in words (string match: how often the string is labelled with the type). */
  basis?: string;
}
/** A suggestion placed in a dataset document (inside its record's "text"). */
export interface SuggestionDecoration extends SuggestionView {
  range: Range;
}
/** Server -> client: the suggestions of a document's records at a version, every source merged (replaces the previous set). */
export interface DocumentSuggestionsParams {
  uri: string;
  version: number;
  suggestions: SuggestionDecoration[];
  /** The lines these suggestions cover in a large document (the ones on screen and a margin); absent: the whole document. */
  lines?: LineRange[];
}
export const documentSuggestionsNotification = new NotificationType<DocumentSuggestionsParams>('finlabel/documentSuggestions');
/**
 * Client -> server: every suggestion the user rejected (their keys). The client keeps them in the
 * workspace's state (never in the dataset file) and sends the whole set on start and on each change.
 */
export const rejectedSuggestionsNotification = new NotificationType<RejectedSuggestionsParams>('finlabel/rejectedSuggestions');
/** The client command that rejects suggestions (code actions name it); arguments: RejectSuggestionsArgs. */
export const REJECT_SUGGESTIONS_COMMAND = 'finlabel.rejectSuggestions';
export interface RejectSuggestionsArgs {
  keys: string[];
  /** The source of each key's suggestion (same order), for the sources' precision in this workspace. */
  sources?: SuggestionSource[];
  /** What was rejected, in words, for the status bar. */
  description?: string;
  /** The dataset document the suggestions are in (their rejection is undone in step with its edits). */
  uri?: string;
  /** Reject all of a record (says so, with an Undo button) rather than one suggestion. */
  all?: boolean;
}
/**
 * The client command that counts accepted suggestions (each source once per suggestion) towards the
 * sources' precision in this workspace: the Accept code actions run it after their edit, the annotation
 * view after its edit is applied. Arguments: SuggestionsAcceptedArgs.
 */
export const SUGGESTIONS_ACCEPTED_COMMAND = 'finlabel.suggestionsAccepted';
export interface SuggestionsAcceptedArgs {
  sources: SuggestionSource[];
}
/**
 * Client -> server: the accept and reject counts of each suggestion source, kept in the workspace's
 * state (never in a data file); sent on start and on each change, for the hover on a suggestion.
 */
export const suggestionSourceStatsNotification = new NotificationType<SuggestionSourceStatsParams>('finlabel/suggestionSourceStats');
