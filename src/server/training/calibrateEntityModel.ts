/**
 * Calibrates a trained entity model folder on labelled dev records and writes the result into its
 * card.json under "calibration" (see src/server/calibration/entityCalibration.ts for what it holds
 * and src/server/calibration/fitEntityCalibration.ts for how it is fitted).
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { LabelSchema } from '../../common/labelSchema';
import { CALIBRATION_KEY, type EntityCalibration } from '../calibration/entityCalibration';
import { fitEntityCalibration, type ScoredDevRecord } from '../calibration/fitEntityCalibration';
import { codePointLength } from '../dataset/jsonStringMap';
import { CARD_FILE, EntityModelError, type ModelPrecision } from '../inference/entityModelFolder';
import { EntityPredictor } from '../inference/entityPredictor';
import type { LabelledText } from './labelledRecordScores';

export type { EntityCalibration } from '../calibration/entityCalibration';

/** Texts run through the model together. */
const SLICE = 32;

/**
 * Loads the folder's graph for `precision` (by default the one the editor serves: model.int8.onnx
 * when present, else model.onnx; a folder that will ship without its int8 graph asks for fp32), decodes the dev
 * records, marks each decoded span correct when a gold span has its type and both offsets, fits the
 * calibration (Platt scaling, best-F1 threshold, reliability table, Brier score, out-of-depth
 * statistics), writes it into dir/card.json under "calibration" (temp file + rename; the other keys
 * are kept as they are) and returns it. Gold labels whose type the schema does not know are left out.
 */
export async function calibrateEntityModelFolder(
  dir: string,
  dev: readonly LabelledText[],
  schema: LabelSchema,
  precision: ModelPrecision = 'auto',
): Promise<EntityCalibration> {
  const predictor = await EntityPredictor.load(dir, { precision });
  let calibration: EntityCalibration;
  try {
    const scored: ScoredDevRecord[] = [];
    for (let i = 0; i < dev.length; i += SLICE) {
      const slice = dev.slice(i, i + SLICE);
      const decoded = await predictor.decodeMany(slice.map((r) => r.text));
      slice.forEach((record, k) => {
        const gold = new Set(
          record.labels.flatMap((l) => {
            const type = schema.resolve(l.entity);
            return type ? [`${type.tag}\u0000${l.start}\u0000${l.end}`] : [];
          }),
        );
        scored.push({
          spans: decoded[k].decoded.map((s) => ({ score: s.score, correct: gold.has(`${s.tag}\u0000${s.start}\u0000${s.end}`) })),
          goldSpans: gold.size,
          chars: codePointLength(record.text),
        });
      });
    }
    calibration = fitEntityCalibration(scored, path.basename(predictor.onnxFile));
  } finally {
    await predictor.release();
  }
  await writeCardCalibration(dir, calibration);
  return calibration;
}

/** Sets card.json's "calibration" (created when the folder has no card), atomically. */
export async function writeCardCalibration(dir: string, calibration: EntityCalibration): Promise<void> {
  const file = path.join(path.resolve(dir), CARD_FILE);
  let card: Record<string, unknown> = {};
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new EntityModelError(`${file}: cannot read the model card: ${(err as Error).message}`);
  }
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (err) {
      throw new EntityModelError(`${file}: the model card is not valid JSON (${(err as Error).message}); not calibrated`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new EntityModelError(`${file}: the model card is not a JSON object; not calibrated`);
    card = parsed as Record<string, unknown>;
  }
  card[CALIBRATION_KEY] = calibration;
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(card, null, 2)}\n`, 'utf8');
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
