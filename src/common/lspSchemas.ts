/**
 * The parameters of every message the extension sends the FinLabel language server (FinLabel's own and
 * the standard LSP requests the server answers itself: hover, code actions, inlay hints, watched files), as zod schemas
 * (https://zod.dev). The server parses each request's and notification's params through its schema
 * before a handler sees them (src/server/lsp/checkedHandlers.ts), so a malformed message is answered
 * with InvalidParams naming the field instead of failing somewhere inside the handler; the TypeScript
 * types are derived from the schemas (z.infer), so each field is declared once. lspProtocol.ts and
 * contractProtocol.ts define the messages and re-export these types.
 *
 * Only the server loads this module at run time: the extension and the webview import its types only,
 * so zod stays out of their bundles. The schemas check shape and type; what needs the server's state
 * (a path inside the workspace folders, a known label type, a ratio that splits) is the handler's.
 */
import type { RequestType0 } from 'vscode-jsonrpc';
import { CodeActionRequest, DidChangeWatchedFilesNotification, HoverRequest, InlayHintRequest } from 'vscode-languageserver/node';
import * as z from 'zod';
import { ENTITY_NAMINGS, INTERCHANGE_FORMATS, OFFSET_UNITS } from './interchange';
import {
  annotatorAgreementRequest,
  configurationChangedNotification,
  convertDatasetRequest,
  createEnvironmentRequest,
  createLabelSchemaFileRequest,
  datasetStatsRequest,
  editRecordLabelsRequest,
  evaluateModelRequest,
  keyTermsRequest,
  labelTypesRequest,
  nextUncertainCreditRowRequest,
  nextUncertainRecordRequest,
  RECORD_FILTERS,
  recordViewRequest,
  regenerateSamplesRequest,
  rejectedSuggestionsNotification,
  restartWorkerRequest,
  scoreRecordsRequest,
  serverInfoRequest,
  splitDatasetRequest,
  stopWorkerRequest,
  SUGGESTION_SOURCES,
  suggestionSourceStatsNotification,
  trainingCancelRequest,
  trainingJobsRequest,
  trainingStartRequest,
  visibleLinesNotification,
  workerStatusRequest,
} from './lspProtocol';
import { contractEditRequest, contractInfoRequest, setContractDatasetRequest } from './contractProtocol';
import { documentTextRequest, importContractDocumentsRequest } from './documentImportProtocol';

// ---- Building blocks ------------------------------------------------------------------------------

/** A count, index or line: an integer in JavaScript's safe range. */
const int = z.int();
/** LSP's uinteger: a non-negative safe integer. */
const uint = z.int().nonnegative();

/** LSP-compatible position: zero-based line and UTF-16 character. */
export const Position = z.object({ line: uint, character: uint });
export type Position = z.infer<typeof Position>;
export const Range = z.object({ start: Position, end: Position });
export type Range = z.infer<typeof Range>;

/** Lines `start` to `end` of a document, end exclusive (zero-based). */
export const LineRange = z.object({ start: uint, end: uint });
export type LineRange = z.infer<typeof LineRange>;

/** Code points [start, end) of a record's text with a label type (a name or a tag). */
const LabelSpan = z.object({ start: uint, end: uint, entity: z.string() });

// ---- Settings (initialize's initializationOptions and finlabel/configurationChanged) --------------

/** The label schema settings; the server reads the file itself. */
export const LabelSchemaSettings = z.object({
  /** finlabel.labelSchema.file: the schema file, relative to each workspace folder ('' = .finlabel/labels.json). */
  file: z.string(),
  /** finlabel.labelSchema.types: label types used when there is no schema file (checked by the server). */
  types: z.unknown().optional(),
});
export type LabelSchemaSettings = z.infer<typeof LabelSchemaSettings>;

