import { ResponseError } from 'vscode-jsonrpc/node';
import type { TrainingFailureKind } from '../../common/lspProtocol';
import { WorkerErrorCode, type WorkerProblem } from '../../common/workerProtocol';
import { WorkerUnavailableError } from '../worker/workerSupervisor';
import { WorkerExitedError } from '../worker/workerProcess';

export interface TrainingFailure {
  kind: TrainingFailureKind;
  message: string;
  code?: number;
  data?: unknown;
  workerProblem?: WorkerProblem;
}

const KIND_OF_CODE: Record<number, TrainingFailureKind> = {
  [WorkerErrorCode.missingPackage]: 'missing-package',
  [WorkerErrorCode.outOfMemory]: 'out-of-memory',
  [WorkerErrorCode.baseModelInvalid]: 'base-model-invalid',
  [WorkerErrorCode.unsupportedArchitecture]: 'unsupported-architecture',
};

/** A worker or process error as a failure the client can offer a fix for. */
export function trainingFailure(err: unknown): TrainingFailure {
  if (err instanceof WorkerUnavailableError) {
    const status = err.status;
    const problem = status.state === 'unavailable' ? status.problem : undefined;
    return { kind: problem === 'missing-package' ? 'missing-package' : 'worker-unavailable', message: err.message, workerProblem: problem };
  }
  if (err instanceof ResponseError) {
    return { kind: KIND_OF_CODE[err.code] ?? 'internal', message: err.message, code: err.code, data: err.data as unknown };
  }
  if (err instanceof WorkerExitedError) return { kind: 'internal', message: `the Python worker stopped during training: ${err.message}` };
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) };
}

/** The batch size to retry with after CUDA ran out of memory, or undefined when there is no smaller one. */
export function halfBatch(err: unknown): { failed: number; next: number } | undefined {
  if (!(err instanceof ResponseError) || err.code !== WorkerErrorCode.outOfMemory) return undefined;
  const failed = (err.data as { batchSize?: unknown } | undefined)?.batchSize;
  if (typeof failed !== 'number' || failed < 2) return undefined;
  return { failed, next: Math.floor(failed / 2) };
}
