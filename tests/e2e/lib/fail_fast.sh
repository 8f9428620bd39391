# Shared by the fail-fast end-to-end scripts (wasi_http, compose): the first failed check ends
# the case. A temporary folder $work, a server's $pid stopped on exit, free ports on 127.0.0.1.
# Usage: source "$(dirname "$0")/../lib/fail_fast.sh"
set -uo pipefail
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
work=$(mktemp -d)
pid=
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# wait_up PORT [PATH]: waits (up to 120 s: the interpreter prepares a 12 MB JavaScript engine)
# until the server started as $pid answers PATH (default /); its output is in $work/log.
wait_up() {
  for _ in $(seq 600); do
    curl -s -o /dev/null "http://127.0.0.1:$1${2:-/}" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; fail "the server exited"; }
    sleep 0.2
  done
  cat "$work/log" >&2
  fail "the server did not start"
}
expect_eq() { [[ "$1" == "$2" ]] || fail "$3: expected [$2], got [$1]"; }
expect_has() { grep -qF -- "$2" <<<"$1" || fail "$3: [$2] not in [$1]"; }
