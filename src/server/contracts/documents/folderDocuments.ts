import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { relativeInside } from '../../workspace/workspacePaths';
import { documentFormatOf } from './extractDocument';
import type { FolderDocument } from './documentImport';

/**
 * The .docx and .pdf files directly in a contract folder (not its subfolders, which are folders of their
 * own), sorted by name; Word's lock files (~$name.docx) are not documents.
 */
export function listFolderDocuments(root: string, folderPath: string): FolderDocument[] {
  return readdirSync(folderPath, { withFileTypes: true })
    .filter((e) => e.isFile() && documentFormatOf(e.name) !== undefined && !e.name.startsWith('~$'))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const file = path.join(folderPath, name);
      return { path: file, source: relativeInside(root, file) as string };
    });
}
