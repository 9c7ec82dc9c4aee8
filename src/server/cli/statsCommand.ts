import { cliSchema, SCHEMA_OPTION, SCHEMA_USAGE } from './cliSchema';
import { datasetStats } from '../analysis/stats';
import { statsMarkdown } from '../analysis/statsReport';
import type { CliCommand, CliIo, ExitCode } from './command';
import { parseOptions } from './parseOptions';
import { readInput } from './readInput';

const usage = `Usage: finlabel stats FILE.jsonl [--json]

Statistics of an entity dataset: records (labelled and not), labels per type (types the label schema
does not know listed apart), span and text lengths in characters (Unicode code points: min, p50, p90,
max, mean and a histogram), annotators, and problems by code. Nothing is written.

  --json   the figures as one JSON object instead of tables

${SCHEMA_USAGE}

Exit codes: 0 no problems, 1 the file has problems (the figures are still printed; \`finlabel
validate\` lists them), 2 the file could not be read (or is not UTF-8).
`;

export const statsCommand: CliCommand = {
  summary: 'records, labels per type, span and text lengths, annotators, problems',
  usage,
  async run(args: string[], io: CliIo): Promise<ExitCode> {
    const parsed = parseOptions(args, { json: { type: 'boolean' }, ...SCHEMA_OPTION });
    if (!parsed.ok || parsed.positionals.length !== 1) {
      io.stderr.write(`finlabel stats: ${parsed.ok ? 'expected exactly one FILE' : parsed.message}\n\n${usage}`);
      return 2;
    }
    const file = parsed.positionals[0];
    const input = await readInput(file);
    if (!input.ok) {
      io.stderr.write(`finlabel stats: ${input.message}\n`);
      return 2;
    }
    const schema = await cliSchema('stats', file, parsed.values.schema, io);
    if (!schema) return 2;
    const stats = datasetStats(input.content, file, schema);
    io.stdout.write(parsed.values.json ? `${JSON.stringify(stats, null, 2)}\n` : statsMarkdown(stats));
    if (stats.problemCount > 0 && !parsed.values.json) {
      io.stderr.write(`${file}: ${stats.problemCount} problem${stats.problemCount === 1 ? '' : 's'} (finlabel validate ${file} lists them)\n`);
    }
    return stats.problemCount === 0 ? 0 : 1;
  },
};
