import { resolve } from 'node:path';
import { writeSamples } from '../samples';
import type { CliIo, ExitCode } from './command';
import { parseOptions } from './parseOptions';

const usage = `Usage: finlabel samples [-o DIR] [--seed N]

Writes the sample workspace (due-diligence JSONL with gold labels, contract texts, credit CSV),
the same bytes for the same seed. Overwrites only the files it generates.

  -o, --out DIR   output folder (default: samples)
  --seed N        random seed (default: 42)
`;

export const samplesCommand = {
  summary: 'generate the sample workspace (deterministic from a seed)',
  usage,
  async run(args: string[], io: CliIo): Promise<ExitCode> {
    const parsed = parseOptions(args, { out: { type: 'string', short: 'o' }, seed: { type: 'string' } });
    if (!parsed.ok || parsed.positionals.length > 0) {
      io.stderr.write(`finlabel samples: ${parsed.ok ? 'unexpected argument ' + parsed.positionals[0] : parsed.message}\n\n${usage}`);
      return 2;
    }
    const seedText = (parsed.values.seed as string | undefined) ?? '42';
    const seed = Number(seedText);
    if (!Number.isSafeInteger(seed) || seed < 0) {
      io.stderr.write(`finlabel samples: --seed must be a non-negative integer, got "${seedText}"\n`);
      return 2;
    }
    const folder = resolve((parsed.values.out as string | undefined) ?? 'samples');
    const files = writeSamples(folder, seed);
    for (const f of files) io.stdout.write(`${f.path}\t${f.description}\n`);
    io.stderr.write(`wrote ${files.length} files to ${folder} (seed ${seed})\n`);
    return 0;
  },
};
