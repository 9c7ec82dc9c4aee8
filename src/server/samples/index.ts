/**
 * Deterministic sample workspace: due-diligence JSONL with gold labels, contract texts and a credit CSV.
 * The same seed gives byte-identical files; each file draws from its own PRNG stream (see prng.ts).
 */
import { generateContracts } from './contracts';
import { CREDIT_COLUMNS, creditCells, generateCreditRows } from './credit';
import { toCsv } from './csv';
import { Rng, deriveSeed } from '../util/prng';
import { renderReadme } from './readme';
import { generateRecords, recordsToJsonl } from './records';
import { writeFiles, type OutputFile } from './writer';

export interface SampleFile {
  /** Relative to the output folder, "/"-separated. */
  path: string;
  description: string;
}

/** Generates the sample files in memory (no I/O). */
function generateSamples(seed: number): OutputFile[] {
  const records = generateRecords(new Rng(deriveSeed(seed, 'due_diligence.jsonl')));
  const contracts = generateContracts(new Rng(deriveSeed(seed, 'contracts')));
  const credit = generateCreditRows(new Rng(deriveSeed(seed, 'credit.csv')));

  const labelsByEntity: Record<string, number> = {};
  for (const r of records) for (const l of r.labels) labelsByEntity[l.entity] = (labelsByEntity[l.entity] ?? 0) + 1;
  const readme = renderReadme({
    seed,
    records: records.length,
    labels: Object.values(labelsByEntity).reduce((s, n) => s + n, 0),
    labelsByEntity,
    creditRows: credit.length,
    defaultRate: credit.filter((r) => r.defaulted === 1).length / credit.length,
    contracts,
  });

  return [
    { path: 'README.md', description: 'what each sample file is and how to regenerate it', content: readme },
    {
      path: 'due_diligence.jsonl',
      description: `${records.length} labelled due-diligence and contract records (借款金额, 担保方式, 还款期限)`,
      content: recordsToJsonl(records),
    },
    ...contracts,
    {
      path: 'credit.csv',
      description: `${credit.length} enterprise credit records with a default label (是否违约)`,
      content: toCsv(CREDIT_COLUMNS, credit.map(creditCells)),
    },
  ];
}

/** Writes the sample workspace into `folder` (created if missing), overwriting only its own files. */
export function writeSamples(folder: string, seed: number): SampleFile[] {
  const files = generateSamples(seed);
  writeFiles(folder, files);
  return files.map(({ path, description }) => ({ path, description }));
}
