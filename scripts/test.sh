#!/usr/bin/env bash
# Runs every test: unit tests, the official WebAssembly suite under the interpreter, the
# embedding example, end-to-end tests, and a short smoke run of each fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
jobs=$(nproc)
ctest --test-dir build --output-on-failure -j "$jobs"
bash scripts/fuzz-smoke.sh
