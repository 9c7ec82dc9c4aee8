/**
 * An entity model's calibration, as its card.json holds it under "calibration": how span scores
 * become confidences, the confidence threshold, how well the confidences held on the dev split, and
 * what out-of-depth detection compares documents with. Written by calibrateEntityModelFolder
 * (src/server/training/calibrateEntityModel.ts) after training; read with the model folder.
 */
import type { DecodedSpan, PredictedEntity } from '../entities/entityDecoding';
import type { DepthTally, OutOfDepthStats } from './outOfDepth';
import { applyPlatt, type PlattParameters } from './plattScaling';
import type { ReliabilityBin } from './reliability';

export const CALIBRATION_KEY = 'calibration';

export interface EntityCalibration {
  /** 'platt': confidence = sigmoid(a * logit(score) + b); 'none': the raw score (no dev span to fit on). */
  method: 'platt' | 'none';
  /** The raw span score it maps (DecodedSpan.score). */
  score: 'span-geometric-mean';
  parameters: PlattParameters | null;
  /** Spans with a confidence below it are not shown; chosen on dev for the best micro F1. */
  threshold: number;
  /** The ONNX file whose predictions it was fitted on. */
  graph: string;
  dev: {
    records: number;
    goldSpans: number;
    /** Decoded spans before the threshold, and how many strictly match a gold span (type and offsets). */
    candidateSpans: number;
    correctSpans: number;
    /** Strict micro figures of all candidates (no threshold) and of those kept at the threshold. */
    all: { precision: number | null; recall: number | null; f1: number | null };
    atThreshold: { precision: number | null; recall: number | null; f1: number | null; kept: number };
  };
  /** 10 bins of calibrated confidence over the dev candidates. */
  reliability: ReliabilityBin[];
  /** Brier score of the calibrated confidences, and of the raw scores, on the dev candidates. */
  brier: number | null;
  brierRaw: number | null;
  outOfDepth: OutOfDepthStats;
  fittedAt: string;
}

/** A span's confidence: calibrated when the model has a calibration, else its raw score. */
export function spanConfidence(calibration: EntityCalibration | undefined, score: number): number {
  if (!calibration || calibration.method === 'none' || !calibration.parameters) return score;
  return applyPlatt(calibration.parameters, score);
}

/** The threshold in force: an override (setting, --min-confidence), else the card's, else 0 (show every span). */
export function effectiveThreshold(calibration: EntityCalibration | undefined, override?: number | null): number {
  if (override !== undefined && override !== null) return override;
  return calibration?.threshold ?? 0;
}

/** A text's spans with confidences, those below the threshold left out, and the tally out-of-depth needs. */
export interface ThresholdedSpans extends DepthTally {
  spans: PredictedEntity[];
}

/** The one place where span scores become shown predictions: calibrated, then thresholded. */
export function confidentSpans(decoded: readonly DecodedSpan[], calibration: EntityCalibration | undefined, threshold: number): ThresholdedSpans {
  const spans: PredictedEntity[] = [];
  let lowConfidence = 0;
  for (const d of decoded) {
    const confidence = spanConfidence(calibration, d.score);
    if (confidence < threshold) lowConfidence++;
    else spans.push({ entity: d.entity, tag: d.tag, start: d.start, end: d.end, value: d.value, confidence });
  }
  return { spans, candidates: decoded.length, lowConfidence };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The card's "calibration" value, checked where inference depends on it (method, parameters,
 * threshold, out-of-depth statistics). Returns a message for a value that is there but unusable.
 */
export function readCalibration(value: unknown): { ok: true; calibration: EntityCalibration } | { ok: false; message: string } {
  if (!isRecord(value)) return { ok: false, message: 'must be an object' };
  if (value.method !== 'platt' && value.method !== 'none') return { ok: false, message: `"method" ${JSON.stringify(value.method)} is not "platt" or "none"` };
  if (value.method === 'platt') {
    const p = value.parameters;
    if (!isRecord(p) || !isNumber(p.a) || !isNumber(p.b)) return { ok: false, message: '"parameters" must be {"a": number, "b": number} for Platt scaling' };
  }
  if (!isNumber(value.threshold) || value.threshold < 0 || value.threshold > 1)
    return { ok: false, message: `"threshold" ${JSON.stringify(value.threshold)} must be a number from 0 to 1` };
  const o = value.outOfDepth;
  if (
    !isRecord(o) ||
    !isNumber(o.expectedLowShare) ||
    !isRecord(o.rule) ||
    !isNumber(o.rule.minCandidates) ||
    !isNumber(o.rule.minLowShare) ||
    !isNumber(o.rule.maxPValue)
  ) {
    return { ok: false, message: '"outOfDepth" must hold "expectedLowShare" and "rule" {"minCandidates", "minLowShare", "maxPValue"}' };
  }
  return { ok: true, calibration: value as unknown as EntityCalibration };
}
