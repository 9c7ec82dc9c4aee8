/**
 * FinLabel's protocol for labelling plain contract files (.txt/.md): the labels live in a record of a
 * dataset JSONL chosen once per folder; the server computes every edit to that record and the
 * extension applies it to the dataset document. The params are zod schemas in lspSchemas.ts.
 */
import { RequestType } from 'vscode-jsonrpc';
import type { TextEdit } from './lspProtocol';
import type { ContractEditParams, ContractInfoParams, ContractLabelAction, SetContractDatasetParams } from './lspSchemas';

export type { ContractEditParams, ContractInfoParams, ContractLabelAction, SetContractDatasetParams } from './lspSchemas';

/** Where the folder-to-dataset map is kept, relative to a workspace folder. */
export const CONTRACT_DATASETS_FILE = '.finlabel/contracts.json';

/** The command that contract code actions run: applies a ContractLabelAction to the dataset record. */
export const EDIT_CONTRACT_LABEL_COMMAND = 'finlabel.editContractLabel';

/** A file or folder as the server names it: its URI and its path relative to the workspace folder ('/' separated). */
export interface WorkspaceLocation {
  uri: string;
  path: string;
}

/** Client -> server: where the labels of a contract file go. */
export type ContractInfo =
  | { ok: false; message: string }
  | {
      ok: true;
      /** The contract's folder. */
      folder: WorkspaceLocation;
      /** The dataset chosen for the folder, when there is one and it exists. */
      dataset?: WorkspaceLocation;
      /** Why the chosen dataset cannot be used (missing file, invalid map entry), when that is the case. */
      datasetProblem?: string;
      /** The record's text or offsets differ from the contract as it is now: a sync edit would change the record. */
      needsSync: boolean;
    };
export const contractInfoRequest = new RequestType<ContractInfoParams, ContractInfo, void>('finlabel/contractInfo');

/** Client -> server: store the labels of the contract files in `folderUri` in `datasetUri`. */
export type SetContractDatasetResult =
  { ok: true; folder: WorkspaceLocation; dataset: WorkspaceLocation; mapFile: WorkspaceLocation; created: boolean } | { ok: false; message: string };
export const setContractDatasetRequest = new RequestType<SetContractDatasetParams, SetContractDatasetResult, void>('finlabel/setContractDataset');

/** Client -> server: the edit to the dataset document that applies `action` (a ContractLabelAction) to the contract's record. */
export type ContractEditResult =
  /** `edit` is null when the record already says what the action asks for (a sync with nothing to write). */
  | { ok: true; edit: TextEdit | null; summary: string }
  /** `retry`: the server's copy of a document was behind the client's; asking again will do. */
  | { ok: false; message: string; retry?: boolean };
export const contractEditRequest = new RequestType<ContractEditParams, ContractEditResult, void>('finlabel/contractEdit');

/** The arguments of EDIT_CONTRACT_LABEL_COMMAND. */
export interface EditContractLabelArgs {
  uri: string;
  action: ContractLabelAction;
}
