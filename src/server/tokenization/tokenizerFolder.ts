import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';

export const TOKENIZER_FILE = 'tokenizer.json';
export const TOKENIZER_CONFIG_FILE = 'tokenizer_config.json';

/** The parts of tokenizer.json the server reads itself (the rest is the library's business). */
export interface TokenizerJson {
  model: { type: string; vocab?: unknown; unk_token?: string; continuing_subword_prefix?: string };
  normalizer?: { type: string; [key: string]: unknown } | null;
  pre_tokenizer?: { type: string; [key: string]: unknown } | null;
  added_tokens?: { id: number; content: string; special: boolean; normalized: boolean }[];
  [key: string]: unknown;
}

export type TokenizerConfig = Record<string, unknown>;

/** A tokenizer loaded from a model folder, with the JSON it was built from. */
export interface LoadedTokenizer {
  dir: string;
  tokenizer: Tokenizer;
  json: TokenizerJson;
  config: TokenizerConfig;
  /** The raw file texts, to copy into a trained model's folder unchanged. */
  files: { [TOKENIZER_FILE]: string; [TOKENIZER_CONFIG_FILE]: string };
}

/** A tokenizer folder that cannot be used; the message names the file and what is wrong. */
export class TokenizerLoadError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'TokenizerLoadError';
  }
}

/** The text of a tokenizer file; throws TokenizerLoadError naming it. */
export function readTokenizerText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : (err as Error).message;
    throw new TokenizerLoadError(file, `cannot be read: ${why}`);
  }
}

function readJsonObject(file: string): { text: string; value: Record<string, unknown> } {
  const text = readTokenizerText(file);
  return { text, value: parseJsonObject(file, text) };
}

function parseJsonObject(file: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new TokenizerLoadError(file, `is not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TokenizerLoadError(file, 'must hold a JSON object');
  return value as Record<string, unknown>;
}

function checkTokenizerJson(file: string, value: Record<string, unknown>): TokenizerJson {
  const model = value.model;
  if (typeof model !== 'object' || model === null || typeof (model as { type?: unknown }).type !== 'string') {
    throw new TokenizerLoadError(file, 'has no "model" object with a "type" (is this a Hugging Face fast tokenizer file?)');
  }
  const vocab = (model as { vocab?: unknown }).vocab;
  if (typeof vocab !== 'object' || vocab === null) throw new TokenizerLoadError(file, '"model.vocab" is missing');
  const added = value.added_tokens;
  if (added !== undefined && !Array.isArray(added)) throw new TokenizerLoadError(file, '"added_tokens" must be an array');
  return value as TokenizerJson;
}

/**
 * Loads tokenizer.json and tokenizer_config.json from a folder (models/tokenizers/..., or a user's
 * local Hugging Face model folder). Throws TokenizerLoadError naming the file at fault.
 */
export function loadTokenizerFolder(dir: string): LoadedTokenizer {
  const jsonFile = path.join(dir, TOKENIZER_FILE);
  const configFile = path.join(dir, TOKENIZER_CONFIG_FILE);
  const json = readJsonObject(jsonFile);
  const config = readJsonObject(configFile);
  const tokenizerJson = checkTokenizerJson(jsonFile, json.value);
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(tokenizerJson, config.value);
  } catch (err) {
    throw new TokenizerLoadError(jsonFile, `the tokenizer library rejects it: ${(err as Error).message}`);
  }
  return {
    dir,
    tokenizer,
    json: tokenizerJson,
    config: config.value,
    files: { [TOKENIZER_FILE]: json.text, [TOKENIZER_CONFIG_FILE]: config.text },
  };
}

/**
 * A tokenizer from the text of a tokenizer.json file alone (no tokenizer_config.json), whose model
 * must be of `modelType`. Throws TokenizerLoadError naming the file.
 */
export function parseTokenizerJson(file: string, text: string, modelType: string): Tokenizer {
  const tokenizerJson = checkTokenizerJson(file, parseJsonObject(file, text));
  if (tokenizerJson.model.type !== modelType) throw new TokenizerLoadError(file, `must be a ${modelType} tokenizer, this one is ${tokenizerJson.model.type}`);
  try {
    return new Tokenizer(tokenizerJson, {});
  } catch (err) {
    throw new TokenizerLoadError(file, `the tokenizer library rejects it: ${(err as Error).message}`);
  }
}
