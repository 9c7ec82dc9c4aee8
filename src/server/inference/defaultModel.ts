import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** Where the shipped default entity model lives, relative to the extension (dist/ holds the bundles). */
export const DEFAULT_MODEL_FOLDER = path.join('models', 'default-entities');

/**
 * The entity model folder to use: the configured one (relative paths against `base`), else the
 * shipped default when the extension carries one, else undefined.
 */
export function resolveModelFolder(configured: string | undefined, base: string, extensionRoot: string = path.resolve(__dirname, '..')): string | undefined {
  const setting = configured?.trim();
  if (setting) return path.resolve(base, setting);
  const shipped = path.join(extensionRoot, DEFAULT_MODEL_FOLDER);
  return existsSync(shipped) ? shipped : undefined;
}
