#!/usr/bin/env bash
# Fetches what bench/h100_check.sh needs on the GPU machine and cannot find there: bitsandbytes, as
# a wheel in .whl/ (git-ignored). The machine has no network and the working tree travels with at
# most 64 MiB, so the wheel is repacked with the native libraries of the CUDA versions named
# (default 12.8, 13.0 and 13.2: the machine's PyTorch was 2.11+cu130; bitsandbytes picks the library
# of torch.version.cuda) and its CPU library only: about 13 MiB instead of 41.
#
#   bash bench/h100_wheels.sh [CUDA_LIBS]     # CUDA_LIBS: a regular expression, default 'cuda12[8]|cuda13[0-9]'
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python="${PYTHON:-.venv/bin/python}"
keep="${1:-cuda12[8]|cuda13[0-9]}"
version="${BITSANDBYTES_VERSION:-0.50.2}"
mkdir -p .whl
download="$(mktemp -d)"
"$python" -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_24_x86_64 \
  --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d "$download" "bitsandbytes==$version"
"$python" - "$download"/bitsandbytes-*.whl .whl "$keep" <<'PY'
import base64, hashlib, re, sys, zipfile
from pathlib import Path

source, target_dir, keep = Path(sys.argv[1]), Path(sys.argv[2]), re.compile(sys.argv[3])
target = target_dir / source.name
for old in target_dir.glob("bitsandbytes-*.whl"):
    old.unlink()
records, dropped = [], []
with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
    record_name = next(n for n in src.namelist() if n.endswith(".dist-info/RECORD"))
    for info in src.infolist():
        name = info.filename
        if name == record_name:
            continue
        library = re.search(r"libbitsandbytes_([a-z0-9]+)\.(so|dll|dylib)$", name)
        if library and library.group(1) != "cpu" and not keep.fullmatch(library.group(1)):
            dropped.append(name)
            continue
        data = src.read(name)
        dst.writestr(info, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        records.append(f"{name},sha256={digest},{len(data)}")
    records.append(f"{record_name},,")
    dst.writestr(record_name, "\n".join(records) + "\n")
kept = sorted(n for n in zipfile.ZipFile(target).namelist() if "libbitsandbytes_" in n)
print(f"{target}: {target.stat().st_size / 2**20:.1f} MiB; native libraries kept: {', '.join(Path(n).name for n in kept)}; dropped {len(dropped)}")
PY
rm -rf "$download"
