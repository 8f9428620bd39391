#!/usr/bin/env bash
# Configures and builds Bantam into build/ (CLI at build/bantam). Extra arguments go to ninja.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
ninja -C build "$@"
