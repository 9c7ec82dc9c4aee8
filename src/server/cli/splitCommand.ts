import { cliSchema, SCHEMA_OPTION, SCHEMA_USAGE } from './cliSchema';
import { resolve } from 'node:path';
import { parseRatios } from '../../common/splitRatios';
import { planSplit } from '../analysis/split';
import { writeSplit } from '../analysis/splitOutput';
import { splitMarkdown } from '../analysis/splitReport';
import type { CliCommand, CliIo, ExitCode } from './command';
import { parseOptions } from './parseOptions';
import { readInput } from './readInput';

const usage = `Usage: finlabel split FILE.jsonl -o DIR [--ratios 0.8,0.1,0.1] [--seed 42] [--force] [--json]

Splits an entity dataset into train/dev/test files (2 ratios: train/test) so that every entity type
keeps about the same share of its labels in each split (iterative stratification). Records sharing an
id always go to the same split; a record without id is on its own. The same seed gives the same split.
Each output line is the input line as it is, never re-serialised, in input order; blank lines are not
copied. A line that is not a record refuses the split: nothing is written until it is fixed.

  -o, --out DIR      folder for train.jsonl, dev.jsonl, test.jsonl (created if missing)
  --ratios R,R[,R]   2 or 3 positive shares summing to 1 (default 0.8,0.1,0.1)
  --seed N           random seed, a non-negative integer (default 42)
  --force            overwrite split files that already exist and are not empty
  --json             print the summary as JSON instead of a table

${SCHEMA_USAGE}

Exit codes: 0 written, 1 some lines are not records (each is listed; nothing written),
2 the command could not run (bad arguments, unreadable input or not UTF-8, files that would be overwritten).
`;

export const splitCommand: CliCommand = {
  summary: 'stratified train/dev/test split that keeps records sharing an id together',
  usage,
  async run(args: string[], io: CliIo): Promise<ExitCode> {
    const fail = (message: string, withUsage = false): ExitCode => {
      io.stderr.write(`finlabel split: ${message}\n${withUsage ? `\n${usage}` : ''}`);
      return 2;
    };
    const parsed = parseOptions(args, {
      out: { type: 'string', short: 'o' },
      ratios: { type: 'string' },
      seed: { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      ...SCHEMA_OPTION,
    });
    if (!parsed.ok) return fail(parsed.message, true);
    if (parsed.positionals.length !== 1) return fail('expected exactly one FILE', true);
    const out = parsed.values.out as string | undefined;
    if (!out) return fail('give the output folder with -o DIR', true);
    const ratios = parseRatios((parsed.values.ratios as string | undefined) ?? '0.8,0.1,0.1');
    if (!ratios.ok) return fail(`--ratios: ${ratios.message}`);
    const seedText = (parsed.values.seed as string | undefined) ?? '42';
    const seed = /^\d+$/.test(seedText) ? Number(seedText) : NaN;
    if (!Number.isSafeInteger(seed)) return fail(`--seed must be a non-negative integer, got "${seedText}"`);

    const file = parsed.positionals[0];
    const input = await readInput(file);
    if (!input.ok) return fail(input.message);
    const schema = await cliSchema('split', file, parsed.values.schema, io);
    if (!schema) return 2;
    const planned = planSplit(input.content, { file, outDir: resolve(out), ratios: ratios.ratios, seed, schema });
    if (!planned.ok) {
      for (const p of planned.problems) io.stderr.write(`${file}:${p.line}: ${p.code}: ${p.message}\n`);
      io.stderr.write(`finlabel split: ${planned.message}\n`);
      return planned.problems.length > 0 ? 1 : 2;
    }
    const written = await writeSplit(planned.plan, { force: parsed.values.force === true, inputPath: file });
    if (!written.ok) return fail(written.wouldOverwrite.length > 0 ? `${written.message}; add --force to overwrite` : written.message);
    const summary = planned.plan.summary;
    io.stdout.write(parsed.values.json ? `${JSON.stringify(summary, null, 2)}\n` : splitMarkdown(summary));
    io.stderr.write(`wrote ${summary.parts.map((p) => `${p.name}.jsonl (${p.records})`).join(', ')} to ${summary.outDir}\n`);
    return 0;
  },
};
