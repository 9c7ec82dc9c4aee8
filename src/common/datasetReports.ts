/**
 * What the dataset commands (statistics, split, annotator agreement) compute: the same objects are
 * printed by `finlabel stats|split|agreement --json` and carried to the extension over LSP.
 * Lengths and offsets are Unicode code points.
 */
import type { ProblemCode } from './dataset';

/** Values in one inclusive range [from, to]. */
export interface HistogramBucket {
  from: number;
  to: number;
  count: number;
}

/** Summary of a list of integers; the statistics are null when the list is empty. */
export interface Distribution {
  count: number;
  min: number | null;
  /** Percentiles by the nearest-rank method: the smallest value with at least p% of values at or below it. */
  p50: number | null;
  p90: number | null;
  max: number | null;
  mean: number | null;
  /** Buckets 0, 1, 2, 3-4, 5-8, 9-16, ... from the minimum's bucket to the maximum's, empty ones included. */
  histogram: HistogramBucket[];
}

/** An entity type as the reports name it: the schema's display name and tag, or the raw entity when unknown. */
export interface TypeName {
  type: string;
  /** Null for a type the label schema does not know. */
  tag: string | null;
}

export interface TypeStats extends TypeName {
  labels: number;
  /** Records with at least one label of this type. */
  records: number;
  spanLength: Distribution;
}

export interface ProblemSummary {
  code: ProblemCode;
  count: number;
  /** Lines (1-based) of the first problems of this code, at most PROBLEM_LINES_SHOWN. */
  lines: number[];
}
export const PROBLEM_LINES_SHOWN = 20;

export interface DatasetStats {
  file: string;
  /** Non-blank lines. */
  lines: number;
  records: number;
  /** Records whose labels array is not empty. */
  labelledRecords: number;
  unlabelledRecords: number;
  /** Lines that are not a record (malformed JSON, not an object, no text); not counted anywhere else. */
  rejectedLines: number[];
  /** Labels with usable offsets (integers, start < end, inside the text). */
  labels: number;
  /** Labels listed in records whose offsets cannot be used (see problems); not in any length figure. */
  unplacedLabels: number;
  /** Every type of the label schema, in schema order, zero counts included. */
  types: TypeStats[];
  /** Entity names the schema does not know, most labels first. */
  unknownTypes: TypeStats[];
  spanLength: Distribution;
  textLength: Distribution;
  annotators: { name: string; labels: number }[];
  labelsWithoutAnnotator: number;
  /** Everything `finlabel validate` reports, grouped by code. */
  problems: ProblemSummary[];
  problemCount: number;
}

export type SplitName = 'train' | 'dev' | 'test';

export interface SplitTypeShare extends TypeName {
  labels: number;
  /** This split's labels of the type over the type's labels in the whole file; null when the file has none. */
  share: number | null;
}

export interface SplitPart {
  name: SplitName;
  /** Absolute path of the written file. */
  file: string;
  ratio: number;
  records: number;
  /** Groups of records sharing an id (a record without id is a group of its own). */
  groups: number;
  labels: number;
  types: SplitTypeShare[];
}

export interface SplitSummary {
  input: string;
  outDir: string;
  seed: number;
  ratios: number[];
  records: number;
  groups: number;
  labels: number;
  /** Blank lines of the input, which are not copied. */
  blankLines: number;
  /** Label problems in the records (`finlabel validate` lists them); the records are copied as they are. */
  labelProblems: number;
  parts: SplitPart[];
}

/** Cohen's kappa and its parts; value is null (with a reason) when it is undefined. */
export interface Kappa {
  value: number | null;
  reason?: string;
  /** Observed agreement p_o, expected agreement p_e (null when there are no characters). */
  observed: number | null;
  expected: number | null;
  characters: number;
}

/** Characters by whether each annotator put them inside a span of the type. */
export interface CharacterCounts {
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
}

export interface TypeAgreement extends TypeName {
  /** Spans of the type in A, in B, and identical in both (same start, end and type). */
  spansA: number;
  spansB: number;
  matched: number;
  /** A is the reference: precision = matched / spansB, recall = matched / spansA; null when the denominator is 0. */
  precision: number | null;
  recall: number | null;
  /** 2 * matched / (spansA + spansB): symmetric; null when neither has a span of the type. */
  f1: number | null;
  characters: CharacterCounts;
  kappa: Kappa;
}

export interface RecordRef {
  line: number;
  id: string | null;
}

export interface AnnotationSource {
  file: string;
  /** The annotator whose labels were taken; null = every label of the file. */
  annotator: string | null;
  records: number;
  /** Labels taken from the matched records. */
  labels: number;
}

export interface AgreementReport {
  /** Two files, or two annotators' labels in one file. */
  mode: 'files' | 'annotators';
  a: AnnotationSource;
  b: AnnotationSource;
  matchedRecords: number;
  matchedById: number;
  matchedByText: number;
  /** Code points in the matched records: the units of the kappas. */
  characters: number;
  onlyInA: RecordRef[];
  onlyInB: RecordRef[];
  /** Records paired by id whose texts differ: left out of every figure. */
  textDiffers: { id: string; lineA: number; lineB: number }[];
  types: TypeAgreement[];
  micro: { precision: number | null; recall: number | null; f1: number | null };
  /** Mean F1 over the types with at least one span in A or B. */
  macro: { f1: number | null; types: number };
  /** Multi-class kappa over characters; the classes are the types, their overlaps ("A+B") and O. */
  overallKappa: Kappa & { classes: string[] };
  /** What makes the figures incomplete (lines that are not records, unusable labels, differing texts): exit 1. */
  problems: string[];
  /** Worth knowing, not wrong (records in one file only, duplicate ids). */
  notes: string[];
}
