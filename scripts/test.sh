#!/usr/bin/env bash
# Runs every test: unit tests, the official WebAssembly suite under the interpreter, the
# embedding example, end-to-end tests, the interpreter-only (edge) build, and a short smoke run
# of each fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
jobs=$(nproc)
ctest --test-dir build --output-on-failure -j "$jobs"
# The interpreter-only (edge) build must keep configuring and building without LLVM: build the
# CLI alone (ccache makes it cheap) and run one module and one spec file with it.
cmake -S . -B build-edge -G Ninja -DBANTAM_LLVM=OFF -DBANTAM_TESTS=OFF >/dev/null
ninja -C build-edge bantam_cli
build-edge/bantam run bench/programs/empty.wat
if [ -f ../shared/wasm-testsuite/i32.wast ]; then build-edge/bantam wast ../shared/wasm-testsuite/i32.wast; fi
bash scripts/fuzz-smoke.sh
