#!/usr/bin/env bash
# End-to-end tests of WASI 0.2 components with real processes and curl:
#   wasi_http_e2e.sh BANTAM JS_GUEST_DIR CASE [C_GUEST_DIR]
# CASE: run_command | serve_hello | serve_outbound | serve_timeout | serve_rejects_core_module | up_hello |
#       up_rejects_core_module                       (the JavaScript guests)
#       up_stream | up_trailers | up_request_body | up_chain | up_trap_mid_stream | serve_stream
#                                                    (the C guest c/http.c, in C_GUEST_DIR)
# The JavaScript guests are built by componentize-js (tests/guests/component/js), the C guest by
# clang and jco (tests/guests/component); without them, or without curl, a case skips (77).
source "$(dirname "$0")/../lib/fail_fast.sh"
bantam=$(realpath "$1") guests=$(realpath "$2") case=$3 cguests=${4:-}
if [[ $case == up_stream || $case == up_trailers || $case == up_request_body || $case == up_chain ||
      $case == up_trap_mid_stream || $case == serve_stream ]]; then
  [[ -n $cguests && -f $cguests/http_guest.wasm ]] || skip "the C wasi:http guest was not built (node/npm missing?)"
  cguest=$(realpath "$cguests/http_guest.wasm")
else
  [[ -f $guests/hello_http.wasm && -f $guests/cli.wasm ]] || skip "the JavaScript component guests were not built (node/npm missing?)"
fi
command -v curl >/dev/null || skip "curl is not installed"

# `bantam up` of an app with the C guest at /c/... (allowed to chain to `backend`), a private
# `backend`, `closed` (only `*://*:*`, which does not allow chaining) and `wild`
# (http://*.spin.internal), on the interpreter.
up_c_app() {
  port=$(free_port)
  cp "$cguest" "$work/http_guest.wasm"
  cat >"$work/spin.toml" <<'TOML'
spin_manifest_version = 2

[application]
name = "c-http"

[[trigger.http]]
route = "/c/..."
component = "c"

[[trigger.http]]
route = { private = true }
component = "backend"

[[trigger.http]]
route = "/closed/..."
component = "closed"

[component.c]
source = "http_guest.wasm"
allowed_outbound_hosts = ["http://backend.spin.internal"]

[[trigger.http]]
route = "/wild/..."
component = "wild"

[component.backend]
source = "http_guest.wasm"

[component.closed]
source = "http_guest.wasm"
allowed_outbound_hosts = ["*://*:*"]

[component.wild]
source = "http_guest.wasm"
allowed_outbound_hosts = ["http://*.spin.internal"]
TOML
  (cd "$work" && exec "$bantam" up --listen "127.0.0.1:$port" --engine interp "$@") >"$work/log" 2>&1 &
  pid=$!
  wait_up "$port"
}
# A raw HTTP/1.1 exchange (python): prints the seconds from the request to the first body byte
# matching $2 and to the end, then the raw response. Usage: raw PORT MARK REQUEST
raw() {
  python3 - "$@" <<'PY'
import socket, sys, time
port, mark, req = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3].encode().decode('unicode_escape').encode('latin-1')
s = socket.create_connection(("127.0.0.1", port)); t0 = time.time(); s.sendall(req)
s.settimeout(30)
data, first = b"", None
while True:
    try:
        c = s.recv(65536)
    except socket.timeout:
        break
    if not c: break
    data += c
    if first is None and mark in data: first = time.time() - t0