/** Settings of the credit scores shown in credit CSV files. */
export const CreditScoringSettings = z.object({
  /** finlabel.creditModel.path, resolved to an absolute folder ('' = none). */
  modelPath: z.string(),
  /** finlabel.credit.threshold: P(违约) at which a row is shown as 高风险. */
  threshold: z.number(),
});
export type CreditScoringSettings = z.infer<typeof CreditScoringSettings>;

/** finlabel.entityModel.path and finlabel.predictions.*: which entity model predicts, and what is shown. */
export const PredictionSettings = z.object({
  /** The entity model folder ('' = the shipped models/default-entities when the extension has it); relative to the first workspace folder. */
  modelPath: z.string(),
  enabled: z.boolean(),
  showDisagreements: z.boolean(),
  /** finlabel.entityModel.precision: which graph of the folder runs ('auto', the default: model.int8.onnx when present). */
  precision: z.enum(['auto', 'fp32', 'int8']).optional(),
  /** finlabel.predictions.confidenceThreshold: spans below this calibrated confidence are not shown; null: the model card's threshold. */
  confidenceThreshold: z.number().nullable().optional(),
});
export type PredictionSettings = z.infer<typeof PredictionSettings>;

/** finlabel.suggestions.*. */
export const SuggestionSettings = z.object({
  /** finlabel.suggestions.stringMatching: suggest a labelled string wherever it occurs unlabelled in the same dataset. */
  stringMatching: z.boolean(),
  /**
   * finlabel.suggestions.stringMatchMinConfidence: string matches below this confidence (labelled /
   * occurrences) are not suggested. Absent: STRING_MATCH_MIN_CONFIDENCE.
   */
  stringMatchMinConfidence: z.number().optional(),
  /**
   * finlabel.suggestions.modelMinConfidence: model predictions below this calibrated confidence are not
   * offered as suggestions (the underlines follow finlabel.predictions.confidenceThreshold). Absent:
   * MODEL_SUGGESTION_MIN_CONFIDENCE.
   */
  modelMinConfidence: z.number().optional(),
});
export type SuggestionSettings = z.infer<typeof SuggestionSettings>;

/** finlabel.backgroundRetraining.*. */
export const BackgroundRetrainingSettings = z.object({
  /** finlabel.backgroundRetraining.enabled. */
  enabled: z.boolean(),
  /** finlabel.backgroundRetraining.afterLabels: new, changed or removed labels of a dataset that start a retrain. */
  afterLabels: z.number().positive(),
  /** finlabel.backgroundRetraining.trainingSeconds: how long a retrain may train (loading, export and calibration come on top). */
  trainingSeconds: z.number().positive(),
});
export type BackgroundRetrainingSettings = z.infer<typeof BackgroundRetrainingSettings>;

/** Initialization options the extension passes to the server, and the settings it sends when they change. */
export const ServerInitializationOptions = z.object({
  /** Absolute path to the Python interpreter chosen for the worker ('' = default lookup). */
  pythonPath: z.string(),
  /** Folder holding the worker's Python package (dist/worker in the extension). */
  workerDir: z.string(),
  /** Interpreter of the environment created by the extension's command, if it exists. */
  managedPythonPath: z.string(),
  startWorker: z.boolean(),
  /** Absent: the defaults (.finlabel/labels.json, else the built-in types). */
  labelSchema: LabelSchemaSettings.optional(),
  /** Credit scores in credit CSV files (absent: no model). */
  credit: CreditScoringSettings.optional(),
  /** Entity predictions; absent: the defaults (enabled, shipped model, no disagreement diagnostics). */
  predictions: PredictionSettings.optional(),
  /** Suggestions besides pre-annotation; absent: the defaults (string matching on). */
  suggestions: SuggestionSettings.optional(),
  /** Retraining the entity model while the user labels; absent: the defaults (BACKGROUND_RETRAINING_DEFAULTS). */
  backgroundRetraining: BackgroundRetrainingSettings.optional(),
});
export type ServerInitializationOptions = z.infer<typeof ServerInitializationOptions>;

