import { parseArgs, type ParseArgsConfig } from 'node:util';

/** node:util parseArgs, with its errors turned into a one-line usage message. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
): { ok: true; values: Record<string, string | boolean | undefined>; positionals: string[] } | { ok: false; message: string } {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { ok: true, values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}
