/**
 * Dataset interchange: FinLabel's JSONL to and from BIO, doccano, Label Studio and CLUENER. Each
 * format's module documents its decisions (offset units, escapes, where extra keys go). Nothing is
 * dropped silently: whatever cannot be carried over is in the result's `reports`.
 */
import { parseDataset, recordLine } from '../dataset/datasetFile';
import { bioFormat } from './bio';
import { cluenerFormat } from './cluener';
import { doccanoFormat } from './doccano';
import { EntityNamer } from './entityNaming';
import { exportRecords } from './exportRecords';
import { importRecords } from './importRecords';
import { labelStudioFormat } from './labelStudio';
import { Reporter, type ConversionOptions, type ConversionReport, type ConversionResult, type FormatModule, type InterchangeFormat } from './types';

export * from './types';

export const FORMATS: Readonly<Record<InterchangeFormat, FormatModule>> = {
  bio: bioFormat,
  doccano: doccanoFormat,
  labelstudio: labelStudioFormat,
  cluener: cluenerFormat,
};

export function isInterchangeFormat(name: string): name is InterchangeFormat {
  return Object.prototype.hasOwnProperty.call(FORMATS, name);
}

/** Converts the content of a dataset JSONL into `format`. */
export function exportDataset(jsonl: string, format: InterchangeFormat, options: ConversionOptions): ConversionResult {
  const module = FORMATS[format];
  const reporter = new Reporter();
  const namer = new EntityNamer(options.schema, options.entity ?? 'tag');
  const records = exportRecords(parseDataset(jsonl, options.schema), namer, reporter);
  const written = module.write(records, reporter, { offsets: options.offsets ?? module.defaultOffsets ?? 'codepoint' });
  namer.reportUnknown(reporter);
  return { output: written.output, records: written.records, labels: written.labels, reports: inLineOrder(reporter.reports) };
}

/** Converts the content of a file in `format` into a dataset JSONL. */
export function importDataset(content: string, format: InterchangeFormat, options: ConversionOptions): ConversionResult {
  const module = FORMATS[format];
  const reporter = new Reporter();
  const raw = module.read(content, reporter, { offsets: options.offsets ?? module.defaultOffsets ?? 'codepoint' });
  if (!raw) return { output: undefined, records: 0, labels: 0, reports: inLineOrder(reporter.reports) };
  const namer = new EntityNamer(options.schema, options.entity ?? 'name');
  const records = importRecords(raw, namer, reporter);
  namer.reportUnknown(reporter);
  const output = records.map((r) => `${recordLine(r)}\n`).join('');
  const labels = records.reduce((n, r) => n + (r.labels?.length ?? 0), 0);
  return { output, records: records.length, labels, reports: inLineOrder(reporter.reports) };
}

function inLineOrder(reports: ConversionReport[]): ConversionReport[] {
  return reports
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.line - b.r.line || a.i - b.i)
    .map(({ r }) => r);
}
