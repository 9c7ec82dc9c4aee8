import { runCli } from './cli';
import { escapeForTerminal } from './terminalText';

// `finlabel validate big.jsonl | head`: the reader went away, which is not an error of ours.
// Stop quietly, with the exit code a shell expects from a process whose pipe closed.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(escapeForTerminal(`finlabel: ${err instanceof Error ? err.message : String(err)}\n`));
    process.exitCode = 2;
  },
);