/**
 * initialize's initializationOptions: the settings, and the state the client keeps for the server in
 * workspace state (what a restart of the server or of VS Code must not lose).
 */
export const ServerStartOptions = ServerInitializationOptions.extend({
  /** Per dataset URI: the label keys its count of label changes toward the next retrain starts from. */
  retrainingBaselines: z.record(z.string(), z.array(z.string())).optional(),
});
export type ServerStartOptions = z.infer<typeof ServerStartOptions>;

// ---- Documents, labels and the label schema --------------------------------------------------------

export const VisibleLinesParams = z.object({ uri: z.string(), ranges: z.array(LineRange) });
export type VisibleLinesParams = z.infer<typeof VisibleLinesParams>;

export const CreateLabelSchemaFileParams = z.object({ folderUri: z.string() });
export type CreateLabelSchemaFileParams = z.infer<typeof CreateLabelSchemaFileParams>;

export const RecordDirection = z.enum(['next', 'previous', 'first', 'last', 'nearest']);
/** Where to look from `index`: the next or previous matching record, the first or last, or (nearest) this one if it matches, else the next, else the previous. */
export type RecordDirection = z.infer<typeof RecordDirection>;

export const RecordViewParams = z.object({
  uri: z.string(),
  /** Clamped to the document's records. */
  index: int,
  filter: z.enum(RECORD_FILTERS).optional(),
  direction: RecordDirection.optional(),
});
export type RecordViewParams = z.infer<typeof RecordViewParams>;

/** The key terms of an open dataset or contract file (the Key Terms view). */
export const KeyTermsParams = z.object({ uri: z.string() });
export type KeyTermsParams = z.infer<typeof KeyTermsParams>;

/** One change to a record's labels, as the annotation view or the text editor's Label Selection asks for it. */
export const RecordLabelOperation = z.discriminatedUnion('kind', [
  /** Label code points [start, end) of the record's text; `entity` is a name or tag. */
  LabelSpan.extend({ kind: z.literal('add') }),
  /** Label the characters an editor selection covers: UTF-16 columns [startColumn, endColumn) of the record's line. */
  z.object({ kind: z.literal('addSelection'), startColumn: uint, endColumn: uint, entity: z.string() }),
  z.object({ kind: z.literal('retype'), labelIndex: int, entity: z.string() }),
  z.object({ kind: z.literal('remove'), labelIndex: int }),
  /** Settle a disagreement between annotators: labels `keep` lose their "annotator" (agreed), labels `remove` are deleted. */
  z.object({ kind: z.literal('adjudicate'), keep: z.array(int), remove: z.array(int) }),
  /** Label several spans at once (accept all suggestions of a record), as one edit. */
  z.object({ kind: z.literal('addMany'), labels: z.array(LabelSpan) }),
]);
export type RecordLabelOperation = z.infer<typeof RecordLabelOperation>;

export const EditRecordLabelsParams = z.object({
  uri: z.string(),
  version: int,
  line: uint,
  op: RecordLabelOperation,
});
export type EditRecordLabelsParams = z.infer<typeof EditRecordLabelsParams>;

// ---- Suggestions -----------------------------------------------------------------------------------

export const RejectedSuggestionsParams = z.object({ keys: z.array(z.string()) });
export type RejectedSuggestionsParams = z.infer<typeof RejectedSuggestionsParams>;

/** How often the annotator accepted and rejected one source's suggestions in this workspace. */
export const SuggestionSourceCounts = z.object({ accepted: uint, rejected: uint });
export type SuggestionSourceCounts = z.infer<typeof SuggestionSourceCounts>;

export const SuggestionSourceStatsParams = z.object({ stats: z.partialRecord(z.enum(SUGGESTION_SOURCES), SuggestionSourceCounts) });
export type SuggestionSourceStatsParams = z.infer<typeof SuggestionSourceStatsParams>;

// ---- Worker, environment, samples ------------------------------------------------------------------

