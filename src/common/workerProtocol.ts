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
} as const;

/** Error codes the worker returns (JSON-RPC application range). */
export const WorkerErrorCode = {
  /** A required Python package is not installed; data: { package: string }. */
  missingPackage: -32010,
  internal: -32011,
} as const;

/** Why the worker is not available, so the UI can offer the matching fix. */
export type WorkerProblem =
  | 'python-not-found'
  | 'missing-package'
  | 'crashed'
  | 'start-failed';

export type WorkerStatus =
  | { state: 'stopped' }
  | { state: 'starting'; python: string }
  | { state: 'ready'; python: string; device: DeviceInfo; restarts: number }
  | { state: 'unavailable'; python: string; problem: WorkerProblem; message: string; stderr: string; restarts: number };
