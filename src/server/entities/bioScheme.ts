import type { LabelType } from '../../common/labelSchema';

/** The label id of tokens without loss (special tokens, tokens that straddle an entity boundary). */
export const IGNORED_LABEL = -100;

export type BioTag = { kind: 'O' } | { kind: 'B' | 'I'; type: LabelType };

/**
 * BIO tag names of a schema's types and their ids: "O" = 0, then "B-TAG" = 1 + 2k and "I-TAG" = 2 + 2k
 * for the k-th type, in schema order. The names are what labels.json of a model holds.
 */
export class BioScheme {
  readonly names: readonly string[];

  constructor(readonly types: readonly LabelType[]) {
    this.names = ['O', ...types.flatMap((t) => [`B-${t.tag}`, `I-${t.tag}`])];
  }

  beginId(typeIndex: number): number {
    return 1 + 2 * typeIndex;
  }

  insideId(typeIndex: number): number {
    return 2 + 2 * typeIndex;
  }

  /** The tag of a label id; ids outside the scheme (and -100) read as O. */
  tagOf(id: number): BioTag {
    if (!Number.isInteger(id) || id <= 0 || id >= this.names.length) return { kind: 'O' };
    return { kind: id % 2 === 1 ? 'B' : 'I', type: this.types[(id - 1) >> 1] };
  }
}
