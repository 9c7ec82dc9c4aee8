import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import {
  contractEditRequest,
  contractInfoRequest,
  setContractDatasetRequest,
  type ContractEditParams,
  type ContractEditResult,
  type ContractInfo,
  type SetContractDatasetParams,
  type SetContractDatasetResult,
} from '../../common/contractProtocol';
import type { LabelSchema } from '../../common/labelSchema';
import { contractRecordEdit, recordNeedsSync, type ResolvedAction } from './contractEdits';
import { findContractRecord } from './contractRecords';
import type { ContractDocuments, OpenContract } from './contractDocuments';
import type { DatasetSources } from './datasetSource';
import { datasetProblem, mapFilePath, writeFolderDataset } from './folderDatasets';
import { handleRequest } from '../lsp/checkedHandlers';
import { checkInsideWorkspace, containingRoot, filePathOf, fileUriOf, relativeInside } from '../workspace/workspacePaths';

/** The requests of the contract protocol: where a contract's labels go, choosing that, and the edits to its record. */
export function registerContractRequests(connection: Connection, contracts: ContractDocuments, datasets: DatasetSources, schema: () => LabelSchema): void {
  handleRequest(connection, contractInfoRequest, (params) => contractInfo(contracts, params.uri));
  handleRequest(connection, setContractDatasetRequest, (params) => setContractDataset(contracts, params));
  handleRequest(connection, contractEditRequest, (params) => contractEdit(contracts, datasets, schema(), params));
}

function contractInfo(contracts: ContractDocuments, uri: string): ContractInfo {
  const state = contracts.current(uri);
  if (!state) return { ok: false, message: 'This is not an open .txt or .md file on disk.' };
  const location = state.location;
  if (!location) {
    return {
      ok: false,
      message: `${filePathOf(uri) ?? uri} is not inside a workspace folder. Open its folder as the workspace to label it: the dataset stores paths relative to the workspace folder.`,
    };
  }
  const folder = { uri: fileUriOf(location.folderPath), path: location.folder };
  const binding = state.binding;
  if (binding.kind === 'problem') return { ok: true, folder, datasetProblem: binding.message, needsSync: false };
  if (binding.kind === 'none') return { ok: true, folder, needsSync: false };
  const record = contracts.recordOf(state);
  const placed = contracts.placed(state);
  return {
    ok: true,
    folder,
    dataset: { uri: fileUriOf(binding.path), path: binding.rel },
    needsSync: record !== undefined && recordNeedsSync({ source: location.source, text: placed.text, labels: placed.labels }, record),
  };
}

function setContractDataset(contracts: ContractDocuments, params: SetContractDatasetParams): SetContractDatasetResult {
  const folderPath = filePathOf(params.folderUri);
  const datasetPath = filePathOf(params.datasetUri);
  if (!folderPath || !datasetPath) return { ok: false, message: 'Contract folders and datasets must be files on disk.' };
  const root = containingRoot(contracts.workspaceRoots, folderPath);
  if (!root) return { ok: false, message: `${folderPath} is not inside a workspace folder.` };
  const inside = checkInsideWorkspace([root], datasetPath, 'the dataset');
  if (!inside.ok) return { ok: false, message: inside.message };
  const datasetRel = relativeInside(root, datasetPath);
  if (datasetRel === undefined) {
    return { ok: false, message: `The dataset must be inside the workspace folder ${root}, like the contracts it labels; ${datasetPath} is not.` };
  }
  const problem = datasetProblem(datasetRel);
  if (problem) return { ok: false, message: `${datasetRel} ${problem}: a dataset is a .jsonl file.` };
  let created = false;
  try {
    if (!statSync(datasetPath).isFile()) return { ok: false, message: `${datasetRel} is not a file.` };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return { ok: false, message: `cannot read ${datasetPath}: ${(err as Error).message}` };
    if (!params.create) return { ok: false, message: `${datasetRel} does not exist.` };
    try {
      mkdirSync(path.dirname(datasetPath), { recursive: true });
      writeFileSync(datasetPath, '', { flag: 'wx' });
      created = true;
    } catch (e) {
      return { ok: false, message: `cannot create ${datasetPath}: ${(e as Error).message}` };
    }
  }
  const folderRel = relativeInside(root, folderPath) as string;
  const written = writeFolderDataset(root, folderRel, datasetRel);
  if (!written.ok) return written;
  contracts.reloadRoot(root);
  return {
    ok: true,
    folder: { uri: fileUriOf(folderPath), path: folderRel },
    dataset: { uri: fileUriOf(datasetPath), path: datasetRel },
    mapFile: { uri: fileUriOf(mapFilePath(root)), path: relativeInside(root, mapFilePath(root)) as string },
    created,
  };
}

