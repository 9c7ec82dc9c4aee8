/**
 * A copy of the shipped default model whose card holds a calibration written by the test: Platt
 * parameters a = 1, b = 0 (the confidence is the raw span score) and a threshold the test picks, so
 * what the threshold must hide is known without trusting the fitting code.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityCalibration } from '../../src/server/calibration/entityCalibration';
import { fitEntityCalibration } from '../../src/server/calibration/fitEntityCalibration';
import { repoRoot } from './tinyEntityModel';

const MODEL_FILES = ['model.onnx', 'model.int8.onnx', 'tokenizer.json', 'tokenizer_config.json', 'labels.json', 'card.json'];

/** Copies models/default-entities (model.int8.onnx when it ships) into a new temporary folder, without any calibration in its card; returns the folder. */
export function copyShippedModel(prefix = 'finlabel-model-'): string {
  const shipped = join(repoRoot(), 'models', 'default-entities');
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const f of MODEL_FILES) if (existsSync(join(shipped, f))) copyFileSync(join(shipped, f), join(dir, f));
  const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as Record<string, unknown>;
  delete card.calibration;
  writeFileSync(join(dir, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
  return dir;
}

/** A calibration whose confidence is the raw span score, with the given threshold and out-of-depth dev share. */
export function identityCalibration(threshold: number, devLowShare = { candidates: 40, lowConfidence: 4 }): EntityCalibration {
  const base = fitEntityCalibration(
    [
      {
        spans: [
          { score: 0.9, correct: true },
          { score: 0.3, correct: false },
        ],
        goldSpans: 1,
        chars: 40,
      },
    ],
    'model.int8.onnx',
  );
  const expectedLowShare = (devLowShare.lowConfidence + 1) / (devLowShare.candidates + 2);
  return {
    ...base,
    parameters: { a: 1, b: 0 },
    threshold,
    outOfDepth: { ...base.outOfDepth, devCandidates: devLowShare.candidates, devLowConfidence: devLowShare.lowConfidence, expectedLowShare },
  };
}

/** Writes `calibration` into dir/card.json. */
export function setCardCalibration(dir: string, calibration: EntityCalibration | undefined): void {
  const file = join(dir, 'card.json');
  const card = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (calibration) card.calibration = calibration;
  else delete card.calibration;
  writeFileSync(file, `${JSON.stringify(card, null, 2)}\n`);
}
