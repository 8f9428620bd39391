#!/usr/bin/env bash
# Installs what Bantam needs to build and test, from Debian packages, and nothing that is
# already there. Idempotent: safe to run before every build (the README's commands do).
set -euo pipefail

packages=(
  # toolchain
  clang-19 lld-19 libclang-rt-19-dev cmake ninja-build ccache python3
  # libraries
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev
  # the platform: spin.toml (toml++); curl for the `bantam up` end-to-end tests
  libtomlplusplus-dev curl
  # the HTTP server (Boost.Beast/Asio, header-only) and load tests/benchmarks against it
  libboost-dev libboost-context-dev wrk
  # the compiled engine: LLVM 19 (libbantam_llvm.so) and xxHash for the code-cache keys
  llvm-19-dev libxxhash-dev
  # guest programs (wasm32-wasi) and module tools used by tests and benchmarks
  wasi-libc libclang-rt-19-dev-wasm32 wabt binaryen hyperfine
  # WASI guest programs in C++ and Rust (tests/guests; Rust guests use Debian's /usr/bin/rustc)
  libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 rustc libstd-rust-dev-wasm32
)

# JavaScript guest tooling (componentize-js, jco: pinned in tests/guests/component/**/package.json)
# needs Node.js 20 and npm; use the machine's when it has them, else Debian's.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
