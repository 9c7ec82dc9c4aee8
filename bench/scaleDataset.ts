// The benchmark's large dataset, drawn by the sample generator (write it with writeScaleDataset.ts).
import { Rng, deriveSeed } from '../src/server/util/prng';
import { generateRecords, recordsToJsonl, RECORD_COUNTS } from '../src/server/samples/records';

/** The sample mix scaled to `total` records, without long ones (a long record is ~6x a short one; they go to the contract benchmarks). */
export function scaleDataset(total: number, seed = 42): string {
  const scale = total / RECORD_COUNTS.total;
  const counts = {
    total,
    long: 0,
    crlf: Math.round(RECORD_COUNTS.crlf * scale),
    empty: Math.round(RECORD_COUNTS.empty * scale),
    nonBmp: Math.round(RECORD_COUNTS.nonBmp * scale),
    quotes: Math.round(RECORD_COUNTS.quotes * scale),
  };
  return recordsToJsonl(generateRecords(new Rng(deriveSeed(seed, 'bench-scale')), counts));
}