export const WorkerStatusParams = z.object({ start: z.boolean() });
export type WorkerStatusParams = z.infer<typeof WorkerStatusParams>;

export const CreateEnvironmentParams = z.object({
  /** Folder of the new environment. */
  venvDir: z.string(),
  /** Interpreter that creates it ('' = the configured one, else python3 on PATH). */
  basePython: z.string(),
});
export type CreateEnvironmentParams = z.infer<typeof CreateEnvironmentParams>;

export const RegenerateSamplesParams = z.object({ folder: z.string(), seed: uint });
export type RegenerateSamplesParams = z.infer<typeof RegenerateSamplesParams>;

// ---- Dataset commands ------------------------------------------------------------------------------

export const ConvertDatasetParams = z.object({
  direction: z.enum(['export', 'import']),
  format: z.enum(INTERCHANGE_FORMATS),
  /** File-system paths. */
  input: z.string(),
  output: z.string(),
  /** Default: tag for export, name for import. */
  entity: z.enum(ENTITY_NAMINGS).optional(),
  /** doccano / Label Studio offsets; default: the tool's own unit. */
  offsets: z.enum(OFFSET_UNITS).optional(),
});
export type ConvertDatasetParams = z.infer<typeof ConvertDatasetParams>;

export const DatasetStatsParams = z.object({ uri: z.string() });
export type DatasetStatsParams = z.infer<typeof DatasetStatsParams>;

export const SplitDatasetParams = z.object({
  uri: z.string(),
  /** Absolute folder for train.jsonl, dev.jsonl, test.jsonl. */
  outDir: z.string(),
  /** train,dev,test or train,test (the server says what is wrong with them). */
  ratios: z.array(z.number()),
  seed: uint,
  /** Overwrite split files that exist and are not empty. */
  force: z.boolean(),
});
export type SplitDatasetParams = z.infer<typeof SplitDatasetParams>;

export const AnnotatorAgreementParams = z.object({
  uriA: z.string(),
  /** The second file; absent: compare `annotators` within uriA. */
  uriB: z.string().optional(),
  annotators: z.tuple([z.string(), z.string()]).optional(),
  /** With two files: keep only this annotator's labels of A (of B). */
  annotatorA: z.string().optional(),
  annotatorB: z.string().optional(),
});
export type AnnotatorAgreementParams = z.infer<typeof AnnotatorAgreementParams>;

// ---- Training and evaluation -----------------------------------------------------------------------

export const TrainingTask = z.enum(['entities', 'credit']);
export type TrainingTask = z.infer<typeof TrainingTask>;
/** The model trained from: a local Hugging Face folder, or a small model built from a config (CPU-friendly). */
export const TrainingBase = z.discriminatedUnion('kind', [z.object({ kind: z.literal('tiny') }), z.object({ kind: z.literal('folder'), path: z.string() })]);
export type TrainingBase = z.infer<typeof TrainingBase>;

export const TrainingStartParams = z.object({
  task: TrainingTask,
  /** The dataset: a JSONL for entities, a CSV for credit (file URI). An open document's unsaved text counts for a JSONL. */
  datasetUri: z.string(),
  base: TrainingBase,
  /** Absolute folder of the new model; default <workspace>/.finlabel/models/<task>/<dataset>-<time>. */
  outDir: z.string().optional(),
  epochs: z.int().positive().optional(),
  batchSize: z.int().positive().optional(),
  device: z.enum(['auto', 'cpu', 'cuda']).optional(),
  /** Credit: the 0/1 label column and the feature columns (defaults: 是否违约, every other column). */
  labelColumn: z.string().optional(),
  featureColumns: z.array(z.string()).optional(),
});
export type TrainingStartParams = z.infer<typeof TrainingStartParams>;

export const TrainingCancelParams = z.object({ jobId: z.string() });
export type TrainingCancelParams = z.infer<typeof TrainingCancelParams>;

