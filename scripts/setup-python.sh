#!/usr/bin/env bash
# Create or update the worker's Python environment (.venv at the repo root) from the pinned
# requirements. Idempotent: when the requirements (and the base interpreter) have not changed
# since the last successful install, it only checks the stamp and exits.
#
# Environment: FINLABEL_PYTHON  base interpreter used to create the venv (default: python3).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base_python="${FINLABEL_PYTHON:-python3}"
venv="$root/.venv"
req_dir="$root/src/server/worker/python"
req="$req_dir/requirements.txt"
req_dev="$req_dir/requirements-dev.txt"
constraints="$req_dir/constraints.txt"
stamp="$venv/.finlabel-requirements.sha256"

log() { echo "[setup-python] $*"; }

if ! command -v "$base_python" >/dev/null 2>&1; then
  echo "[setup-python] base interpreter '$base_python' not found (set FINLABEL_PYTHON)" >&2
  exit 1
fi

venv_python() {
  if [[ -x "$venv/bin/python" ]]; then echo "$venv/bin/python"; else echo "$venv/Scripts/python.exe"; fi
}

# The stamp covers both requirement files and the base interpreter's version, so a change to
# any of them triggers a reinstall.
wanted_hash="$(
  {
    cat "$req" "$req_dev" "$constraints"
    "$base_python" -c 'import sys; print(sys.version)'
  } | sha256sum | cut -d' ' -f1
)"

py="$(venv_python)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted_hash" ]] && "$py" -c 'import sys' >/dev/null 2>&1; then
  log "environment up to date: $venv (requirements hash ${wanted_hash:0:12})"
  exit 0
fi

start=$SECONDS
if "$py" -c 'import sys' >/dev/null 2>&1; then
  log "updating existing environment $venv"
else
  log "creating environment $venv with $("$base_python" --version 2>&1) ($(command -v "$base_python"))"
  "$base_python" -m venv --clear "$venv"
  py="$(venv_python)"
fi

rm -f "$stamp"
log "installing $(realpath --relative-to="$root" "$req") and $(realpath --relative-to="$root" "$req_dev")"
"$py" -m pip install --disable-pip-version-check --progress-bar off -r "$req" -r "$req_dev"
log "checking installed packages are consistent (pip check)"
"$py" -m pip check
echo "$wanted_hash" >"$stamp"
log "done in $((SECONDS - start))s: $("$py" -c 'import torch, transformers, peft; print(f"torch {torch.__version__}, transformers {transformers.__version__}, peft {peft.__version__}")' 2>&1 | tail -1)"
