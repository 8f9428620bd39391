#!/usr/bin/env bash
# The README's first command. Builds Bantam (installing what is missing), then runs the bundled
# example app (examples/app: a JSON API, a static page and an echo, three C components that
# `bantam up --build` compiles to WebAssembly) and shows it working: it starts the server on a
# free port, sends a request to each route with curl, prints the answers, and stops the server.
#
#   scripts/example.sh                  # build, start, try every route, stop
#   scripts/example.sh --serve [ARGS]   # the same, then keep serving until Ctrl-C
#                                       # (ARGS go to `bantam up`, e.g. --listen 127.0.0.1:8080)
set -euo pipefail
cd "$(dirname "$0")/.."

serve=0
if [ "${1:-}" = "--serve" ]; then
  serve=1
  shift
fi

echo "==> Building Bantam (scripts/build.sh bantam_cli; the first build takes several minutes)"
bash scripts/build.sh bantam_cli >/dev/null
bantam=build/bantam

if [ "$serve" = 1 ]; then
  echo "==> Serving examples/app (Ctrl-C stops it). Try: curl http://127.0.0.1:3000/api/items"
  exec "$bantam" up --build -f examples/app "$@"
fi

log=$(mktemp /tmp/bantam-example.XXXXXX)
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -f "$log"
}
trap cleanup EXIT

echo "==> bantam up --build -f examples/app --listen 127.0.0.1:0"
"$bantam" up --build -f examples/app --listen 127.0.0.1:0 --quiet >"$log" 2>&1 &
server=$!
# Building the three components and preparing them takes a few seconds (more on the first run,
# when the compiled engine translates them; its cache makes later starts quick).
base=""
for _ in $(seq 1 1200); do
  base=$(sed -n 's|^Serving \(http://[^ ]*\)$|\1|p' "$log" | head -n 1)
  if [ -n "$base" ] && grep -q '^Available Routes:' "$log"; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then
    cat "$log"
    echo "example.sh: bantam up stopped before serving (above)" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$base" ]; then
  cat "$log"
  echo "example.sh: bantam up did not start within 2 minutes" >&2
  exit 1
fi
sleep 0.1  # the route list is printed with the "Serving" line; let it land
sed -n '/^Serving/,$p' "$log"

failures=0
try() {  # try DESCRIPTION CURL-ARGS... : prints the request, the status and the body
  local what=$1
  shift
  echo
  echo "==> $what: curl $*"
  local out status
  if ! out=$(curl -sS --max-time 20 -w '\n[HTTP %{http_code}]' "$@" 2>&1); then
    echo "$out"
    failures=$((failures + 1))
    return
  fi
  local lines
  lines=$(printf '%s\n' "$out" | wc -l)
  if [ "$lines" -gt 16 ]; then
    printf '%s\n' "$out" | head -n 14
    echo "  ... ($((lines - 15)) more lines)"
    printf '%s\n' "$out" | tail -n 1
  else
    printf '%s\n' "$out"
  fi
  status=$(printf '%s' "$out" | tail -n 1)
  case "$status" in "[HTTP 2"*) ;; *) failures=$((failures + 1)) ;; esac
}
try "the JSON API" "$base/api/items"
try "one item, by its :id route parameter" "$base/api/items/2"
try "a POST, checked and answered 201" -H 'Content-Type: application/json' -d '{"name": "Mug", "price": 7.5}' \
  "$base/api/items"
try "the echo of a request" -H 'X-Demo: yes' -d 'hello' "$base/echo/any/path?x=1"
try "the page, from the site component's files" "$base/"
try "the runtime's health check" "$base/.well-known/spin/health"

echo
echo "==> Stopping the server (SIGTERM)"
kill -TERM "$server"
wait "$server" && status=0 || status=$?
server=""
if [ "$status" != 0 ]; then
  echo "example.sh: bantam up exited with status $status" >&2
  exit 1
fi
if [ "$failures" != 0 ]; then
  echo "example.sh: $failures request(s) failed" >&2
  exit 1
fi
echo "Done. Serve it yourself with: build/bantam up --build -f examples/app   (or scripts/example.sh --serve)"