function contractEdit(contracts: ContractDocuments, datasets: DatasetSources, schema: LabelSchema, params: ContractEditParams): ContractEditResult {
  const state = contracts.current(params.uri);
  if (!state?.location) return { ok: false, message: 'This is not an open contract file inside the workspace.' };
  if (state.document.version !== params.version) return { ok: false, retry: true, message: 'The contract changed while labelling; try again.' };
  const binding = state.binding;
  if (binding.kind === 'problem') return { ok: false, message: binding.message };
  if (binding.kind === 'none')
    return { ok: false, message: `No dataset is chosen for the folder "${state.location.folder}": run FinLabel: Choose Dataset for Contract Folder….` };
  if (filePathOf(params.datasetUri) !== binding.path)
    return { ok: false, retry: true, message: `The dataset of this folder is now ${binding.rel}; try again.` };
  const read = datasets.read(binding.path);
  if (!read.ok) return { ok: false, message: read.message };
  if (read.view.document?.version !== params.datasetVersion) {
    return { ok: false, retry: true, message: `${binding.rel} is not in step with the editor yet; try again.` };
  }
  const lookup = findContractRecord(read.view.model, state.location.source);
  const known = contracts.recordOf(state);
  if ((lookup.kind === 'found' ? lookup.record.lineText : undefined) !== known?.lineText || lookup.kind !== state.lookup.kind) contracts.reloadRecord(state);
  const action = resolveAction(contracts, state, schema, params);
  if (!action.ok) return action;
  const placed = contracts.placed(state);
  return contractRecordEdit(
    { source: state.location.source, text: placed.text, labels: placed.labels },
    { model: read.view.model, eol: read.view.eol, name: binding.rel },
    lookup,
    action.action,
  );
}

function resolveAction(
  contracts: ContractDocuments,
  state: OpenContract,
  schema: LabelSchema,
  params: ContractEditParams,
): { ok: true; action: ResolvedAction } | { ok: false; message: string } {
  const a = params.action;
  switch (a.kind) {
    case 'label': {
      const text = contracts.textOf(state);
      const start = text.codePointOffset(state.document.offsetAt(a.range.start), 'floor');
      const end = text.codePointOffset(state.document.offsetAt(a.range.end), 'ceil');
      if (start >= end) return { ok: false, message: 'Select the characters to label first.' };
      const type = schema.resolve(a.entity);
      if (!type) return { ok: false, message: `Unknown entity type "${a.entity}".` };
      return { ok: true, action: { kind: 'label', start, end, type } };
    }
    case 'retype': {
      const type = schema.resolve(a.entity);
      if (!type) return { ok: false, message: `Unknown entity type "${a.entity}".` };
      return { ok: true, action: { kind: 'retype', labelIndex: a.labelIndex, type } };
    }
    case 'remove':
    case 'accept':
      return { ok: true, action: { kind: a.kind, labelIndex: a.labelIndex } };
    case 'sync':
      return { ok: true, action: { kind: 'sync' } };
    default:
      return { ok: false, message: `Unknown contract label action ${JSON.stringify((a as { kind?: unknown }).kind)}.` };
  }
}
