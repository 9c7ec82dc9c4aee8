/** The one place the server and the CLI find the models that ship with FinLabel. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { SHIPPED_ENTITY_MODEL_NAME, SHIPPED_MODELS_FOLDER } from '../../common/shippedModels';
import { ancestorFolders } from '../workspace/workspacePaths';

/**
 * The shipped models/ folder: the nearest one above `from` that holds models/tokenizers. The bundles lie
 * one level under the extension's root (dist/), the test bundles deeper (out/test/unit/): one search
 * finds it from each.
 */
export function shippedModelsDir(from: string = __dirname): string | undefined {
  return ancestorFolders(from)
    .map((d) => path.join(d, SHIPPED_MODELS_FOLDER))
    .find((d) => existsSync(path.join(d, 'tokenizers')));
}

/** The shipped default entity model (models/default-entities), when this installation has it. */
export function shippedEntityModelDir(from: string = __dirname): string | undefined {
  const models = shippedModelsDir(from);
  const dir = models && path.join(models, SHIPPED_ENTITY_MODEL_NAME);
  return dir && existsSync(dir) ? dir : undefined;
}

/** The tokenizer the small models built from a config use: the real vocabularies, shipped in models/tokenizers. */
export function shippedTokenizerDir(name: 'bert-base-chinese' | 'qwen2', from: string = __dirname): string | undefined {
  const models = shippedModelsDir(from);
  return models ? path.join(models, 'tokenizers', name) : undefined;
}

/** The entity model folder to serve: the configured one (a relative path against `base`), else the shipped default, else undefined. */
export function resolveModelFolder(configured: string | undefined, base: string): string | undefined {
  const setting = configured?.trim();
  return setting ? path.resolve(base, setting) : shippedEntityModelDir();
}
