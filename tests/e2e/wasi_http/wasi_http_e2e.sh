#!/usr/bin/env bash
# End-to-end tests of WASI 0.2 components with real processes and curl:
#   wasi_http_e2e.sh BANTAM JS_GUEST_DIR CASE
# CASE: run_command | serve_hello | serve_outbound | serve_timeout | serve_rejects_core_module | up_hello |
#       up_rejects_core_module
# The JavaScript guests are built by componentize-js (tests/guests/component/js); without them,
# or without curl, a case skips (77).
set -uo pipefail
bantam=$(realpath "$1") guests=$(realpath "$2") case=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
[[ -f $guests/hello_http.wasm && -f $guests/cli.wasm ]] || skip "the JavaScript component guests were not built (node/npm missing?)"
command -v curl >/dev/null || skip "curl is not installed"
work=$(mktemp -d)
pid=
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Waits (up to 120 s: the interpreter compiles a 12 MB JavaScript engine) for the server.
wait_up() {
  for _ in $(seq 600); do
    curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; fail "the server exited"; }
    sleep 0.2
  done
  cat "$work/log" >&2
  fail "the server did not start"
}
expect_eq() { [[ "$1" == "$2" ]] || fail "$3: expected [$2], got [$1]"; }
expect_has() { grep -qF -- "$2" <<<"$1" || fail "$3: [$2] not in [$1]"; }

case $case in
  run_command)
    out=$("$bantam" run "$guests/cli.wasm")
    rc=$?
    expect_eq "$rc" 0 "exit status"
    expect_eq "$out" "Hello from a JavaScript command!" "stdout"
    ;;
  serve_hello)
    port=$(free_port)
    "$bantam" serve "$guests/hello_http.wasm" --listen "127.0.0.1:$port" >"$work/log" 2>&1 &
    pid=$!
    wait_up "$port"
    out=$(curl -s -i "http://127.0.0.1:$port/hello")
    expect_has "$out" "HTTP/1.1 200 OK" "GET status"
    expect_has "$out" "x-bantam-guest: js" "response header"
    expect_has "$out" "Hello from JavaScript!" "GET body"
    out=$(curl -s -i -X POST --data-binary 'ping pong' "http://127.0.0.1:$port/echo")
    expect_has "$out" "HTTP/1.1 201 Created" "POST status"
    expect_has "$out" "x-bantam-echo: POST" "method seen by the guest"
    expect_eq "$(curl -s -X POST --data-binary 'ping pong' "http://127.0.0.1:$port/echo")" "ping pong" "echoed body"
    head -c 1048576 /dev/urandom | base64 -w0 >"$work/big"
    expect_eq "$(curl -s -X POST --data-binary @"$work/big" "http://127.0.0.1:$port/echo" | md5sum)" "$(md5sum <"$work/big")" "1 MiB body"
    expect_has "$(curl -s -H 'X-Custom: yes' "http://127.0.0.1:$port/headers")" "x-custom: yes" "request header"
    ;;
  serve_outbound)
    # wasi:http/outgoing-handler: the guest fetches from the server itself when the origin is
    # allowed (--allow-outbound, Spin's allowed_outbound_hosts syntax); any other is denied.
    port=$(free_port)
    "$bantam" serve "$guests/hello_http.wasm" --listen "127.0.0.1:$port" --allow-outbound "http://127.0.0.1:$port" \
      >"$work/log" 2>&1 &
    pid=$!
    wait_up "$port"
    expect_eq "$(curl -s "http://127.0.0.1:$port/fetch?url=http://127.0.0.1:$port/hello")" "200 Hello from JavaScript!" "allowed fetch"
    out=$(curl -s -i "http://127.0.0.1:$port/fetch?url=http://127.0.0.1:1/hello")
    expect_has "$out" "HTTP/1.1 502" "denied fetch status"
    expect_has "$out" "fetch failed" "denied fetch body"
    ;;
  serve_timeout)
    # A guest in an infinite loop costs its own request (504 after --timeout-ms), nothing else.
    port=$(free_port)
    "$bantam" serve "$guests/hello_http.wasm" --listen "127.0.0.1:$port" --timeout-ms 1000 >"$work/log" 2>&1 &
    pid=$!
    wait_up "$port"
    curl -s -o "$work/loop" -w '%{http_code}' --max-time 60 "http://127.0.0.1:$port/loop" >"$work/loop_status" &
    loop=$!
    sleep 0.2
    expect_eq "$(curl -s --max-time 30 "http://127.0.0.1:$port/hello")" "Hello from JavaScript!" "served during the loop"
    wait "$loop"
    expect_eq "$(cat "$work/loop_status")" "504" "looping request"
    expect_eq "$(curl -s "http://127.0.0.1:$port/hello")" "Hello from JavaScript!" "served after the loop"
    ;;
  serve_rejects_core_module)
    printf '\0asm\1\0\0\0' >"$work/core.wasm"
    out=$("$bantam" serve "$work/core.wasm" 2>&1)
    rc=$?
    expect_eq "$rc" 1 "exit status"
    expect_has "$out" "not a WebAssembly component" "message"
    ;;
  up_hello)
    port=$(free_port)
    cp "$guests/hello_http.wasm" "$work/"
    cat >"$work/spin.toml" <<'TOML'
spin_manifest_version = 2

[application]
name = "js-hello"

[[trigger.http]]
route = "/js/..."
component = "js"

[component.js]
source = "hello_http.wasm"
TOML
    (cd "$work" && exec "$bantam" up --listen "127.0.0.1:$port") >"$work/log" 2>&1 &
    pid=$!
    wait_up "$port"
    out=$(curl -s -i "http://127.0.0.1:$port/js/hello")
    expect_has "$out" "HTTP/1.1 200 OK" "status"
    expect_has "$out" "Hello from JavaScript!" "body"
    out=$(curl -s "http://127.0.0.1:$port/js/a/headers?x=1")
    expect_has "$out" "spin-full-url: http://127.0.0.1:$port/js/a/headers?x=1" "spin-full-url"
    expect_has "$out" "spin-path-info: /a/headers" "spin-path-info"
    expect_has "$out" "spin-matched-route: /js/..." "spin-matched-route"
    expect_has "$out" "spin-component-route: /js" "spin-component-route"
    expect_has "$out" "spin-client-addr: 127.0.0.1:" "spin-client-addr"
    expect_eq "$(curl -s -X POST --data 'abc' "http://127.0.0.1:$port/js/echo")" "abc" "echo"
    expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/other")" "404" "unrouted path"
    ;;
  up_rejects_core_module)
    # A trigger without `executor` is a wasi:http one: a core module there is a named error.
    printf '\0asm\1\0\0\0' >"$work/core.wasm"
    cat >"$work/spin.toml" <<'TOML'
spin_manifest_version = 2

[application]
name = "core-as-http"

[[trigger.http]]
route = "/..."
component = "core"

[component.core]
source = "core.wasm"
TOML
    out=$(cd "$work" && timeout 60 "$bantam" up --listen 127.0.0.1:0 2>&1)
    rc=$?
    [[ $rc -ne 0 && $rc -ne 124 ]] || fail "exit status $rc"
    expect_has "$out" "needs a component" "message"
    expect_has "$out" "executor = { type = \"wagi\" }" "hint"
    ;;
  *) fail "unknown case $case" ;;
esac
echo "PASS: $case"
