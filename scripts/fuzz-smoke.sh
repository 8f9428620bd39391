#!/usr/bin/env bash
# Builds the libFuzzer targets (instrumented, with ASan+UBSan) and runs each for a short
# interval, seeded with the modules of the official test suite when it is present.
# FUZZ_SECONDS (default 60) sets the time per target.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${FUZZ_SECONDS:-60}"
if [ ! -f build-fuzz/build.ninja ]; then
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBANTAM_FUZZ=ON -DBANTAM_TESTS=OFF -DBANTAM_LLVM=OFF
fi
ninja -C build-fuzz fuzz_decode_validate fuzz_instantiate_run fuzz_wat_parse

corpus=build-fuzz/corpus
mkdir -p "$corpus/wasm" "$corpus/wat" build-fuzz/findings
suite="../shared/wasm-testsuite"
if [ -d "$suite" ] && [ -z "$(ls -A "$corpus/wasm")" ]; then
  ./build/bantam wast --emit-modules "$corpus/wasm" "$suite"/*.wast >/dev/null || true
  cp "$suite"/*.wast "$corpus/wat/" 2>/dev/null || true
fi

run() {
  local target=$1 dir=$2
  echo "fuzz: $target for ${secs}s"
  ./build-fuzz/fuzz/"$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
    -artifact_prefix=build-fuzz/findings/ -print_final_stats=1 "$dir" 2>&1 | tail -n 12
}
run fuzz_decode_validate "$corpus/wasm"
run fuzz_instantiate_run "$corpus/wasm"
run fuzz_wat_parse "$corpus/wat"