export const EvaluateModelParams = z.object({
  /** Absolute path of the model folder. */
  modelDir: z.string(),
  /** The dataset JSONL (an open document's unsaved text counts) or the credit CSV (read from disk: its bytes tell its encoding and whether it is the model's own training file). */
  dataUri: z.string(),
  /** Credit: P(违约) at which a row is called a default (default 0.5). */
  threshold: z.number().optional(),
  /** Credit: the 0/1 label column (default the model's). */
  labelColumn: z.string().optional(),
});
export type EvaluateModelParams = z.infer<typeof EvaluateModelParams>;

// ---- Model in the loop -----------------------------------------------------------------------------

export const ScoreRecordsParams = z.object({
  uri: z.string(),
  records: z.enum(['unlabelled', 'labelled']),
  /** Records to predict in this call (default 256, at most 5000). */
  budget: uint.optional(),
  /** Pre-annotate: the predicted unlabelled records show their predictions as suggestions (nothing is written). */
  preAnnotate: z.boolean().optional(),
});
export type ScoreRecordsParams = z.infer<typeof ScoreRecordsParams>;

export const NextUncertainRecordParams = z.object({ uri: z.string(), fromLine: int.optional() });
export type NextUncertainRecordParams = z.infer<typeof NextUncertainRecordParams>;

export const NextUncertainCreditRowParams = z.object({ uri: z.string(), fromLine: int.optional() });
export type NextUncertainCreditRowParams = z.infer<typeof NextUncertainCreditRowParams>;

// ---- Contract files (contractProtocol.ts) ----------------------------------------------------------

export const ContractInfoParams = z.object({ uri: z.string() });
export type ContractInfoParams = z.infer<typeof ContractInfoParams>;

export const SetContractDatasetParams = z.object({
  folderUri: z.string(),
  datasetUri: z.string(),
  /** Create the dataset as an empty file when it does not exist. */
  create: z.boolean(),
});
export type SetContractDatasetParams = z.infer<typeof SetContractDatasetParams>;

/** What to do to a contract's record. `labelIndex` is the label's index in the record's "labels" array. */
export const ContractLabelAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('label'), range: Range, entity: z.string() }),
  z.object({ kind: z.literal('retype'), labelIndex: int, entity: z.string() }),
  z.object({ kind: z.literal('remove'), labelIndex: int }),
  /** Takes the label's current text as its value (after the labelled text was edited). */
  z.object({ kind: z.literal('accept'), labelIndex: int }),
  /** Writes the contract's current text and the labels' current offsets to the record. */
  z.object({ kind: z.literal('sync') }),
]);
export type ContractLabelAction = z.infer<typeof ContractLabelAction>;

export const ContractEditParams = z.object({
  uri: z.string(),
  version: int,
  datasetUri: z.string(),
  /** The dataset document's version the client will apply the edit to. */
  datasetVersion: int,
  action: ContractLabelAction,
});
export type ContractEditParams = z.infer<typeof ContractEditParams>;

// ---- Word and PDF contracts (documentImportProtocol.ts) -------------------------------------------

export const ImportContractDocumentsParams = z.object({
  folderUri: z.string(),
  /** The folder's dataset as the client opened it, and that document's version: the edits are for that version. */
  datasetUri: z.string().optional(),
  datasetVersion: int.optional(),
});
export type ImportContractDocumentsParams = z.infer<typeof ImportContractDocumentsParams>;

/** `uri`: a .docx or .pdf file of a contract folder. */
export const DocumentTextParams = z.object({ uri: z.string() });
export type DocumentTextParams = z.infer<typeof DocumentTextParams>;

// ---- Standard LSP messages the server handles itself ---------------------------------------------------
// Only the fields the handlers read are checked; other fields pass through untouched (looseObject): a
// code action's diagnostics must reach the client as they came, `data` included, to stay attached.

