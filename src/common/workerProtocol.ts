/**
 * JSON-RPC between the language server and the Python worker (vscode-jsonrpc framing on stdio).
 * The Python side mirrors these names in src/server/worker/python/finlabel_worker/protocol.py.
 */

/** What the worker runs on. */
export interface DeviceInfo {
  /** 'cuda' or 'cpu'. */
  device: 'cuda' | 'cpu';
  /** GPU name (e.g. "NVIDIA H100 80GB HBM3") or the CPU's model name. */
  name: string;
  deviceCount: number;
  /** Total GPU memory in bytes, when on CUDA. */
  memoryBytes: number | null;
  torchVersion: string;
  cudaVersion: string | null;
  pythonVersion: string;
  pythonExecutable: string;
}

export const WorkerMethod = {
  deviceInfo: 'deviceInfo',
  shutdown: 'shutdown',
  /** Test hook: the worker exits at once with the given code, to exercise crash handling. */
  crash: 'debug/crash',
  /** EntityTrainParams -> TrainResult. A job: progress notifications, cancellable. */
  trainEntities: 'train/entities',
  /** CreditTrainParams -> TrainResult. A job. */
  trainCredit: 'train/credit',
  /** EntityPredictParams -> EntityPredictResult. */
  predictEntities: 'predict/entities',
  /** CreditScoreParams -> CreditScoreResult. */
  scoreCredit: 'score/credit',
  /** GbdtBaselineParams -> GbdtBaselineResult: LightGBM fitted on the credit baseline's training matrix. */
  gbdtBaseline: 'baseline/gbdt',
  /** ExportEntitiesParams -> ExportResult: ONNX (and int8) export of a trained entity model. A job. */
  exportEntities: 'export/entities',
  /** CancelParams -> { cancelled: boolean }. `$/cancelRequest` on a job's request does the same. */
  cancel: 'cancel',
} as const;

/** Requests the worker sends to the server while a job runs; the server owns every metric. */
export const ServerCallback = {
  /** EvaluateEntitiesParams -> EvaluationResult (strict span F1 of the dev predictions). */
  evaluateEntities: 'evaluate/entities',
  /** EvaluateCreditParams -> EvaluationResult (ROC-AUC of the dev probabilities). */
  evaluateCredit: 'evaluate/credit',
} as const;

/** Notifications the worker sends. */
export const WorkerNotification = {
  /** JobProgress. */
  progress: 'progress',
} as const;

/** Error codes the worker returns (JSON-RPC application range). */
export const WorkerErrorCode = {
  /** A required Python package is not installed; data: { package: string }. */
  missingPackage: -32010,
  internal: -32011,
  /** CUDA ran out of memory; data: { batchSize: number, memoryBytes: number | null }. */
  outOfMemory: -32012,
  /** The base model folder is missing or lacks a file; data: { path: string, missing: string[] }. */
  baseModelInvalid: -32013,
  /** The base model's architecture is not one the worker trains; data: { modelType: string, supported: string[] }. */
  unsupportedArchitecture: -32014,
  /** Another job is running; data: { jobId: string }. */
  busy: -32015,
  /** The job was cancelled (the LSP/vscode-jsonrpc RequestCancelled code). */
  cancelled: -32800,
} as const;

// ---- Jobs -------------------------------------------------------------------------------------

/** Where a model's weights come from: a local Hugging Face folder, or a small config built for tests. */
export type BaseModel =
  | { kind: 'folder'; path: string }
  /** Random weights of a small model of the base's family with the real vocabulary size. */
  | {
      kind: 'tiny';
      /** 'bert' (default): a small BertConfig; 'bilstm': the character BiLSTM tagger (entities only; worker entities/bilstm.py). */
      architecture?: 'bert' | 'bilstm';
      vocabSize: number;
      hiddenSize?: number;
      layers?: number;
      heads?: number;
      intermediateSize?: number;
      maxPositions?: number;
      /** 'bilstm': the share of activations dropped in training (default 0.5). */
      dropout?: number;
      /** 'bilstm': the share of whole tokens whose embedding is dropped in training (default 0.1). */
      tokenDropout?: number;
      /** 'bilstm': also read where each token sits in a word (TokenExample.wordBoundaryIds; default false). */
      wordBoundaries?: boolean;
    };

