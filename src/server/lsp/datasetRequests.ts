import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import type { LabelSchema } from '../../common/labelSchema';
import { annotatorAgreementRequest, datasetStatsRequest, splitDatasetRequest, type DatasetCommandResult } from '../../common/lspProtocol';
import { annotatorAgreement, fileAgreement } from '../analysis/agreement';
import { agreementMarkdown } from '../analysis/agreementReport';
import { planSplit } from '../analysis/split';
import { writeSplit } from '../analysis/splitOutput';
import { splitMarkdown } from '../analysis/splitReport';
import { datasetStats } from '../analysis/stats';
import { statsMarkdown } from '../analysis/statsReport';
import { NotUtf8Error, readUtf8File } from '../encoding/utf8File';
import { handleRequest } from './checkedHandlers';
import type { WorkspaceFolders } from '../workspace/workspaceFolders';
import type { JsonlDocuments } from './jsonlDocuments';

/** A dataset's name for messages (its path) and its text. */
interface DatasetText {
  file: string;
  /** Path on disk, when the dataset is a file. */
  path?: string;
  content: string;
}

class DatasetReadError extends Error {}

/**
 * Handles the dataset commands' requests: statistics, split and agreement. What they read from disk
 * and write is inside the workspace folders; a document open in the editor is read from the editor.
 */
export function registerDatasetRequests(connection: Connection, documents: JsonlDocuments, schema: () => LabelSchema, folders: WorkspaceFolders): void {
  /** The open document's text (unsaved edits included) when it is open, else the file's. */
  async function datasetText(uri: string): Promise<DatasetText> {
    const path = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
    const open = documents.documents.get(uri);
    if (open) return { file: path ?? uri, ...(path ? { path } : {}), content: open.getText() };
    if (!path) throw new DatasetReadError(`${uri} is not open and not a file on disk`);
    const inside = folders.check(path, 'the dataset');
    if (!inside.ok) throw new DatasetReadError(inside.message);
    try {
      return { file: path, path, content: await readUtf8File(path) };
    } catch (err) {
      if (err instanceof NotUtf8Error) throw new DatasetReadError(err.message);
      throw new DatasetReadError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }

  /** Turns a read failure into the result's message; anything else is a server error. */
  async function answer<T>(work: () => Promise<DatasetCommandResult<T>>): Promise<DatasetCommandResult<T>> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof DatasetReadError) return { ok: false, message: err.message };
      throw err;
    }
  }

  handleRequest(connection, datasetStatsRequest, (params) =>
    answer(async () => {
      const dataset = await datasetText(params.uri);
      const stats = datasetStats(dataset.content, dataset.file, schema());
      return { ok: true, result: stats, markdown: statsMarkdown(stats) };
    }),
  );

  handleRequest(connection, splitDatasetRequest, (params) =>
    answer(async () => {
      const dataset = await datasetText(params.uri);
      const outDir = folders.check(params.outDir, 'the split folder');
      if (!outDir.ok) return { ok: false, message: outDir.message };
      const planned = planSplit(dataset.content, { file: dataset.file, outDir: params.outDir, ratios: params.ratios, seed: params.seed, schema: schema() });
      if (!planned.ok) {
        const lines = planned.problems.map((p) => `${dataset.file}:${p.line}: ${p.code}: ${p.message}`);
        return { ok: false, message: [planned.message, ...lines.slice(0, 5)].join('\n') };
      }
      const written = await writeSplit(planned.plan, { force: params.force, ...(dataset.path ? { inputPath: dataset.path } : {}) });
      if (!written.ok) return written;
      return { ok: true, result: planned.plan.summary, markdown: splitMarkdown(planned.plan.summary) };
    }),
  );

  handleRequest(connection, annotatorAgreementRequest, (params) =>
    answer(async () => {
      const a = await datasetText(params.uriA);
      let report;
      if (params.uriB === undefined) {
        if (!params.annotators) return { ok: false, message: 'name two annotators to compare in one file' };
        report = annotatorAgreement(a, params.annotators, schema());
      } else {
        const b = await datasetText(params.uriB);
        report = fileAgreement(
          { file: a.file, content: a.content, ...(params.annotatorA !== undefined ? { annotator: params.annotatorA } : {}) },
          { file: b.file, content: b.content, ...(params.annotatorB !== undefined ? { annotator: params.annotatorB } : {}) },
          schema(),
        );
      }
      return { ok: true, result: report, markdown: agreementMarkdown(report) };
    }),
  );
}
