import type { NormalizedValue } from '../../common/normalizedValue';
import type { ConversionReport, EntityNaming, InterchangeFormat, OffsetUnit, ReportCode } from '../../common/interchange';
import type { LabelSchema } from '../../common/labelSchema';
import type { WrittenSpan } from './textOffsets';

export {
  ENTITY_NAMINGS,
  INTERCHANGE_FORMATS,
  OFFSET_UNITS,
  type ConversionReport,
  type EntityNaming,
  type InterchangeFormat,
  type OffsetUnit,
  type ReportCode,
} from '../../common/interchange';

export interface ConversionResult {
  /** The converted file's content. Undefined when the input could not be read at all (see `reports`). */
  output: string | undefined;
  /** Records and labels written to `output`. */
  records: number;
  labels: number;
  /** Everything that was skipped, dropped or is questionable, in input order. */
  reports: ConversionReport[];
}

export interface ConversionOptions {
  schema: LabelSchema;
  /** Default: `tag` for export, `name` for import. */
  entity?: EntityNaming;
  /** Offsets of doccano / Label Studio files; default: the tool's own unit (see each module). */
  offsets?: OffsetUnit;
}

/** A label ready to be written in any format: checked against the text, entity already named. */
export interface CleanLabel {
  entity: string;
  value: string;
  /** Code points, end exclusive. */
  start: number;
  end: number;
  /** 1-based position in the record's labels (for messages). */
  number: number;
  /** Keys of the label other than entity, value, start, end (e.g. annotator). */
  extra: Record<string, unknown>;
  /** The span's normalized value, for formats with a place for it (Label Studio's region meta). */
  normalized?: NormalizedValue;
}

/** A dataset record ready to be exported: only its usable labels, the rest already reported. */
export interface ExportRecord {
  /** 1-based line in the dataset JSONL. */
  line: number;
  id?: string | number;
  text: string;
  labels: CleanLabel[];
  /** Every record key other than text and labels (id and meta included), in the record's order. */
  extra: Record<string, unknown>;
}

/** Collects reports while converting. */
export class Reporter {
  readonly reports: ConversionReport[] = [];

  add(line: number, id: unknown, code: ReportCode, message: string): void {
    this.reports.push({ line, ...(typeof id === 'string' || typeof id === 'number' ? { id } : {}), code, message });
  }
}

/** What a format module writes. */
export interface FormatWriter {
  /** Writes the records; reports (via `reporter`) whatever it cannot represent. */
  write(records: readonly ExportRecord[], reporter: Reporter, options: WriterOptions): { output: string; records: number; labels: number };
}

export interface WriterOptions {
  offsets: OffsetUnit;
}

/** A label as a format module read it, before it is checked against the text. */
export interface RawLabel {
  entity: string;
  /** Already in code points. */
  start: number;
  end: number;
  /** The span's text as the input states it (Label Studio's value.text, CLUENER's mention), if any. */
  value?: string;
  /** The offsets as the input wrote them when they are not [start, end) in code points (CLUENER's inclusive end): messages quote these. */
  written?: WrittenSpan;
  /** Where the label is described, for messages ("label 3", "result 2 of annotation 1"). */
  where: string;
  extra?: Record<string, unknown>;
}

/** A record as a format module read it. */
export interface RawRecord {
  /** 1-based line where the record starts in the input. */
  line: number;
  text: string;
  labels: RawLabel[];
  /** Keys for the dataset record besides text and labels (id, meta, unknown keys), in order. */
  extra: Record<string, unknown>;
}

/** What a format module reads. */
export interface FormatReader {
  /** Parses the whole input. Returns undefined (after reporting why) when it is not this format at all. */
  read(content: string, reporter: Reporter, options: ReaderOptions): RawRecord[] | undefined;
}

export interface ReaderOptions {
  offsets: OffsetUnit;
}

/** One format (its title and extension are in src/common/interchange.ts). */
export interface FormatModule extends FormatWriter, FormatReader {
  id: InterchangeFormat;
  /** The offset unit the tool itself uses; undefined when offsets are not stored (BIO). */
  defaultOffsets?: OffsetUnit;
}