print("%.3f %.3f" % (first if first is not None else -1, time.time() - t0))
sys.stdout.write(data.decode('latin-1'))
PY
}

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
  up_stream)
    # A response written over time reaches the client as it is written (chunked): the first
    # chunk arrives while the guest still sleeps before the last.
    up_c_app
    out=$(raw "$port" "chunk 0" $'GET /c/stream?n=5&ms=400 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    read -r first total <<<"$(head -1 <<<"$out")"
    expect_has "$out" "Transfer-Encoding: chunked" "framing"
    expect_has "$out" "chunk 4" "last chunk"
    python3 -c "import sys; sys.exit(0 if $first >= 0 and $total - $first > 1.0 else 1)" ||
      fail "the first chunk came at ${first}s, the end at ${total}s: not streamed"
    expect_eq "$(curl -s "http://127.0.0.1:$port/c/stream?n=3&ms=10")" $'chunk 0\nchunk 1\nchunk 2' "body"
    expect_eq "$(curl -s -D - -o /dev/null "http://127.0.0.1:$port/c/hello" | grep -ci content-length)" "1" \
      "a short response keeps its Content-Length"
    ;;
  up_trailers)
    # outgoing-body.finish(some(trailers)) -> HTTP/1.1 trailers after the last chunk.
    up_c_app
    out=$(raw "$port" "with" $'GET /c/trailers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | tr -d '\r')
    expect_has "$out" "Transfer-Encoding: chunked" "framing"
    expect_has "$out" $'with trailers\n\n0\nx-checksum: abc123\nx-count: 1' "trailers after the last chunk"
    ;;
  up_request_body)
    # The guest starts once the head is read and reads the body as it arrives: it answers
    # after the first 5 bytes of a body announced as 1,000,000 (the rest never comes).
    up_c_app
    out=$(raw "$port" "first=" $'POST /c/first HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nhello')
    expect_has "$out" "first=5" "answered before the body was complete"
    # A large request body reaches the guest whole (read with blocking-read in 64 KiB pieces,
    # at most 1 MiB waiting in the server), chunked or not; the request's trailers come through
    # incoming-body.finish.
    head -c 8000000 /dev/urandom >"$work/big"
    want=$(python3 -c "
d=open('$work/big','rb').read(); h=2166136261
for b in d: h=((h^b)*16777619)&0xffffffff
print('bytes=%d sum=%08x trailer=none' % (len(d), h))")
    expect_eq "$(curl -s -X POST --data-binary @"$work/big" "http://127.0.0.1:$port/c/echo")" "$want" "8 MB body"
    expect_eq "$(curl -s -X POST -H 'Transfer-Encoding: chunked' --data-binary @"$work/big" "http://127.0.0.1:$port/c/echo")" \
      "$want" "8 MB chunked body"
    out=$(raw "$port" "bytes" $'POST /c/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\nx-trailer: tv1\r\n\r\n')
    expect_has "$out" "bytes=5 sum=4f9f2cab trailer=tv1" "request trailers"
    head -c 17000000 /dev/zero >"$work/huge"
    expect_eq "$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary @"$work/huge" "http://127.0.0.1:$port/c/echo")" \
      "413" "a body over the limit"
    ;;
  up_chain)
    # Spin's service chaining: http://<id>.spin.internal is the app's component <id>, whatever
    # its route (here a private one), when allowed_outbound_hosts names it (or *.spin.internal).
    up_c_app
    expect_eq "$(curl -s "http://127.0.0.1:$port/c/chain?to=backend&path=/any/hello")" "200 Hello, Fermyon!" "allowed"
    expect_eq "$(curl -s "http://127.0.0.1:$port/c/chain?to=closed&path=/x/hello")" "outbound request refused" \
      "a host not in allowed_outbound_hosts"
    out=$(curl -s -i "http://127.0.0.1:$port/closed/chain?to=backend&path=/hello")
    expect_has "$out" "HTTP/1.1 502" "*://*:* does not allow chaining"
    expect_eq "$(curl -s "http://127.0.0.1:$port/wild/chain?to=closed&path=/hello")" "200 Hello, Fermyon!" \
      "http://*.spin.internal allows every component"
    expect_has "$(curl -s "http://127.0.0.1:$port/c/chain?to=nosuch&path=/")" "outbound request refused" "unknown id"
    ;;
  up_trap_mid_stream)
    # A trap after the response started: the chunked body is cut (no last chunk), the trap is
    # logged, and the server goes on serving.
    up_c_app
    curl -s -o "$work/partial" "http://127.0.0.1:$port/c/trap"
    rc=$?
    expect_eq "$rc" "18" "curl's exit status (partial transfer)"
    expect_eq "$(cat "$work/partial")" "partial" "what was sent before the trap"
    expect_has "$(cat "$work/log")" "the response was cut short" "logged"
    expect_eq "$(curl -s "http://127.0.0.1:$port/c/hello")" "Hello, Fermyon!" "served after the trap"
    ;;
  serve_stream)
    # `bantam serve` streams too.
    port=$(free_port)
    "$bantam" serve "$cguest" --listen "127.0.0.1:$port" >"$work/log" 2>&1 &
    pid=$!
    wait_up "$port"
    out=$(raw "$port" "chunk 0" $'GET /stream?n=4&ms=400 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    read -r first total <<<"$(head -1 <<<"$out")"
    expect_has "$out" "chunk 3" "last chunk"
    python3 -c "import sys; sys.exit(0 if $first >= 0 and $total - $first > 0.8 else 1)" ||
      fail "the first chunk came at ${first}s, the end at ${total}s: not streamed"
    out=$(raw "$port" "with" $'GET /trailers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | tr -d '\r')
    expect_has "$out" $'0\nx-checksum: abc123' "trailers"
    ;;
  *) fail "unknown case $case" ;;
esac
echo "PASS: $case"
