// One bundler (esbuild) for the extension, the language server, the CLI, the webview and the tests.
import * as esbuild from 'esbuild';
import { cpSync, rmSync, mkdirSync, readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
// package.json is the one place the version is written; the bundles get it as FINLABEL_VERSION (src/common/version.ts).
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const watch = process.argv.includes('--watch');

/** Every *.ts file under dir (recursive). */
function tsFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  // jsonc-parser's UMD "main" build hides its requires from bundlers; its ESM build does not.
  mainFields: ['module', 'main'],
  define: { FINLABEL_VERSION: JSON.stringify(version) },
};

const builds = [
  {
    ...nodeCommon,
    entryPoints: { extension: 'src/extension/main.ts', server: 'src/server/main.ts', cli: 'src/server/cli/main.ts' },
    outdir: 'dist',
    // onnxruntime-node loads native binaries next to its own files: required at run time, not bundled.
    external: ['vscode', 'onnxruntime-node'],
  },
  {
    ...nodeCommon,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: {
      annotationView: 'src/webview/annotationView/main.ts',
      evaluationReport: 'src/webview/evaluationReport/main.ts',
      keyTerms: 'src/webview/keyTerms/main.ts',
    },
    outdir: 'dist/webview',
  },
];

/** The probe the test entry puts into the webview pages under test: a page script, built for the browser. */
const PROBE_DIR = 'test/integration/webviewProbe';
const testEntries = [...tsFiles(join(root, 'test')), ...tsFiles(join(root, 'bench'))].map((f) => relative(root, f)).filter((f) => !f.startsWith(PROBE_DIR));
if (testEntries.length > 0) {
  builds.push({
    ...nodeCommon,
    sourcemap: 'linked',
    minify: false,
    entryPoints: testEntries,
    outbase: '.',
    outdir: 'out',
    // Test runners and the workbench driver are loaded from node_modules at run time, and so is pdfkit
    // (tests write PDFs with it): it reads its font metrics from files next to its own module.
    external: ['vscode', 'mocha', 'playwright-core', '@vscode/test-electron', 'onnxruntime-node', 'pdfkit'],
  });
  builds.push({
    ...nodeCommon,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    // Put inline into the page (test/integration/webviewProbes.ts): no source map to fetch.
    sourcemap: false,
    minify: false,
    entryPoints: { page: `${PROBE_DIR}/page.ts` },
    outdir: `out/${PROBE_DIR}`,
  });
}

function copyWorker() {
  const from = join(root, 'src/server/worker/python');
  const to = join(root, 'dist/worker');
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  cpSync(from, to, {
    recursive: true,
    filter: (src) => !/__pycache__|\.pyc$|\.pytest_cache/.test(src),
  });
}

/**
 * The VSIX carries no node_modules (vsce --no-dependencies): the packaged server finds onnxruntime-node
 * (external to the bundle, native binaries) in dist/node_modules, with the Linux x64 binaries only.
 */
function copyOnnxRuntime() {
  const to = join(root, 'dist/node_modules');
  cpSync(join(root, 'node_modules/onnxruntime-common'), join(to, 'onnxruntime-common'), { recursive: true, dereference: true });
  cpSync(join(root, 'node_modules/onnxruntime-node'), join(to, 'onnxruntime-node'), {
    recursive: true,
    dereference: true,
    filter: (src) => {
      const bin = relative(join(root, 'node_modules/onnxruntime-node/bin/napi-v6'), src).split(/[\\/]/);
      return bin[0] === '..' || bin.length < 2 || (bin[0] === 'linux' && bin[1] === 'x64');
    },
  });
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
rmSync(join(root, 'out'), { recursive: true, force: true });
if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
  copyWorker();
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  copyWorker();
  if (production) copyOnnxRuntime();
  console.log(
    `esbuild: built extension, server, cli, webview${testEntries.length ? `, ${testEntries.length} test modules` : ''}${production ? ' (production)' : ''}`,
  );
}
