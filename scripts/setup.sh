#!/usr/bin/env bash
# Installs what FinLabel needs on a fresh Debian machine of this kind: the npm packages and the
# build, the worker's Python environment (.venv), and VS Code (code-server) with Chromium.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
step() { printf '\n==> %s\n' "$*"; }

step "npm packages and build"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  echo "node_modules is up to date"
fi
npm run --silent build

step "Python environment for the worker (.venv)"
bash scripts/setup-python.sh

step "VS Code (code-server), Chromium and CJK fonts"
bash scripts/setup-vscode.sh

echo
echo "setup done in $((SECONDS - started)) s"
