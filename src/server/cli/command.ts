/** Where a command prints: stdout or stderr (runCli escapes what the terminal would act on). */
export interface CliOutput {
  write(text: string): unknown;
}

/** What every `finlabel` subcommand provides; cli.ts lists them. */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
}

/** Exit codes: 0 success, 1 the data has problems, 2 the command could not run (usage, missing file). */
export type ExitCode = 0 | 1 | 2;

export interface CliCommand {
  /** One line for `finlabel --help`. */
  summary: string;
  /** The whole `finlabel <command> --help` text. */
  usage: string;
  run(args: string[], io: CliIo): Promise<ExitCode>;
}
