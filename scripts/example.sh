#!/usr/bin/env bash
# Builds Bantam and runs the bundled example: counting the primes below ten million with a
# WebAssembly sieve, in the interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh bantam_cli >/dev/null
echo "primes up to 10,000,000 (examples/primes.wat):"
exec build/bantam run --invoke count_primes examples/primes.wat 10000000
