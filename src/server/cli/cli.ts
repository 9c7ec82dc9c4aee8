import { VERSION } from '../../common/version';
import { validateCommand } from './validateCommand';
import { samplesCommand } from './samplesCommand';
import { exportCommand } from './exportCommand';
import { importCommand } from './importCommand';
import { statsCommand } from './statsCommand';
import { splitCommand } from './splitCommand';
import { agreementCommand } from './agreementCommand';
import { scoreCommand } from './scoreCommand';
import { trainCommand } from './trainCommand';
import { predictCommand } from './predictCommand';
import { evalCommand } from './evalCommand';
import { extractCommand } from './extractCommand';

import type { CliCommand, CliIo, ExitCode } from './command';
import { terminalOutput } from './terminalText';

export type { CliIo, ExitCode } from './command';

const COMMANDS: Record<string, CliCommand> = {
  validate: validateCommand,
  samples: samplesCommand,
  export: exportCommand,
  import: importCommand,
  stats: statsCommand,
  split: splitCommand,
  agreement: agreementCommand,
  score: scoreCommand,
  train: trainCommand,
  predict: predictCommand,
  eval: evalCommand,
  extract: extractCommand,
};

function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'finlabel — label, validate and model Chinese contract text (the CLI of the FinLabel VS Code extension)',
    '',
    'Usage: finlabel <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (also: finlabel <command> --help)',
    '  -v, --version  print the version',
    '',
    'Exit codes: 0 success, 1 the data has problems, 2 the command could not run.',
    '',
  ].join('\n');
}

/**
 * Runs `finlabel ARGV`. Everything a command prints goes through here with the characters a terminal
 * would act on (ESC, BEL, bidi overrides, ... from a file, an id, a file name) escaped as \uXXXX.
 */
export async function runCli(argv: string[], terminal: CliIo): Promise<ExitCode> {
  const io: CliIo = { stdout: terminalOutput(terminal.stdout), stderr: terminalOutput(terminal.stderr) };
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    const sub = name === 'help' ? COMMANDS[rest[0] ?? ''] : undefined;
    io.stdout.write(sub ? sub.usage : helpText());
    return name === undefined ? 2 : 0;
  }
  if (name === '-v' || name === '--version') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`finlabel: unknown command "${name}"\n\n${helpText()}`);
    return 2;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    io.stdout.write(command.usage);
    return 0;
  }
  return command.run(rest, io);
}
