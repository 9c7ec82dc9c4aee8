// Tests module for `npm run test:package` (runPackageTest.ts): runs in the extension host of a
// code-server whose only FinLabel is the one installed from the VSIX, and checks that copy.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { DocumentImportReport } from '../../src/common/documentImportProtocol';
import { makeDocx, makeTextPdf } from '../support/contractDocumentFiles';
import { formatResultLine } from './mochaResult';
import { findRepoRoot } from './paths';

const EXTENSION_ID = 'finlabel.finlabel';

interface Check {
  readonly name: string;
  readonly run: () => Promise<void> | void;
}

function installedExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension;
}

function checks(repoRoot: string): Check[] {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  return [
    {
      name: 'the extension comes from the extensions folder, not from the repo',
      run: () => {
        const path = installedExtension().extensionPath;
        assert.ok(!path.startsWith(repoRoot), `extension path ${path} is outside ${repoRoot}`);
      },
    },
    {
      name: `its version is the manifest's (${manifest.version})`,
      run: () => assert.equal((installedExtension().packageJSON as { version?: unknown }).version, manifest.version),
    },
    {
      name: 'the VSIX carries the bundles and no sources or node_modules',
      run: () => {
        const path = installedExtension().extensionPath;
        for (const file of ['dist/extension.js', 'dist/server.js', 'package.json']) assert.ok(existsSync(join(path, file)), `${file} is packaged`);
        for (const dir of ['src', 'node_modules', 'test', 'out']) assert.ok(!existsSync(join(path, dir)), `${dir}/ is not packaged`);
      },
    },
    {
      name: 'the VSIX carries onnxruntime-node with its Linux x64 binaries, and they load',
      run: () => {
        const path = installedExtension().extensionPath;
        const runtime = join(path, 'dist', 'node_modules', 'onnxruntime-node');
        assert.ok(existsSync(join(runtime, 'bin', 'napi-v6', 'linux', 'x64', 'onnxruntime_binding.node')), 'the Linux x64 binding is packaged');
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const ort = require(runtime) as { InferenceSession?: unknown };
        assert.equal(typeof ort.InferenceSession, 'function');
      },
    },
    {
      name: 'it activates',
      run: async () => {
        const extension = installedExtension();
        await extension.activate();
        assert.equal(extension.isActive, true);
      },
    },
    {
      name: 'its commands are registered',
      run: async () => {
        const commands = await vscode.commands.getCommands(true);
        assert.ok(commands.includes('finlabel.labelSelection'), 'finlabel.labelSelection is registered');
      },
    },
    {
      name: 'it carries no test entry: it exports nothing and registers no test commands',
      run: async () => {
        const extension = installedExtension();
        await extension.activate();
        assert.equal(extension.exports, undefined);
        const commands = await vscode.commands.getCommands(true);
        assert.deepEqual(
          commands.filter((c) => c.startsWith('finlabel.test.')),
          [],
        );
      },
    },
    {
      name: 'its bundled server reads a Word and a PDF contract (mammoth and pdf.js inside dist/server.js)',
      run: async () => {
        const root = vscode.workspace.workspaceFolders?.[0]?.uri;
        assert.ok(root, 'a workspace folder is open');
        const folder = vscode.Uri.joinPath(root, 'package-check-contracts');
        mkdirSync(folder.fsPath, { recursive: true });
        try {
          writeFileSync(join(folder.fsPath, '借款合同.docx'), await makeDocx(['借款合同', '借款金额：人民币伍佰万元整。']));
          writeFileSync(join(folder.fsPath, '保证合同.pdf'), await makeTextPdf([['保证合同'], ['保证方式为连带责任保证。']]));
          await vscode.commands.executeCommand('finlabel.chooseContractDataset', folder, vscode.Uri.joinPath(folder, 'contracts.labels.jsonl'));
          const report = await vscode.commands.executeCommand<DocumentImportReport | undefined>('finlabel.importContractDocuments', folder);
          assert.deepEqual(
            report?.files.map((f) => [f.file, f.outcome]),
            [
              ['package-check-contracts/保证合同.pdf', 'added'],
              ['package-check-contracts/借款合同.docx', 'added'],
            ],
          );
          const texts = readFileSync(join(folder.fsPath, 'contracts.labels.jsonl'), 'utf8')
            .trim()
            .split('\n')
            .map((l) => (JSON.parse(l) as { text: string }).text);
          assert.deepEqual(texts, ['保证合同\n保证方式为连带责任保证。', '借款合同\n借款金额：人民币伍佰万元整。']);
        } finally {
          rmSync(folder.fsPath, { recursive: true, force: true });
        }
      },
    },
  ];
}

export async function run(): Promise<void> {
  let passed = 0;
  let failed = 0;
  console.log('package checks');
  for (const check of checks(findRepoRoot(__dirname))) {
    try {
      await check.run();
      passed++;
      console.log(`  ✔ ${check.name}`);
    } catch (error) {
      failed++;
      console.log(`  ✖ ${check.name}: ${(error as Error).message}`);
    }
  }
  console.log(formatResultLine({ passed, failed, pending: 0 }));
  if (failed > 0) throw new Error(`${failed} package checks failed`);
}
