import { validateJsonl } from '../dataset/validateFile';
import { loadSchemaForDataset, schemaUsedLine } from '../schema/schemaDiscovery';
import type { CliIo, ExitCode } from './command';
import { parseOptions } from './parseOptions';
import { readInput } from './readInput';

const usage = `Usage: finlabel validate FILE.jsonl [--schema SCHEMA.json] [--json]

Checks an entity dataset: malformed JSON lines, missing text, offsets out of range or reversed,
values that differ from the text they point at, unknown entity types, overlapping spans.
Offsets are Unicode code points, end exclusive. Nothing is written.

  --schema SCHEMA.json  the label schema ({"labels": [{"name","tag",...}]}); by default the nearest
                        .finlabel/labels.json in the file's folder or above it, else the built-in
                        types (借款金额, 担保方式, 还款期限). Which one is used is said on stderr.
  --json                one JSON object per problem: {"line","code","message"} (lines counted from 1)

Exit codes: 0 no problems, 1 problems found, 2 the file or the schema could not be read or has errors
(a file that is not UTF-8 is refused with the line and byte offset of its first bad byte).
`;

export const validateCommand = {
  summary: 'check a dataset JSONL and report every problem with its line',
  usage,
  async run(args: string[], io: CliIo): Promise<ExitCode> {
    const parsed = parseOptions(args, { json: { type: 'boolean' }, schema: { type: 'string' } });
    if (!parsed.ok || parsed.positionals.length !== 1) {
      io.stderr.write(`finlabel validate: ${parsed.ok ? 'expected exactly one FILE' : parsed.message}\n\n${usage}`);
      return 2;
    }
    const file = parsed.positionals[0];
    const input = await readInput(file);
    if (!input.ok) {
      io.stderr.write(`finlabel validate: ${input.message}\n`);
      return 2;
    }
    const schema = await loadSchemaForDataset(file, parsed.values.schema as string | undefined);
    if (!schema.ok) {
      for (const m of schema.messages) io.stderr.write(`${m}\n`);
      io.stderr.write('finlabel validate: no usable label schema; nothing was validated\n');
      return 2;
    }
    io.stderr.write(`${schemaUsedLine(schema)}\n`);
    for (const w of schema.warnings) io.stderr.write(`${w}\n`);
    const problems = validateJsonl(input.content, schema.schema);
    if (parsed.values.json) {
      for (const p of problems) io.stdout.write(`${JSON.stringify({ line: p.line, code: p.code, message: p.message })}\n`);
    } else {
      for (const p of problems) io.stdout.write(`${file}:${p.line}: ${p.code}: ${p.message}\n`);
      io.stderr.write(problems.length === 0 ? `${file}: no problems\n` : `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
    }
    return problems.length === 0 ? 0 : 1;
  },
};
