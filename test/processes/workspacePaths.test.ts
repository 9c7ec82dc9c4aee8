import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { contractInfoRequest, setContractDatasetRequest, type ContractInfo } from '../../src/common/contractProtocol';
import {
  createLabelSchemaFileRequest,
  datasetStatsRequest,
  labelTypesRequest,
  splitDatasetRequest,
  trainingStartRequest,
  type CreateLabelSchemaFileResult,
  type DatasetCommandResult,
  type SplitDatasetResult,
  type TrainingStartResult,
} from '../../src/common/lspProtocol';
import type { LabelType } from '../../src/common/labelSchema';
import type { DatasetStats } from '../../src/common/datasetReports';
import { builtFile } from '../support/builtFile';
import { startLanguageServer, type LanguageServer } from '../harness/languageServerProcess';

const uri = (p: string): string => pathToFileURL(p).href;
const RECORD = `${JSON.stringify({ id: 'r1', text: '借款金额500万元', labels: [{ entity: '借款金额', value: '500万元', start: 4, end: 9 }] })}\n`;
const OUTSIDE_TYPES = `${JSON.stringify({ labels: [{ name: '利率', tag: 'INTEREST_RATE' }] })}\n`;
const WHY = 'FinLabel reads and writes files only inside the workspace folders';

