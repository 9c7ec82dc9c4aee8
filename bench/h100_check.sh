#!/usr/bin/env bash
# Every CUDA path of the worker once, on one GPU, in at most 9 minutes; see the top of
# bench/h100_check.py for the steps and bench/README.md for how to run it on the GPU machine.
#
#   bash bench/h100_check.sh [OUT_DIR] [--cpu] [--steps a,b] [--budget STEP=SECONDS]
#
# OUT_DIR defaults to $OUT (the GPU machine's result folder), else ./h100-check. Runs the machine's
# own python3 (PYTHON=... for another) with the worker on PYTHONPATH. Wheels in .whl/ (bitsandbytes;
# fetched by bench/h100_wheels.sh, git-ignored) are unpacked into a scratch folder first: nothing is
# installed into the machine's Python. --cpu replaces the CUDA-only work by CPU stand-ins, to prove
# the plumbing on a machine without a GPU.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${OUT:-$root/h100-check}"
if [[ $# -gt 0 && $1 != -* ]]; then
  out=$1
  shift
fi
python="${PYTHON:-python3}"
mkdir -p "$out"

site=""
shopt -s nullglob
wheels=(.whl/*.whl)
if [[ ${#wheels[@]} -gt 0 ]]; then
  site="$(mktemp -d /tmp/finlabel-h100-site-XXXXXX)"
  # A wheel is a zip archive: unpacking it is installing it without pip (the machine has no network).
  "$python" - "$site" "${wheels[@]}" <<'PY' || { echo "h100_check.sh: could not unpack ${wheels[*]}" >&2; site=""; }
import sys, zipfile
target = sys.argv[1]
for wheel in sys.argv[2:]:
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    print(f"h100_check.sh: unpacked {wheel} into {target}", file=sys.stderr)
PY
fi

export PYTHONPATH="$root/src/server/worker/python${site:+:$site}${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONUNBUFFERED=1
# The driver keeps to 540 s itself; this is the safety net if it cannot.
exec timeout -k 10 570 "$python" bench/h100_check.py --out "$out" "$@"
