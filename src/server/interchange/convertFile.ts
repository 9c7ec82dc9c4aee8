import { randomBytes } from 'node:crypto';
import { realpath, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { NotUtf8Error, readUtf8File } from '../encoding/utf8File';
import { exportDataset, importDataset } from './index';
import type { ConversionOptions, ConversionResult, InterchangeFormat } from './types';

export type ConversionDirection = 'export' | 'import';

export interface ConvertFileRequest extends ConversionOptions {
  direction: ConversionDirection;
  format: InterchangeFormat;
  /** Paths in the file system (relative ones against the working directory). */
  input: string;
  output: string;
}

export interface ConvertFileResult extends Omit<ConversionResult, 'output'> {
  /** Absolute paths. */
  input: string;
  output: string;
  /** False when the input could not be read as its format at all: no file was written. */
  written: boolean;
}

/** The conversion could not run (input unreadable or not UTF-8, output would replace the input, cannot write). */
export class ConvertFileError extends Error {}

/**
 * Converts one file into another. Refuses to write over its input; writes the output to a temporary
 * file next to it and renames it into place, so a failed run never leaves a partial file.
 */
export async function convertFile(request: ConvertFileRequest): Promise<ConvertFileResult> {
  const input = resolve(request.input);
  const output = resolve(request.output);
  let content: string;
  try {
    content = await readUtf8File(input);
  } catch (err) {
    if (err instanceof NotUtf8Error) throw new ConvertFileError(err.message);
    throw new ConvertFileError(`cannot read ${input}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if ((await canonical(input)) === (await canonical(output))) {
    throw new ConvertFileError(`refusing to write the output over the input file ${input}; choose another output file`);
  }
  const convert = request.direction === 'export' ? exportDataset : importDataset;
  const { output: converted, ...counts } = convert(content, request.format, request);
  if (converted === undefined) return { ...counts, input, output, written: false };
  await writeFileAtomically(output, converted);
  return { ...counts, input, output, written: true };
}

/** The real path of a file, or of its folder joined with its name when the file does not exist yet. */
async function canonical(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    try {
      return join(await realpath(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

export async function writeFileAtomically(path: string, content: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, 'utf8');
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new ConvertFileError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
