#!/usr/bin/env bash
# `npm test`: lint, typecheck, build, then every runner in turn; ends with each runner's summary.
# Assumes scripts/setup.sh ran (node_modules, .venv, code-server, chromium).
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
failed=0
summaries=()

run() {
  local name=$1
  shift
  printf '\n==> %s: %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$logs/$name.log"
  local rc=${PIPESTATUS[0]}
  [ "$rc" -eq 0 ] || { failed=1; echo "==> $name failed (exit $rc)"; }
  return "$rc"
}

# A runner's own counts, as "N passed, N failed".
counts() {
  local name=$1 log=$logs/$1.log passed failed_n
  case $name in
    unit | processes | worker-backed) passed=$(grep -Eo '[0-9]+ passing' "$log" | tail -1 | grep -Eo '[0-9]+'); failed_n=$(grep -Eo '[0-9]+ failing' "$log" | tail -1 | grep -Eo '[0-9]+') ;;
    worker) passed=$(grep -Eo '[0-9]+ passed' "$log" | tail -1 | grep -Eo '[0-9]+'); failed_n=$(grep -Eo '[0-9]+ (failed|error)' "$log" | tail -1 | grep -Eo '[0-9]+') ;;
    *) passed=$(grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1 | cut -d' ' -f1); failed_n=$(grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1 | cut -d' ' -f3) ;;
  esac
  # A runner that died before its summary counts as one failure, never as a pass.
  if [ -z "${passed}${failed_n}" ] && [ "$2" -ne 0 ]; then failed_n=1; fi
  echo "${passed:-0} passed, ${failed_n:-0} failed"
}

run lint npm run --silent lint && echo "lint: clean"
run typecheck npm run --silent typecheck && echo "typecheck: clean"
run build npm run --silent build || { echo "build failed; stopping"; exit 1; }
for suite in unit processes worker-backed worker vscode; do
  run "$suite" npm run --silent "test:$suite"
  rc=$?
  summaries+=("$suite: $(counts "$suite" "$rc")")
done
if run vsix npm run --silent package; then
  run package npm run --silent test:package
  rc=$?
  summaries+=("package: $(counts package "$rc")")
else
  summaries+=("package: 0 passed, 1 failed")
fi

echo
echo "==> summary"
for s in "${summaries[@]}"; do echo "$s"; done
rm -rf "$logs"
exit $failed
