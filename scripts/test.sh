#!/usr/bin/env bash
# The README's test command: sets up everything (scripts/setup.sh) and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm test
