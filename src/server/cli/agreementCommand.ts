import { cliSchema, SCHEMA_OPTION, SCHEMA_USAGE } from './cliSchema';
import type { AgreementReport } from '../../common/datasetReports';
import { annotatorAgreement, fileAgreement } from '../analysis/agreement';
import { agreementMarkdown } from '../analysis/agreementReport';
import type { CliCommand, CliIo, ExitCode } from './command';
import { parseOptions } from './parseOptions';
import { readInput } from './readInput';

const usage = `Usage: finlabel agreement A.jsonl B.jsonl [--annotator-a NAME] [--annotator-b NAME] [--json]
       finlabel agreement FILE.jsonl --annotators NAME,NAME [--json]

Inter-annotator agreement on the records both annotated, per entity type: strict span precision,
recall and F1 (A is the reference; F1 is symmetric), and Cohen's kappa over characters (inside a span
of the type or not), with micro and macro averages and an overall multi-class kappa (O included).
A kappa whose expected agreement is 1 (both marked every character alike) is reported as null with
the reason.

Two files: records are matched by id, or by identical text where ids are missing; records in one
file only and ids whose texts differ are reported. --annotator-a/--annotator-b keep only the labels
whose "annotator" is NAME in that file.
One file: --annotators compares the labels of two annotators ("annotator" field) on every record.

  --json   the report as one JSON object instead of tables

${SCHEMA_USAGE}

Exit codes: 0 compared, 1 something left out of the figures (lines that are not records, labels with
unusable offsets, an id with two texts, an annotator with no label, no record in common; the report
is still printed), 2 the command could not run (bad arguments, unreadable file or not UTF-8).
`;

export const agreementCommand: CliCommand = {
  summary: 'inter-annotator agreement: per-type span F1 and character kappa',
  usage,
  async run(args: string[], io: CliIo): Promise<ExitCode> {
    const fail = (message: string, withUsage = false): ExitCode => {
      io.stderr.write(`finlabel agreement: ${message}\n${withUsage ? `\n${usage}` : ''}`);
      return 2;
    };
    const parsed = parseOptions(args, {
      annotators: { type: 'string' },
      'annotator-a': { type: 'string' },
      'annotator-b': { type: 'string' },
      json: { type: 'boolean' },
      ...SCHEMA_OPTION,
    });
    if (!parsed.ok) return fail(parsed.message, true);
    const files = parsed.positionals;
    const annotators = parsed.values.annotators as string | undefined;
    const annotatorA = parsed.values['annotator-a'] as string | undefined;
    const annotatorB = parsed.values['annotator-b'] as string | undefined;
    if (files.length === 0) return fail('expected one or two FILEs', true);
    const schema = await cliSchema('agreement', files[0], parsed.values.schema, io);
    if (!schema) return 2;
    let report: AgreementReport;
    if (annotators !== undefined) {
      if (files.length !== 1) return fail('--annotators compares two annotators in ONE file', true);
      if (annotatorA !== undefined || annotatorB !== undefined)
        return fail('--annotator-a/--annotator-b are for two files; with one file use --annotators NAME,NAME', true);
      const names = annotators.split(',').map((n) => n.trim());
      if (names.length !== 2 || names.some((n) => n === '')) return fail(`--annotators takes two names separated by a comma, got "${annotators}"`);
      if (names[0] === names[1]) return fail(`--annotators names the same annotator twice ("${names[0]}")`);
      const input = await readInput(files[0]);
      if (!input.ok) return fail(input.message);
      report = annotatorAgreement({ file: files[0], content: input.content }, [names[0], names[1]], schema);
    } else {
      if (files.length !== 2)
        return fail(files.length === 1 ? 'give a second FILE, or --annotators NAME,NAME to compare two annotators of one file' : 'expected two FILEs', true);
      const [inputA, inputB] = await Promise.all(files.map(readInput));
      if (!inputA.ok) return fail(inputA.message);
      if (!inputB.ok) return fail(inputB.message);
      report = fileAgreement(
        { file: files[0], content: inputA.content, ...(annotatorA !== undefined ? { annotator: annotatorA } : {}) },
        { file: files[1], content: inputB.content, ...(annotatorB !== undefined ? { annotator: annotatorB } : {}) },
        schema,
      );
    }
    io.stdout.write(parsed.values.json ? `${JSON.stringify(report, null, 2)}\n` : agreementMarkdown(report));
    if (!parsed.values.json) for (const p of report.problems) io.stderr.write(`${p}\n`);
    return report.problems.length === 0 ? 0 : 1;
  },
};
