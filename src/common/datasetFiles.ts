/** The file extension of an entity dataset (JSONL, one record per line). */
export const DATASET_EXTENSION = '.jsonl';

/** The language VS Code reads JSON Lines documents as; an untitled buffer set to it is a dataset too. */
export const DATASET_LANGUAGE_ID = 'jsonl';

/**
 * Whether a file or an open document is an entity dataset: its name ends in .jsonl (in any case), or,
 * for a document, its language is JSON Lines. `location` is a path, a URI or a URI's path; files on
 * disk have no language. The one rule every feature (extension, server, CLI) decides by.
 */
export function isDataset(location: string, languageId?: string): boolean {
  return languageId === DATASET_LANGUAGE_ID || location.toLowerCase().endsWith(DATASET_EXTENSION);
}
