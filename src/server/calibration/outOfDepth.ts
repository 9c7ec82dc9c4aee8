/**
 * "Out of its depth": a document whose predictions look unlike the model's development data. The
 * measure is the share of low-confidence candidate spans (decoded spans whose calibrated confidence
 * is below the threshold, i.e. the spans the threshold hides). On text like its dev data a model
 * hides about the dev share; on text it does not know (another domain, noise, another language) it
 * finds spans everywhere and is sure of few.
 *
 * Rule: a document is out of depth when it has at least `minCandidates` candidate spans, more than
 * half of them are low-confidence (`minLowShare`), and a one-sided binomial test says so many would
 * happen by chance less than `maxPValue` of the time if each span were low with the dev's share
 * ((low + 1) / (candidates + 2), smoothed so a dev set without low spans does not make one low span
 * alarming).
 */

export interface OutOfDepthRule {
  minCandidates: number;
  minLowShare: number;
  maxPValue: number;
}

export const DEFAULT_OUT_OF_DEPTH_RULE: OutOfDepthRule = { minCandidates: 5, minLowShare: 0.5, maxPValue: 0.001 };

/** What the card keeps of the dev data for the rule. */
export interface OutOfDepthStats {
  rule: OutOfDepthRule;
  devCandidates: number;
  devLowConfidence: number;
  /** (devLowConfidence + 1) / (devCandidates + 2). */
  expectedLowShare: number;
  /** Candidate spans per 1,000 characters (code points) of dev text; null without dev text. */
  devCandidatesPer1000Chars: number | null;
  /** 95th percentile of the per-record low share, over dev records with a candidate span; null when none. */
  devRecordLowShareP95: number | null;
}

export interface DepthTally {
  candidates: number;
  lowConfidence: number;
}

export interface DepthAssessment extends DepthTally {
  outOfDepth: boolean;
  /** lowConfidence / candidates; null without candidates. */
  lowShare: number | null;
  expectedLowShare: number;
  /** The binomial test's p-value; null when the rule did not need it. */
  pValue: number | null;
}

function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** The card's statistics from the dev records' tallies and lengths. */
export function outOfDepthStats(records: readonly (DepthTally & { chars: number })[], rule: OutOfDepthRule = DEFAULT_OUT_OF_DEPTH_RULE): OutOfDepthStats {
  const candidates = records.reduce((s, r) => s + r.candidates, 0);
  const low = records.reduce((s, r) => s + r.lowConfidence, 0);
  const chars = records.reduce((s, r) => s + r.chars, 0);
  return {
    rule,
    devCandidates: candidates,
    devLowConfidence: low,
    expectedLowShare: (low + 1) / (candidates + 2),
    devCandidatesPer1000Chars: chars === 0 ? null : (1000 * candidates) / chars,
    devRecordLowShareP95: percentile(
      records.filter((r) => r.candidates > 0).map((r) => r.lowConfidence / r.candidates),
      0.95,
    ),
  };
}

/** P(X >= k) for X ~ Binomial(n, p), summed in log space. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let logC = 0;
  for (let i = 1; i <= k; i++) logC += Math.log(n - k + i) - Math.log(i);
  let logTerm = logC + k * Math.log(p) + (n - k) * Math.log1p(-p);
  let sum = 0;
  for (let i = k; i <= n; i++) {
    sum += Math.exp(logTerm);
    logTerm += Math.log(n - i) - Math.log(i + 1) + Math.log(p) - Math.log1p(-p);
  }
  return Math.min(1, sum);
}

export function assessDepth(stats: OutOfDepthStats, tally: DepthTally): DepthAssessment {
  const { candidates, lowConfidence } = tally;
  const lowShare = candidates === 0 ? null : lowConfidence / candidates;
  const base = { candidates, lowConfidence, lowShare, expectedLowShare: stats.expectedLowShare };
  if (candidates < stats.rule.minCandidates || lowShare === null || lowShare <= stats.rule.minLowShare) return { ...base, outOfDepth: false, pValue: null };
  const pValue = binomialUpperTail(lowConfidence, candidates, stats.expectedLowShare);
  return { ...base, outOfDepth: pValue < stats.rule.maxPValue, pValue };
}
