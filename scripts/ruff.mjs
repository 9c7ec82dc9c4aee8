// ruff, from the worker's environment (.venv, made by scripts/setup-python.sh from requirements-dev.txt), over
// the repository's Python (ruff.toml says what and how).
//   node scripts/ruff.mjs check    lint and check the formatting (npm run lint)
//   node scripts/ruff.mjs format   format and apply the safe lint fixes (npm run format)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ruff = [join(root, '.venv', 'bin', 'ruff'), join(root, '.venv', 'Scripts', 'ruff.exe')].find(existsSync);
if (!ruff) {
  console.error('ruff is not installed: run bash scripts/setup-python.sh (it installs requirements-dev.txt into .venv)');
  process.exit(1);
}
const mode = process.argv[2];
const steps = {
  check: [
    ['check', '.'],
    ['format', '--check', '.'],
  ],
  format: [
    ['format', '.'],
    ['check', '--fix', '.'],
  ],
}[mode];
if (!steps) {
  console.error('usage: node scripts/ruff.mjs check|format');
  process.exit(2);
}
for (const args of steps) {
  const run = spawnSync(ruff, args, { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
