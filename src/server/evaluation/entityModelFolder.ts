import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LabelType } from '../../common/labelSchema';
import { BioScheme } from '../entities/bioScheme';
import { DEFAULT_WINDOW_OPTIONS, windowOptionsProblem, type WindowOptions } from '../entities/tokenWindows';
import { BertTokenizer } from '../tokenization/bertTokenizer';
import { loadTokenizerFolder, TokenizerLoadError } from '../tokenization/tokenizerFolder';
import type { EntityModelLabels } from '../training/entityTraining';
import { EvaluationInputError, type ModelCard } from './modelCard';

/** What evaluating an entity model folder needs besides its weights: tokenizer, BIO scheme, windows. */
export interface EntityModelFolder {
  dir: string;
  tokenizer: BertTokenizer;
  scheme: BioScheme;
  windows: WindowOptions;
}

/** Reads labels.json, the tokenizer and the card's window settings of an entity model folder. */
export function loadEntityModelFolder(dir: string, card: ModelCard): EntityModelFolder {
  const labelsFile = path.join(dir, 'labels.json');
  let labels: EntityModelLabels;
  try {
    labels = JSON.parse(readFileSync(labelsFile, 'utf8')) as EntityModelLabels;
  } catch (err) {
    throw new EvaluationInputError(`${labelsFile}: ${existsSync(labelsFile) ? `not valid JSON (${(err as Error).message})` : 'not found; an entity model folder has the labels.json its training wrote'}`);
  }
  if (!Array.isArray(labels.types) || !Array.isArray(labels.bio) || labels.types.some((t) => typeof t?.name !== 'string' || typeof t?.tag !== 'string')) {
    throw new EvaluationInputError(`${labelsFile}: expected {"bio": [...], "types": [{"name", "tag", "color"}]}`);
  }
  const types: LabelType[] = labels.types.map((t) => ({ name: t.name, tag: t.tag, color: t.color ?? '#888888', description: '' }));
  const scheme = new BioScheme(types);
  if (scheme.names.join('\n') !== labels.bio.join('\n')) {
    throw new EvaluationInputError(`${labelsFile}: "bio" (${labels.bio.join(', ')}) does not follow its types (expected ${scheme.names.join(', ')})`);
  }
  let tokenizer: BertTokenizer;
  try {
    tokenizer = BertTokenizer.from(loadTokenizerFolder(dir));
  } catch (err) {
    if (err instanceof TokenizerLoadError) throw new EvaluationInputError(err.message);
    throw err;
  }
  const saved = card.raw.windows as WindowOptions | undefined;
  const windows = saved && typeof saved.maxLength === 'number' && typeof saved.overlap === 'number' ? { maxLength: saved.maxLength, overlap: saved.overlap } : DEFAULT_WINDOW_OPTIONS;
  const bad = windowOptionsProblem(windows);
  if (bad) throw new EvaluationInputError(`${path.join(dir, 'card.json')}: "windows": ${bad}`);
  return { dir, tokenizer, scheme, windows };
}
