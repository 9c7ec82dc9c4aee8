/** One labelled span of a record, as stored in the dataset JSONL. */
export interface EntityLabel {
  /** Display name or tag from the label schema. */
  entity: string;
  /** Must equal the text slice [start, end). */
  value: string;
  /** Unicode code point offsets into the record's text, end exclusive (Python str slicing). */
  start: number;
  end: number;
  annotator?: string;
}

/** One line of an entity dataset JSONL. Unknown keys are kept as they are. */
export interface DatasetRecord {
  id?: string | number;
  text: string;
  labels?: EntityLabel[];
  meta?: Record<string, unknown>;
  [key: string]: unknown;
}

/** What `finlabel validate` reports; codes are stable so scripts can filter on them. */
export type ProblemCode =
  | 'malformed-json'
  | 'nested-too-deep'
  | 'not-an-object'
  | 'missing-text'
  | 'labels-not-array'
  | 'label-not-object'
  | 'label-missing-field'
  | 'offset-not-integer'
  | 'offset-out-of-range'
  | 'offset-reversed'
  | 'value-mismatch'
  | 'unknown-entity'
  | 'overlapping-spans';

export interface DatasetProblem {
  /** 1-based line number in the file. */
  line: number;
  code: ProblemCode;
  message: string;
  /** Index of the label in the record's labels array, when the problem is about one label. */
  labelIndex?: number;
}
