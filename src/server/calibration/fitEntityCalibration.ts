/**
 * Fits an entity model's calibration on its dev split's decoded spans: Platt scaling of the raw span
 * score against "the span strictly matches a gold span", the threshold with the best micro F1, the
 * reliability table and Brier scores, and the out-of-depth statistics.
 */
import type { EntityCalibration } from './entityCalibration';
import { chooseThreshold } from './bestThreshold';
import { DEFAULT_OUT_OF_DEPTH_RULE, outOfDepthStats, type OutOfDepthRule } from './outOfDepth';
import { applyPlatt, fitPlatt } from './plattScaling';
import { brierScore, reliabilityTable } from './reliability';

/** One dev record's decoded spans (raw scores), each marked correct or not, and its gold count. */
export interface ScoredDevRecord {
  spans: readonly { score: number; correct: boolean }[];
  goldSpans: number;
  /** Code points of the record's text. */
  chars: number;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export function fitEntityCalibration(
  records: readonly ScoredDevRecord[],
  graph: string,
  rule: OutOfDepthRule = DEFAULT_OUT_OF_DEPTH_RULE,
  now: Date = new Date(),
): EntityCalibration {
  const scores = records.flatMap((r) => r.spans.map((s) => s.score));
  const correct = records.flatMap((r) => r.spans.map((s) => s.correct));
  const gold = records.reduce((s, r) => s + r.goldSpans, 0);
  const hits = correct.filter(Boolean).length;
  const parameters = scores.length > 0 ? fitPlatt(scores, correct) : null;
  const confidences = parameters ? scores.map((s) => applyPlatt(parameters, s)) : scores;
  const choice = chooseThreshold(confidences, correct, gold);
  let next = 0;
  const tallies = records.map((r) => {
    const own = confidences.slice(next, next + r.spans.length);
    next += r.spans.length;
    return { candidates: own.length, lowConfidence: own.filter((c) => c < choice.threshold).length, chars: r.chars };
  });
  return {
    method: parameters ? 'platt' : 'none',
    score: 'span-geometric-mean',
    parameters,
    threshold: choice.threshold,
    graph,
    dev: {
      records: records.length,
      goldSpans: gold,
      candidateSpans: scores.length,
      correctSpans: hits,
      all: { precision: ratio(hits, scores.length), recall: ratio(hits, gold), f1: ratio(2 * hits, scores.length + gold) },
      atThreshold: { precision: choice.precision, recall: choice.recall, f1: choice.f1, kept: choice.kept },
    },
    reliability: reliabilityTable(confidences, correct),
    brier: brierScore(confidences, correct),
    brierRaw: brierScore(scores, correct),
    outOfDepth: outOfDepthStats(tallies, rule),
    fittedAt: now.toISOString(),
  };
}
