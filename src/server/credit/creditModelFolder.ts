import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { CreditConfigError, type ColumnKind } from './creditColumns';
import { labelTokenIds, type CreditPromptSettings } from './creditDataset';
import { parseImputation } from './imputation';
import { PROMPT_SETTINGS_FILE } from '../training/creditTraining';
import { loadTokenizerFolder, TokenizerLoadError, type LoadedTokenizer } from '../tokenization/tokenizerFolder';

/** Files the worker needs to score a folder (it checks them again, with its own message). */
const WORKER_FILES = ['adapter_config.json', 'adapter_model.safetensors', 'card.json'];
const KINDS: readonly ColumnKind[] = ['integer', 'float', 'categorical'];

/** A trained credit model folder as the server uses it: the saved prompt settings and the tokenizer. */
export interface CreditModel {
  dir: string;
  settings: CreditPromptSettings;
  tokenizer: LoadedTokenizer;
  /** Changes whenever the adapter or the prompt settings are rewritten: probabilities cached under another key are stale. */
  key: string;
}

/** A model folder that cannot be used; the message names the file and what is wrong. */
export class CreditModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CreditModelError';
  }
}

function fail(file: string, what: string): never {
  throw new CreditModelError(`${file}: ${what}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Checks prompt.json's shape (CreditPromptSettings, as creditTraining writes it). */
export function parsePromptSettings(json: string, file: string): CreditPromptSettings {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    fail(file, `is not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(value)) fail(file, 'must hold a JSON object (the prompt settings FinLabel saves with a credit model)');
  const columns = value.columns;
  if (!isObject(columns)) fail(file, '"columns" is missing: was the folder written by FinLabel\'s credit training?');
  const label = columns.label;
  if (!isObject(label) || typeof label.name !== 'string' || !isIndex(label.index)) fail(file, '"columns.label" must be {"name", "index"}');
  if (!Array.isArray(columns.features) || columns.features.length === 0) fail(file, '"columns.features" must be a non-empty list');
  columns.features.forEach((f: unknown, i) => {
    if (!isObject(f) || typeof f.name !== 'string' || !isIndex(f.index) || !KINDS.includes(f.kind as ColumnKind) || !isIndex(f.decimals)) {
      fail(file, `"columns.features[${i}]" must be {"name", "index", "kind": ${KINDS.join('|')}, "decimals"}`);
    }
  });
  if (typeof value.template !== 'string' || value.template === '') fail(file, '"template" must be the prompt template (a non-empty string)');
  const ids = value.labelTokenIds;
  if (!Array.isArray(ids) || ids.length !== 2 || !ids.every(isIndex)) fail(file, '"labelTokenIds" must be the two token ids of the answers "0" and "1"');
  let imputation;
  try {
    imputation = parseImputation(JSON.stringify(value.imputation), `${file} "imputation"`);
  } catch (err) {
    throw new CreditModelError((err as Error).message);
  }
  const featureNames = (columns.features as { name: string }[]).map((f) => f.name);
  const unfitted = featureNames.filter((name) => !imputation.columns.some((c) => c.column === name));
  if (unfitted.length > 0)
    fail(file, `"imputation" has no value for the feature column${unfitted.length === 1 ? '' : 's'} ${unfitted.map((n) => `"${n}"`).join(', ')}`);
  return value as unknown as CreditPromptSettings;
}

/** Identifies the folder's adapter and prompt settings as they are now ('' when they cannot be read). */
export function creditModelKey(dir: string): string {
  try {
    return `${dir}\0${statSync(path.join(dir, 'adapter_model.safetensors')).mtimeMs}\0${statSync(path.join(dir, PROMPT_SETTINGS_FILE)).mtimeMs}`;
  } catch {
    return '';
  }
}

/**
 * Loads a credit model folder's prompt.json and tokenizer, checking that the worker's files are
 * there and that the tokenizer still encodes the answers as the saved label token ids.
 */
export function loadCreditModel(dir: string): CreditModel {
  const abs = path.resolve(dir);
  let stat;
  try {
    stat = statSync(abs);
  } catch {
    throw new CreditModelError(`${abs}: the credit model folder does not exist`);
  }
  if (!stat.isDirectory()) throw new CreditModelError(`${abs}: not a folder (a credit model is a folder with prompt.json, the tokenizer and the adapter)`);
  const promptFile = path.join(abs, PROMPT_SETTINGS_FILE);
  let json: string;
  try {
    json = readFileSync(promptFile, 'utf8');
  } catch {
    throw new CreditModelError(`${promptFile}: the file does not exist: ${abs} is not a FinLabel credit model folder`);
  }
  const settings = parsePromptSettings(json, promptFile);
  const missing = WORKER_FILES.filter((name) => {
    try {
      return !statSync(path.join(abs, name)).isFile();
    } catch {
      return true;
    }
  });
  if (missing.length > 0) throw new CreditModelError(`${abs}: the credit model folder lacks ${missing.join(', ')}`);
  let tokenizer: LoadedTokenizer;
  try {
    tokenizer = loadTokenizerFolder(abs);
  } catch (err) {
    if (err instanceof TokenizerLoadError) throw new CreditModelError(err.message);
    throw err;
  }
  let answers: [number, number];
  try {
    answers = labelTokenIds(tokenizer);
  } catch (err) {
    if (err instanceof CreditConfigError) throw new CreditModelError(err.message);
    throw err;
  }
  if (answers[0] !== settings.labelTokenIds[0] || answers[1] !== settings.labelTokenIds[1]) {
    fail(promptFile, `"labelTokenIds" is [${settings.labelTokenIds.join(', ')}] but the folder's tokenizer encodes "0" and "1" as [${answers.join(', ')}]`);
  }
  return { dir: abs, settings, tokenizer, key: creditModelKey(abs) };
}
