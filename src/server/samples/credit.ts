/**
 * The credit CSV: enterprise records with the original blog post's columns and a default label drawn from a plausible,
 * noisy risk process. Lower tax, a high utility-to-tax ratio (activity not matched by declared income),
 * few years in operation and a weak regional economy raise the odds of default; unobserved factors and
 * the coin flip keep it learnable but not perfectly.
 */
import { creditFileCompany } from './names';
import type { Rng } from '../util/prng';
import { REGIONS, REGION_CITIES } from './vocab';
import type { CsvCell } from './csv';

export const CREDIT_COLUMNS = ['企业名称', '纳税额(万元)', '水电费(万元)', '经营年限(年)', '区域', '区域经济指数', '是否违约'] as const;

export interface CreditRow {
  name: string;
  /** 纳税额(万元); null = blank cell. */
  tax: number | null;
  /** 水电费(万元) */
  utility: number | null;
  /** 经营年限(年) */
  years: number | null;
  region: string | null;
  /** 区域经济指数 */
  regionIndex: number | null;
  defaulted: 0 | 1;
}

export interface CreditOptions {
  rows: number;
  /** Mean default probability the intercept is calibrated to. */
  baseRate: number;
  /** Chance that a numeric cell is blank (per cell). */
  missingNumeric: number;
  /** Chance that the region cell is blank. */
  missingRegion: number;
}

export const CREDIT_DEFAULTS: CreditOptions = { rows: 3000, baseRate: 0.15, missingNumeric: 0.05, missingRegion: 0.006 };

interface Latent {
  name: string;
  tax: number;
  utility: number;
  years: number;
  region: string;
  regionIndex: number;
}

const round = (x: number, decimals: number): number => Number(x.toFixed(decimals));
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

function drawEnterprise(rng: Rng): Latent {
  const { region, indexCentre } = rng.weighted(REGIONS.map((r) => [r, r.weight] as const));
  const regionIndex = round(indexCentre + rng.normal() * 6, 1);
  const years = clamp(Math.round(Math.exp(Math.log(8) + 0.65 * rng.normal())), 1, 40);
  const size = rng.normal();
  const tax = clamp(Math.exp(Math.log(25) + 1.1 * size + 0.02 * (regionIndex - 100) + 0.2 * Math.log(years) + 0.4 * rng.normal()), 0.1, 20000);
  const utility = Math.max(0.05, tax * Math.exp(Math.log(0.35) + 0.55 * rng.normal()));
  return { name: creditFileCompany(rng, rng.pick(REGION_CITIES[region])), tax: round(tax, 2), utility: round(utility, 2), years, region, regionIndex };
}

function standardize(xs: readonly number[]): number[] {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length) || 1;
  return xs.map((x) => (x - mean) / sd);
}

/** The risk score without intercept: standardized features, a young-firm bump, unobserved noise. */
function riskScores(rng: Rng, firms: readonly Latent[]): number[] {
  const logTax = standardize(firms.map((f) => Math.log(f.tax)));
  const logRatio = standardize(firms.map((f) => Math.log(f.utility / f.tax)));
  const logYears = standardize(firms.map((f) => Math.log(f.years)));
  const index = standardize(firms.map((f) => f.regionIndex));
  return firms.map((f, i) =>
    -0.85 * logTax[i] + 0.75 * logRatio[i] - 0.55 * logYears[i] - 0.45 * index[i] + (f.years <= 2 ? 0.5 : 0) + 0.6 * rng.normal(),
  );
}

/** The intercept that makes the mean default probability `rate` (bisection; the mean is monotone in it). */
function calibrateIntercept(scores: readonly number[], rate: number): number {
  let lo = -15;
  let hi = 15;
  for (let k = 0; k < 80; k++) {
    const mid = (lo + hi) / 2;
    const mean = scores.reduce((s, z) => s + sigmoid(mid + z), 0) / scores.length;
    if (mean < rate) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function generateCreditRows(rng: Rng, opts: CreditOptions = CREDIT_DEFAULTS): CreditRow[] {
  const firms = Array.from({ length: opts.rows }, () => drawEnterprise(rng));
  const scores = riskScores(rng, firms);
  const b0 = calibrateIntercept(scores, opts.baseRate);
  const blank = <T>(v: T, p: number): T | null => (rng.chance(p) ? null : v);
  return firms.map((f, i) => {
    const defaulted: 0 | 1 = rng.chance(sigmoid(b0 + scores[i])) ? 1 : 0;
    // cells go missing after the label is drawn, as in real exports (the label does not know)
    return {
      name: f.name,
      tax: blank(f.tax, opts.missingNumeric),
      utility: blank(f.utility, opts.missingNumeric),
      years: blank(f.years, opts.missingNumeric),
      region: blank(f.region, opts.missingRegion),
      regionIndex: blank(f.regionIndex, opts.missingNumeric),
      defaulted,
    };
  });
}

export function creditCells(r: CreditRow): CsvCell[] {
  const fixed = (x: number | null, d: number): CsvCell => (x === null ? null : x.toFixed(d));
  return [r.name, fixed(r.tax, 2), fixed(r.utility, 2), r.years, r.region, fixed(r.regionIndex, 1), r.defaulted];
}
