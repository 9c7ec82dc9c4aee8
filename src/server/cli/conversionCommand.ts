import { cliSchema, SCHEMA_OPTION } from './cliSchema';
import { formatConversionReport } from '../../common/interchange';
import { convertFile, ConvertFileError, type ConversionDirection } from '../interchange/convertFile';
import { ENTITY_NAMINGS, INTERCHANGE_FORMATS, OFFSET_UNITS, isInterchangeFormat, type EntityNaming, type OffsetUnit } from '../interchange';
import type { CliCommand, CliIo, ExitCode } from './command';
import { parseOptions } from './parseOptions';

/** `finlabel export` and `finlabel import`: the same options, in opposite directions. */
export function conversionCommand(direction: ConversionDirection, summary: string, usage: string): CliCommand {
  const formatFlag = direction === 'export' ? 'to' : 'from';
  const name = `finlabel ${direction}`;
  return {
    summary,
    usage,
    async run(args: string[], io: CliIo): Promise<ExitCode> {
      const parsed = parseOptions(args, {
        [formatFlag]: { type: 'string' },
        out: { type: 'string', short: 'o' },
        entity: { type: 'string' },
        offsets: { type: 'string' },
        json: { type: 'boolean' },
        ...SCHEMA_OPTION,
      });
      const usageError = (message: string): ExitCode => {
        io.stderr.write(`${name}: ${message}\n\n${usage}`);
        return 2;
      };
      if (!parsed.ok) return usageError(parsed.message);
      if (parsed.positionals.length !== 1) return usageError('expected exactly one input FILE');
      const format = parsed.values[formatFlag] as string | undefined;
      const out = parsed.values.out as string | undefined;
      const entity = (parsed.values.entity as string | undefined) ?? (direction === 'export' ? 'tag' : 'name');
      const offsets = parsed.values.offsets as string | undefined;
      if (format === undefined) return usageError(`--${formatFlag} FORMAT is required (${INTERCHANGE_FORMATS.join(', ')})`);
      if (!isInterchangeFormat(format)) return usageError(`unknown format "${format}" (expected ${INTERCHANGE_FORMATS.join(', ')})`);
      if (out === undefined) return usageError('-o OUT is required');
      if (!(ENTITY_NAMINGS as readonly string[]).includes(entity)) return usageError(`--entity must be ${ENTITY_NAMINGS.join(', ')}, got "${entity}"`);
      if (offsets !== undefined && !(OFFSET_UNITS as readonly string[]).includes(offsets)) {
        return usageError(`--offsets must be ${OFFSET_UNITS.join(' or ')}, got "${offsets}"`);
      }

      const input = parsed.positionals[0];
      const schema = await cliSchema(direction, direction === 'export' ? input : out, parsed.values.schema, io);
      if (!schema) return 2;
      let result;
      try {
        result = await convertFile({
          direction,
          format,
          input,
          output: out,
          schema,
          entity: entity as EntityNaming,
          ...(offsets !== undefined ? { offsets: offsets as OffsetUnit } : {}),
        });
      } catch (err) {
        if (!(err instanceof ConvertFileError)) throw err;
        io.stderr.write(`${name}: ${err.message}\n`);
        return 2;
      }
      for (const r of result.reports) io.stdout.write(parsed.values.json ? `${JSON.stringify(r)}\n` : `${formatConversionReport(input, r)}\n`);
      const reported =
        result.reports.length === 0 ? '' : `; ${result.reports.length} report${result.reports.length === 1 ? '' : 's'}${parsed.values.json ? '' : ' above'}`;
      io.stderr.write(
        result.written
          ? `${name}: wrote ${result.records} record${result.records === 1 ? '' : 's'} (${result.labels} label${result.labels === 1 ? '' : 's'}) to ${out}${reported}\n`
          : `${name}: ${input} could not be read as ${format}; nothing written${reported}\n`,
      );
      return result.reports.length === 0 ? 0 : 1;
    },
  };
}
