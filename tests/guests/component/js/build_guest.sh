#!/usr/bin/env bash
# Builds one JavaScript component with componentize-js (called by CMakeLists.txt).
#   build_guest.sh NODE_MODULES_PARENT SOURCE_DIR WIT_OUT_DIR JS_FILE WORLD OUT.wasm [WORLDS.wit [DEP.wit...]]
# WORLDS.wit replaces wit/worlds.wit; each DEP.wit (a package of its own, such as
# ../wit/compose.wit) is copied into deps/.
# The WIT directory is the guest's worlds.wit plus jco's builtin WASI 0.2.12 packages renamed
# to 0.2.10: componentize-js 0.23 embeds StarlingMonkey built against WASI 0.2.10, whose fetch
# event exports wasi:http/incoming-handler@0.2.10 (the 0.2.12 text carries no @since gates, so
# it is the same interface).
set -euo pipefail
modules=$1/node_modules src=$2 wit=$3 js=$4 world=$5 out=$6
worlds=${7:-$src/wit/worlds.wit}
extra=("${@:8}")
builtin=$modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12
[[ -d $builtin ]] || { echo "build_guest.sh: $builtin is missing (npm ci failed?)" >&2; exit 1; }
rm -rf "$wit" && mkdir -p "$wit/deps"
cp "$worlds" "$wit/worlds.wit"
for f in "${extra[@]}"; do
  n=$(basename "$f" .wit)
  mkdir -p "$wit/deps/$n" && cp "$f" "$wit/deps/$n/"
done
for d in "$builtin"/*/; do
  n=$(basename "$d")
  mkdir -p "$wit/deps/$n"
  sed 's/@0\.2\.12/@0.2.10/g' "$d/package.wit" > "$wit/deps/$n/package.wit"
done
node "$modules/@bytecodealliance/componentize-js/src/cli.js" "$src/$js" --wit "$wit" -n "$world" -o "$out.tmp"
mv "$out.tmp" "$out"