/** A base built from a config with random weights. */
export type TinyBaseModel = Extract<BaseModel, { kind: 'tiny' }>;

/** Training settings common to both models. Omitted fields take the worker's defaults. */
export interface TrainHyperparameters {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  weightDecay?: number;
  /** Fraction of the steps spent warming the learning rate up (then linear decay). */
  warmupRatio?: number;
  /** Epochs without a better dev metric before stopping. 0 turns early stopping off. */
  patience?: number;
  /**
   * Optimizer steps that run before early stopping may end the run (default 0). A run also never stops
   * while its best dev metric is 0: a model built from random weights often scores 0 at first.
   */
  minSteps?: number;
  /**
   * Evaluations averaged to judge an epoch (default 1: its own dev metric): the best epoch and early
   * stopping compare the mean dev metric of the evaluations ending at each epoch, which keeps one lucky
   * epoch on a small dev split from being kept.
   */
  selectionWindow?: number;
  seed?: number;
  /** 'auto' (CUDA when present), 'cpu' or 'cuda'. */
  device?: 'auto' | 'cpu' | 'cuda';
  /** bf16 autocast on CUDA (default true there; ignored on CPU). */
  bf16?: boolean;
  /** Processes for DistributedDataParallel under torchrun (entity model). Default: every GPU when there are several, else 1. */
  processes?: number;
  /** Entity model: training ends once this many seconds of it have run (mid-epoch too; the best checkpoint is kept). 0: no limit. */
  maxSeconds?: number;
  /** Entity model: CPU threads torch uses for this job (0: all it has). Background retraining uses 1. */
  threads?: number;
}

/** Where the finished model goes. Written into a temporary sibling folder, renamed at the end. */
export interface ModelOutput {
  /** The model folder to create; it must not exist yet. */
  dir: string;
  /** Text files the server prepared (tokenizer.json, labels.json, ...), written as given. */
  files: Record<string, string>;
  /** card.json as far as the server knows it (data hash, split, schema); the worker adds training figures. */
  card: Record<string, unknown>;
}

/** One tokenized example: ids as the server's tokenizer made them, one label id per token. */
export interface TokenExample {
  inputIds: number[];
  /** Label id per token; -100 where no loss applies (special tokens). Same length as inputIds. */
  labelIds: number[];
  /** Where each token sits in a word (WordBoundary: 0 special, 1 begins, 2 inside, 3 ends, 4 whole word), for a model that reads it. */
  wordBoundaryIds?: number[];
}

export interface EntityTrainParams {
  jobId: string;
  base: BaseModel;
  /** BIO tag names; index = label id; "O" first. */
  labels: string[];
  train: TokenExample[];
  /** Dev examples; predictions for them go to the server each epoch (evaluate/entities). Empty: no early stopping. */
  dev: TokenExample[];
  hyper: TrainHyperparameters;
  /** Export model.onnx (and model.int8.onnx when quantize) into the folder. */
  export: { onnx: boolean; quantize: boolean };
  output: ModelOutput;
}

/** A prompt already tokenized by the server, and its 0/1 label. */
export interface CreditExample {
  inputIds: number[];
  label: 0 | 1;
}

export interface LoraSettings {
  r?: number;
  alpha?: number;
  dropout?: number;
  /** Default q_proj, k_proj, v_proj, o_proj; add gate_proj, up_proj, down_proj for the MLP. */
  targetModules?: string[];
}

export interface CreditTrainParams {
  jobId: string;
  base: BaseModel;
  /** Token ids of the answers "0" (正常) and "1" (违约) as the tokenizer encodes them. */
  labelTokenIds: [number, number];
  train: CreditExample[];
  dev: CreditExample[];
  lora: LoraSettings;
  hyper: TrainHyperparameters;
  memory: { gradientCheckpointing?: boolean; fourBit?: boolean };
  output: ModelOutput;
}

