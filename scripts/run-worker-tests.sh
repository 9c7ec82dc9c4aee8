#!/usr/bin/env bash
# Run the Python worker's tests (test/worker) in the project's .venv, creating or updating it
# first (fast when the requirements have not changed). pytest runs last, so the output ends with
# its summary line.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup-python.sh
python=".venv/bin/python"
[[ -x "$python" ]] || python=".venv/Scripts/python.exe"
export PYTHONPATH="$root/src/server/worker/python${PYTHONPATH:+:$PYTHONPATH}"
exec "$python" -m pytest test/worker -q -p no:cacheprovider "$@"
