import { PassThrough } from 'node:stream';
import { runCli } from '../../src/server/cli/cli';

/** Runs `finlabel ARGS` in process and returns its exit code and what it printed. */
export async function runFinlabel(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(args, { stdout, stderr });
  return { code, stdout: out, stderr: err };
}
