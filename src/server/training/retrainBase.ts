/**
 * Which model a background retrain starts from: the active model when it can be trained further
 * (its weights are in safetensors and its labels are the dataset's), else a small model from scratch.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TrainingBase } from '../../common/lspProtocol';

/** A FinLabel small BiLSTM (worker entities/bilstm.py); it trains further with a smaller step than from scratch. */
const BILSTM_MODEL_TYPE = 'finlabel-bilstm';
/** Learning rates for training an active model further on the new labels (the BERT family keeps the worker's 5e-5). */
export const CONTINUED_BILSTM_LEARNING_RATE = 2e-3;

export interface RetrainBase {
  base: TrainingBase;
  /** A learning rate the base needs, when the default of its kind is not right. */
  learningRate?: number;
  /** Why this base, for the log. */
  reason: string;
}

/**
 * `activeDir`: the active entity model's folder (undefined: none); `bio`: the BIO labels the dataset's
 * schema gives (BioScheme.names). The active model's labels.json must list the same labels in the same
 * order, or its classifier's rows would mean other types.
 */
export function retrainBase(activeDir: string | undefined, bio: readonly string[]): RetrainBase {
  const scratch = (why: string): RetrainBase => ({ base: { kind: 'tiny' }, reason: `from scratch: ${why}` });
  if (!activeDir) return scratch('no entity model is active');
  const name = path.basename(activeDir);
  if (!existsSync(path.join(activeDir, 'model.safetensors')))
    return scratch(`the active model ${name} has no model.safetensors to train further (it ships only its ONNX graphs)`);
  let labels: unknown;
  let config: unknown;
  try {
    labels = JSON.parse(readFileSync(path.join(activeDir, 'labels.json'), 'utf8'));
    config = JSON.parse(readFileSync(path.join(activeDir, 'config.json'), 'utf8'));
  } catch (err) {
    return scratch(`the active model ${name} has no readable labels.json and config.json (${(err as Error).message})`);
  }
  const activeBio = (labels as { bio?: unknown }).bio;
  if (!Array.isArray(activeBio) || activeBio.length !== bio.length || activeBio.some((l, i) => l !== bio[i])) {
    return scratch(`the active model ${name} has other label types than the dataset (${Array.isArray(activeBio) ? activeBio.join(' ') : 'none'})`);
  }
  const modelType = (config as { model_type?: unknown }).model_type;
  return {
    base: { kind: 'folder', path: activeDir },
    ...(modelType === BILSTM_MODEL_TYPE ? { learningRate: CONTINUED_BILSTM_LEARNING_RATE } : {}),
    reason: `from the active model ${name}`,
  };
}