const TextDocumentIdentifier = z.looseObject({ uri: z.string() });
const Diagnostic = z.looseObject({
  range: Range,
  message: z.string(),
  /** DiagnosticSeverity: 1 error .. 4 hint. */
  severity: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
  code: z.union([int, z.string()]).optional(),
  source: z.string().optional(),
});
export const HoverParams = z.looseObject({ textDocument: TextDocumentIdentifier, position: Position });
export const CodeActionParams = z.looseObject({
  textDocument: TextDocumentIdentifier,
  range: Range,
  context: z.looseObject({ diagnostics: z.array(Diagnostic) }),
});
export const InlayHintParams = z.looseObject({ textDocument: TextDocumentIdentifier, range: Range });
/** FileChangeType: 1 created, 2 changed, 3 deleted. */
export const DidChangeWatchedFilesParams = z.looseObject({
  changes: z.array(z.looseObject({ uri: z.string(), type: z.union([z.literal(1), z.literal(2), z.literal(3)]) })),
});

// ---- Which schema checks which message -------------------------------------------------------------

/** A message paired with the schema of its params (the compiler checks that they agree). */
function checked<P>(type: { method: string; readonly _?: [P, ...unknown[]] }, params: z.ZodType<NoInfer<P>>): [string, z.ZodType] {
  return [type.method, params];
}
/** A request that takes no params: params sent anyway are ignored. */
function noParams(type: RequestType0<unknown, unknown>): [string, null] {
  return [type.method, null];
}

/** The params schema of every request the client sends, by method; null: the request takes none. */
export const CLIENT_REQUESTS: ReadonlyMap<string, z.ZodType | null> = new Map<string, z.ZodType | null>([
  noParams(labelTypesRequest),
  checked(createLabelSchemaFileRequest, CreateLabelSchemaFileParams),
  checked(workerStatusRequest, WorkerStatusParams),
  noParams(restartWorkerRequest),
  noParams(stopWorkerRequest),
  checked(regenerateSamplesRequest, RegenerateSamplesParams),
  checked(createEnvironmentRequest, CreateEnvironmentParams),
  checked(recordViewRequest, RecordViewParams),
  checked(keyTermsRequest, KeyTermsParams),
  noParams(serverInfoRequest),
  checked(editRecordLabelsRequest, EditRecordLabelsParams),
  checked(convertDatasetRequest, ConvertDatasetParams),
  checked(datasetStatsRequest, DatasetStatsParams),
  checked(splitDatasetRequest, SplitDatasetParams),
  checked(annotatorAgreementRequest, AnnotatorAgreementParams),
  checked(trainingStartRequest, TrainingStartParams),
  checked(trainingCancelRequest, TrainingCancelParams),
  noParams(trainingJobsRequest),
  checked(evaluateModelRequest, EvaluateModelParams),
  checked(scoreRecordsRequest, ScoreRecordsParams),
  checked(nextUncertainRecordRequest, NextUncertainRecordParams),
  checked(nextUncertainCreditRowRequest, NextUncertainCreditRowParams),
  checked(contractInfoRequest, ContractInfoParams),
  checked(setContractDatasetRequest, SetContractDatasetParams),
  checked(contractEditRequest, ContractEditParams),
  checked(importContractDocumentsRequest, ImportContractDocumentsParams),
  checked(documentTextRequest, DocumentTextParams),
  checked(HoverRequest.type, HoverParams),
  checked(CodeActionRequest.type, CodeActionParams),
  checked(InlayHintRequest.type, InlayHintParams),
]);

/** The params schema of every notification the client sends, by method. */
export const CLIENT_NOTIFICATIONS: ReadonlyMap<string, z.ZodType> = new Map<string, z.ZodType>([
  checked(visibleLinesNotification, VisibleLinesParams),
  checked(configurationChangedNotification, ServerInitializationOptions),
  checked(rejectedSuggestionsNotification, RejectedSuggestionsParams),
  checked(suggestionSourceStatsNotification, SuggestionSourceStatsParams),
  checked(DidChangeWatchedFilesNotification.type, DidChangeWatchedFilesParams),
]);
