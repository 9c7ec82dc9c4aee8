/**
 * Dataset interchange vocabulary shared by the CLI, the language server and the extension: the
 * formats FinLabel converts to and from, and what a conversion reports. The conversions themselves
 * are in src/server/interchange.
 */

export const INTERCHANGE_FORMATS = ['bio', 'doccano', 'labelstudio', 'cluener'] as const;
export type InterchangeFormat = (typeof INTERCHANGE_FORMATS)[number];

export interface InterchangeFormatInfo {
  /** Shown in pickers and help. */
  title: string;
  /** One line on what the file looks like. */
  detail: string;
  /** The usual file extension, with its dot. */
  extension: string;
}

export const INTERCHANGE_FORMAT_INFO: Readonly<Record<InterchangeFormat, InterchangeFormatInfo>> = {
  bio: { title: 'BIO (CoNLL)', detail: 'one character per line, CHAR<TAB>B-TAG/I-TAG/O, a blank line between records', extension: '.bio' },
  doccano: { title: 'doccano JSONL', detail: '{"text","label":[[start,end,"TAG"]]}, offsets in UTF-16 code units', extension: '.jsonl' },
  labelstudio: { title: 'Label Studio JSON', detail: 'task list with data.text and one annotation, offsets in code points', extension: '.json' },
  cluener: { title: 'CLUENER JSONL', detail: '{"text","label":{TYPE:{mention:[[start,end_inclusive]]}}}', extension: '.json' },
};

/**
 * How entity types are written: the schema's display name (借款金额), its tag (LOAN_AMOUNT), or the
 * string the input used. Types the schema does not know are always written as they are.
 */
export const ENTITY_NAMINGS = ['name', 'tag', 'as-is'] as const;
export type EntityNaming = (typeof ENTITY_NAMINGS)[number];

/** What a format's `start`/`end` count: Unicode code points (Python) or UTF-16 code units (JavaScript). */
export const OFFSET_UNITS = ['codepoint', 'utf16'] as const;
export type OffsetUnit = (typeof OFFSET_UNITS)[number];

/** Why something of the input is not in the output exactly as it was. Stable: scripts filter on them. */
export type ReportCode =
  /** The whole file or a record cannot be read (bad JSON, no text, bad BIO line): skipped. */
  | 'unreadable-record'
  /** A label with unusable offsets, a missing field or a wrong value: not converted. */
  | 'invalid-label'
  /** Import: the mention text the input gives differs from the text at its offsets; kept as written. */
  | 'value-mismatch'
  /** BIO export: a span overlapping another cannot be tagged; not exported. */
  | 'overlapping-label'
  /** An entity type the label schema does not know; written as it is. */
  | 'unknown-entity'
  /** A field (record key, label key, Label Studio annotation…) the target format has no place for; dropped. */
  | 'dropped-field'
  /** BIO import: a tag sequence that is not valid BIO (I- without B-); read as the start of a span. */
  | 'invalid-tag';

/** One thing of the input that could not be carried over as it was. */
export interface ConversionReport {
  /** 1-based line of the input file the report is about (the record's line, or the offending line). */
  line: number;
  /** The record's id, when it has one. */
  id?: string | number;
  code: ReportCode;
  message: string;
}

/** `FILE:LINE: CODE: [id] message`, the way `finlabel validate` prints problems. */
export function formatConversionReport(file: string, r: ConversionReport): string {
  return `${file}:${r.line}: ${r.code}: ${r.id !== undefined ? `[${r.id}] ` : ''}${r.message}`;
}