/** Progress of a job, sent as the `progress` notification. */
export interface JobProgress {
  jobId: string;
  phase: 'load' | 'train' | 'evaluate' | 'export' | 'save';
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  loss: number | null;
  learningRate: number | null;
  samplesPerSecond: number | null;
  etaSeconds: number | null;
  gpuMemoryBytes: number | null;
  message?: string;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  /** The server's dev metric for this epoch (entity F1 or ROC-AUC), null without dev data. */
  devMetric: number | null;
  seconds: number;
}

export interface TrainResult {
  modelDir: string;
  epochs: EpochRecord[];
  /** Epoch whose weights were saved (the best dev metric). */
  bestEpoch: number;
  bestDevMetric: number | null;
  samplesPerSecond: number;
  seconds: number;
  device: string;
  peakMemoryBytes: number | null;
  onnx?: ExportResult;
}

export interface ExportResult {
  path: string;
  /** Largest |ONNX Runtime logit - PyTorch logit| on fresh random inputs. */
  maxAbsDiff: number;
  quantized?: { path: string; maxAbsDiff: number; argmaxAgreement: number; bytes: number };
  bytes: number;
}

export interface ExportEntitiesParams {
  jobId: string;
  modelDir: string;
  quantize: boolean;
}

export interface EntityPredictParams {
  modelDir: string;
  batch: number[][];
  /** Per sequence of batch, its TokenExample.wordBoundaryIds: required by a model that reads them. */
  wordBoundaries?: number[][];
}

export interface EntityPredictResult {
  /** Per example, per token: the most likely label id and its probability (for a model with a CRF: the best valid BIO path and each tag's marginal probability). */
  labelIds: number[][];
  probabilities: number[][];
}

export interface CreditScoreParams {
  modelDir: string;
  /** The base model, when the adapter's card does not say where it is. */
  base?: BaseModel;
  batch: number[][];
}

export interface CreditScoreResult {
  /** P(label 1) per prompt. */
  probabilities: number[];
}

export interface CancelParams {
  jobId: string;
}

export interface EvaluateEntitiesParams {
  jobId: string;
  epoch: number;
  /** Label id per token of each dev example, in the order the server sent them. */
  predictions: number[][];
}

export interface EvaluateCreditParams {
  jobId: string;
  epoch: number;
  /** P(label 1) per dev example. */
  probabilities: number[];
}

export interface EvaluationResult {
  /** The metric early stopping maximises. */
  metric: number;
  name: string;
  details?: Record<string, unknown>;
}

/** Why the worker is not available, so the UI can offer the matching fix. */
export type WorkerProblem = 'python-not-found' | 'missing-package' | 'crashed' | 'start-failed';

export type WorkerStatus =
  | { state: 'stopped' }
  | { state: 'starting'; python: string }
  | { state: 'ready'; python: string; device: DeviceInfo; restarts: number }
  | { state: 'unavailable'; python: string; problem: WorkerProblem; message: string; stderr: string; restarts: number };

// ---- Credit GBDT baseline ---------------------------------------------------------------------

/** The credit baseline's design matrix: imputed numbers, category codes (-1 for unseen), null never after imputation but allowed. */
export interface GbdtBaselineParams {
  columns: { name: string; categorical: boolean }[];
  trainX: (number | null)[][];
  trainY: (0 | 1)[];
  /** Rows to score with the fitted trees. */
  predictX: (number | null)[][];
  seed: number;
}

export interface GbdtBaselineResult {
  /** P(1) of each predictX row, in order. */
  probabilities: number[];
  /** The trees' own importances per column: total gain and number of splits. */
  importances: { column: string; gain: number; splits: number }[];
  /** Boosting rounds kept (chosen by cross-validation on the training rows), the folds used (0: none, too few rows), and the cross-validated AUC. */
  rounds: number;
  folds: number;
  cvAuc: number | null;
  settings: Record<string, number | string | boolean>;
  lightgbmVersion: string;
  seconds: number;
}
