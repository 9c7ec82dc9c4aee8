import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { BaseModel, TinyBaseModel } from '../../common/workerProtocol';
import { shippedTokenizerDir } from '../inference/shippedModelFolders';
import { TOKENIZER_FILE } from '../tokenization/tokenizerFolder';
import { WORD_SEGMENTER_FILE, WordSegmenter } from '../tokenization/wordSegmenter';

/**
 * Small shapes for a model built from a config: quick on a CPU, the real vocabularies. The entity
 * model is the character BiLSTM, which learns far more from scratch per CPU second than a BERT of
 * its size (bench/README.md, small CPU model); its schedule is scratchSchedule.ts. It reads where
 * words begin and end, from the shipped Qwen2 tokenizer's pieces (wordSegmenter.ts).
 */
export const TINY_ENTITY_BASE: TinyBaseModel = { kind: 'tiny', architecture: 'bilstm', vocabSize: 21128, hiddenSize: 256, wordBoundaries: true };
/** The small BERT the BiLSTM replaced (`finlabel train ner --tiny --architecture bert`, the comparison in bench/). */
export const TINY_BERT_ENTITY_BASE: BaseModel = {
  kind: 'tiny',
  architecture: 'bert',
  vocabSize: 21128,
  hiddenSize: 128,
  layers: 2,
  heads: 4,
  intermediateSize: 256,
};
export const TINY_CREDIT_BASE: BaseModel = { kind: 'tiny', vocabSize: 151646, hiddenSize: 64, layers: 2, heads: 4 };
/** A credit model built from scratch learns with a larger step than fine-tuning a pretrained one (entities: scratchSchedule.ts). */
export const TINY_CREDIT_LEARNING_RATE = 2e-3;

/** The base folder cannot be used; `missing` names the files it lacks. */
export class BaseModelError extends Error {
  constructor(
    message: string,
    readonly folder: string,
    readonly missing: string[],
  ) {
    super(message);
    this.name = 'BaseModelError';
  }
}

/** The tokenizer of the base folder (tokenizer.json), or the shipped one for a tiny model (base undefined). */
export function baseTokenizerDir(base: string | undefined, shipped: 'bert-base-chinese' | 'qwen2'): string {
  if (base === undefined) {
    const dir = shippedTokenizerDir(shipped);
    if (!dir) throw new BaseModelError(`the shipped tokenizer models/tokenizers/${shipped} was not found next to ${__dirname}`, '', []);
    return dir;
  }
  if (!existsSync(base)) throw new BaseModelError(`the base model folder ${base} does not exist`, base, ['config.json', 'tokenizer.json']);
  if (!existsSync(path.join(base, 'tokenizer.json'))) {
    const slow = ['vocab.txt', 'vocab.json'].find((f) => existsSync(path.join(base, f)));
    throw new BaseModelError(
      `${base} has no tokenizer.json${slow ? ` (only ${slow})` : ''}; FinLabel needs the fast tokenizer file. ` +
        `In Python: AutoTokenizer.from_pretrained("${base}").save_pretrained("${base}") writes it.`,
      base,
      ['tokenizer.json'],
    );
  }
  return base;
}

/**
 * The word segmenter an entity model trained from `base` reads: the shipped Qwen2 tokenizer's for a
 * small BiLSTM built with wordBoundaries, the base folder's own word-segmenter.json for a model
 * trained further, none for the others.
 */
export function baseWordSegmenter(base: BaseModel): WordSegmenter | undefined {
  if (base.kind === 'folder') {
    const file = path.join(base.path, WORD_SEGMENTER_FILE);
    return existsSync(file) ? WordSegmenter.load(file) : undefined;
  }
  if (!base.wordBoundaries) return undefined;
  return WordSegmenter.load(path.join(baseTokenizerDir(undefined, 'qwen2'), TOKENIZER_FILE));
}
