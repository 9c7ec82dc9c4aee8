import type { LabelSchema } from '../../common/labelSchema';
import { loadSchemaForDataset, schemaUsedLine } from '../schema/schemaDiscovery';
import type { CliIo } from './command';

/** The `--schema` option every dataset command takes. */
export const SCHEMA_OPTION = { schema: { type: 'string' } } as const;

export const SCHEMA_USAGE = `  --schema SCHEMA.json  the label schema; by default the nearest .finlabel/labels.json in the
                        dataset's folder or above it, else the built-in types`;

/**
 * The label schema for a dataset command: --schema, else the nearest .finlabel/labels.json, else
 * the defaults. Says which on stderr; undefined (after printing why) when the schema has errors.
 */
export async function cliSchema(command: string, datasetPath: string, explicit: unknown, io: CliIo): Promise<LabelSchema | undefined> {
  const load = await loadSchemaForDataset(datasetPath, typeof explicit === 'string' ? explicit : undefined);
  if (!load.ok) {
    for (const m of load.messages) io.stderr.write(`${m}\n`);
    io.stderr.write(`finlabel ${command}: no usable label schema; nothing was done\n`);
    return undefined;
  }
  io.stderr.write(`${schemaUsedLine(load)}\n`);
  for (const w of load.warnings) io.stderr.write(`${w}\n`);
  return load.schema;
}
