# Shared by the `bantam up` / `build` / `new` end-to-end tests: checks that print ok/FAIL, a
# temporary folder, and servers started on 127.0.0.1 on a free port and stopped by PID.
# Usage (from a test): source "$(dirname "$0")/lib.sh" BANTAM SOURCE_DIR
set -uo pipefail
bantam=$1
src=$2
tmp=$(mktemp -d)
failures=0
server_pid=""
server_log="$tmp/server.log"

cleanup() {
  stop_server
  rm -rf "$tmp"
}
trap cleanup EXIT

pass() { echo "ok: $1"; }
failed() {
  echo "FAIL: $1"
  shift
  for detail in "$@"; do printf '%s\n' "$detail" | head -30 | sed 's/^/    /'; done
  failures=$((failures + 1))
}

# expect NAME STATUS REGEX -- COMMAND...: the command exits STATUS and its output matches REGEX.
expect() {
  local name=$1 status=$2 pattern=$3
  shift 4
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" -ne "$status" ] || ! grep -qE -- "$pattern" <<<"$out"; then
    failed "$name (status $rc, want $status; output must match /$pattern/)" "$out"
  else
    pass "$name"
  fi
}

# expect_fail NAME REGEX -- COMMAND...: the command fails (any non-zero status) saying REGEX.
expect_fail() {
  local name=$1 pattern=$2
  shift 3
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" -eq 0 ] || ! grep -qE -- "$pattern" <<<"$out"; then
    failed "$name (status $rc, want a failure; output must match /$pattern/)" "$out"
  else
    pass "$name"
  fi
}

# Skips the whole test (exit 77) unless clang-19 can build wasm32-wasi programs.
require_wasi_clang() {
  if ! command -v clang-19 >/dev/null || [ ! -f /usr/include/wasm32-wasi/stdio.h ] ||
     [ ! -f /usr/lib/wasm32-wasi/libc.a ]; then
    echo "skipped: clang-19 with a wasm32-wasi sysroot is needed (scripts/setup.sh installs it)"
    exit 77
  fi
  command -v curl >/dev/null || { echo "skipped: curl is needed"; exit 77; }
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server ARGS...: runs `bantam up ARGS --listen 127.0.0.1:$port` in the background and
# waits until /.well-known/spin/health answers (or the process dies). Sets $port, $base.
start_server() {
  port=$(free_port)
  base="http://127.0.0.1:$port"
  "$bantam" up "$@" --listen "127.0.0.1:$port" >"$server_log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 200); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      wait "$server_pid" 2>/dev/null
      server_pid=""
      return 1
    fi
    if curl -fsS -o /dev/null --max-time 1 "$base/.well-known/spin/health" 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  return 1
}

stop_server() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null
    for _ in $(seq 1 100); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.05
    done
    kill -KILL "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    server_pid=""
  fi
}

# http NAME EXPECTED_STATUS BODY_REGEX CURL_ARGS...: one request; checks status and body.
http() {
  local name=$1 want=$2 pattern=$3
  shift 3
  local out status body
  out=$(curl -sS --max-time 20 -w '\n%{http_code}' "$@" 2>&1)
  status=${out##*$'\n'}
  body=${out%$'\n'*}
  if [ "$status" != "$want" ] || ! grep -qE -- "$pattern" <<<"$body"; then
    failed "$name (HTTP $status, want $want; body must match /$pattern/)" "$body"
  else
    pass "$name"
  fi
}

finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    if [ -s "$server_log" ]; then echo "server output:"; tail -40 "$server_log" | sed 's/^/    /'; fi
    exit 1
  fi
  echo "all checks passed"
  exit 0
}