describe('the language server keeps requests that name a path inside the workspace folders', function () {
  this.timeout(60_000);
  let dir: string;
  let ws: string;
  let outside: string;
  let other: string;
  let server: LanguageServer;
  let connection: MessageConnection;
  const warnings: string[] = [];

  before(async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'finlabel-server-paths-')));
    ws = join(dir, 'ws');
    outside = join(dir, 'outside');
    other = join(dir, 'other');
    for (const d of [ws, outside, other, join(ws, 'contracts'), join(other, 'contracts'), join(other, '.finlabel')]) mkdirSync(d, { recursive: true });
    // ws/.finlabel leads out of the workspace: its schema and contract map are not to be read or written.
    writeFileSync(join(outside, 'labels.json'), OUTSIDE_TYPES);
    writeFileSync(join(outside, 'contracts.json'), JSON.stringify({ datasets: { contracts: 'contracts/labels.jsonl' } }));
    symlinkSync(outside, join(ws, '.finlabel'));
    writeFileSync(join(ws, 'data.jsonl'), RECORD);
    writeFileSync(join(outside, 'data.jsonl'), RECORD);
    symlinkSync(join(outside, 'data.jsonl'), join(ws, 'linked.jsonl'));
    writeFileSync(join(ws, 'contracts', '借款合同.txt'), '借款金额500万元');
    // other/.finlabel/contracts.json names a dataset that is a link out of the workspace.
    symlinkSync(join(outside, 'data.jsonl'), join(other, 'contracts', 'labels.jsonl'));
    writeFileSync(join(other, '.finlabel', 'contracts.json'), JSON.stringify({ datasets: { contracts: 'contracts/labels.jsonl' } }));
    writeFileSync(join(other, 'contracts', '担保合同.txt'), '担保方式为抵押');

    server = await startLanguageServer({
      serverJs: builtFile('dist', 'server.js'),
      workspaceFolders: [
        { uri: uri(ws), name: 'ws' },
        { uri: uri(other), name: 'other' },
      ],
      beforeListen: (c) => {
        c.onRequest('window/showMessageRequest', (params: { message: string }) => {
          warnings.push(params.message);
          return null;
        });
        c.onNotification('window/showMessage', (params: { message: string }) => {
          warnings.push(params.message);
        });
      },
    });
    connection = server.connection;
  });
  after(() => {
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('datasetStats reads no file outside: /etc/passwd and a symlinked dataset are refused with the reason, a dataset inside is read', async () => {
    const passwd = await connection.sendRequest(datasetStatsRequest, { uri: uri('/etc/passwd') });
    assert.deepEqual(passwd, { ok: false, message: `the dataset /etc/passwd is outside the workspace folders ${ws}, ${other}; ${WHY}` });
    const linked = await connection.sendRequest(datasetStatsRequest, { uri: uri(join(ws, 'linked.jsonl')) });
    assert.deepEqual(linked, {
      ok: false,
      message: `the dataset ${join(ws, 'linked.jsonl')} is outside the workspace folders ${ws}, ${other} (it leads to ${join(outside, 'data.jsonl')} through a symbolic link); ${WHY}`,
    });
    const inside = (await connection.sendRequest(datasetStatsRequest, { uri: uri(join(ws, 'data.jsonl')) })) as DatasetCommandResult<DatasetStats>;
    assert.ok(inside.ok, inside.ok ? '' : inside.message);
    assert.equal(inside.result.records, 1);
  });

  it('splitDataset writes no split outside', async () => {
    const split = (await connection.sendRequest(splitDatasetRequest, {
      uri: uri(join(ws, 'data.jsonl')),
      outDir: join(outside, 'split'),
      ratios: [0.5, 0.5],
      seed: 1,
      force: false,
    })) as SplitDatasetResult;
    assert.equal(split.ok, false);
    assert.match(split.ok ? '' : split.message, new RegExp(`^the split folder ${escape(join(outside, 'split'))} is outside the workspace folders`));
    assert.equal(existsSync(join(outside, 'split')), false);
  });

  it('the label schema behind a .finlabel that leads outside is not read: the defaults stay, and the user is told why', async () => {
    const types = (await connection.sendRequest(labelTypesRequest)) as LabelType[];
    assert.ok(!types.some((t) => t.tag === 'INTEREST_RATE'), types.map((t) => t.tag).join());
    assert.ok(types.some((t) => t.tag === 'LOAN_AMOUNT'));
    const schema = join(ws, '.finlabel', 'labels.json');
    const warning = await waitFor(() => warnings.find((w) => w.includes(`the label schema ${schema} is outside`)));
    assert.ok(warning.includes(`(it leads to ${join(outside, 'labels.json')} through a symbolic link)`), warning);
  });

  it('createLabelSchemaFile writes into no folder outside: neither a folder it names nor through the .finlabel link', async () => {
    const elsewhere = (await connection.sendRequest(createLabelSchemaFileRequest, { folderUri: uri(join(dir, 'elsewhere')) })) as CreateLabelSchemaFileResult;
    assert.deepEqual(elsewhere, {
      ok: false,
      message: `the label schema file ${join(dir, 'elsewhere', '.finlabel', 'labels.json')} is outside the workspace folders ${ws}, ${other}; ${WHY}`,
    });
    assert.equal(existsSync(join(dir, 'elsewhere')), false);
    rmSync(join(outside, 'labels.json'));
    const linked = (await connection.sendRequest(createLabelSchemaFileRequest, { folderUri: uri(ws) })) as CreateLabelSchemaFileResult;
    assert.equal(linked.ok, false);
    assert.match(linked.ok ? '' : linked.message, /through a symbolic link/);
    assert.deepEqual(readdirSync(outside).sort(), ['contracts.json', 'data.jsonl']);
  });

  it("a contract folder's dataset must really be inside: setContractDataset refuses a link out, and contracts.json naming one is reported", async () => {
    const chosen = await connection.sendRequest(setContractDatasetRequest, {
      folderUri: uri(join(ws, 'contracts')),
      datasetUri: uri(join(ws, 'linked.jsonl')),
      create: false,
    });
    assert.deepEqual(chosen, {
      ok: false,
      message: `the dataset ${join(ws, 'linked.jsonl')} is outside the workspace folder ${ws} (it leads to ${join(outside, 'data.jsonl')} through a symbolic link); ${WHY}`,
    });

    const contract = join(other, 'contracts', '担保合同.txt');
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(contract), languageId: 'plaintext', version: 1, text: readFileSync(contract, 'utf8') },
    });
    const info = (await connection.sendRequest(contractInfoRequest, { uri: uri(contract) })) as ContractInfo;
    assert.ok(info.ok && info.dataset === undefined, JSON.stringify(info));
    assert.match(
      info.datasetProblem ?? '',
      new RegExp(
        `^the dataset chosen for the folder "contracts" \\(\\.finlabel/contracts\\.json\\) ${escape(join(other, 'contracts', 'labels.jsonl'))} is outside the workspace folder ${escape(other)} \\(it leads to`,
      ),
    );

    // ws's own map is behind its .finlabel link: not read at all.
    const wsContract = join(ws, 'contracts', '借款合同.txt');
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(wsContract), languageId: 'plaintext', version: 1, text: readFileSync(wsContract, 'utf8') },
    });
    const wsInfo = (await connection.sendRequest(contractInfoRequest, { uri: uri(wsContract) })) as ContractInfo;
    assert.ok(wsInfo.ok, JSON.stringify(wsInfo));
    assert.match(
      wsInfo.datasetProblem ?? '',
      new RegExp(`^the folder-dataset map ${escape(join(ws, '.finlabel', 'contracts.json'))} is outside the workspace folder`),
    );
  });

  it('training writes no model through a .finlabel that leads outside, and trains no dataset outside', async () => {
    const viaLink = (await connection.sendRequest(trainingStartRequest, {
      task: 'entities',
      datasetUri: uri(join(ws, 'data.jsonl')),
      base: { kind: 'tiny' },
    })) as TrainingStartResult;
    assert.equal(viaLink.ok, false);
    assert.match(
      viaLink.ok ? '' : viaLink.message,
      new RegExp(
        `^the model folder ${escape(join(ws, '.finlabel', 'models', 'entities'))}/data-\\d{8}-\\d{6} is outside the workspace folders .* \\(it leads to ${escape(join(outside, 'models', 'entities'))}/`,
      ),
    );
    const outsideData = (await connection.sendRequest(trainingStartRequest, {
      task: 'entities',
      datasetUri: uri(join(outside, 'data.jsonl')),
      base: { kind: 'tiny' },
      outDir: join(other, 'model'),
    })) as TrainingStartResult;
    assert.deepEqual(outsideData, {
      ok: false,
      message: `the dataset ${join(outside, 'data.jsonl')} is outside the workspace folders ${ws}, ${other}; ${WHY}`,
    });
    assert.equal(existsSync(join(outside, 'models')), false);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function waitFor<T>(find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
