#!/usr/bin/env bash
# Builds Bantam, then builds and serves the bundled example app (examples/app: a JSON API, a
# static page and an echo, three C components compiled to WebAssembly by their `build`
# commands) in the foreground until Ctrl-C. Extra arguments go to `bantam up`
# (e.g. --listen 127.0.0.1:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh bantam_cli >/dev/null
listen=127.0.0.1:3000
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--listen" ] && [ $((i + 1)) -le $# ]; then j=$((i + 1)); listen=${!j}; fi
done
echo "Serving examples/app on http://$listen (Ctrl-C stops it). Try:"
echo "  open http://$listen/ in a browser"
echo "  curl http://$listen/api/items"
echo "  curl -d 'hello' http://$listen/echo/anything?x=1"
exec build/bantam up --build -f examples/app "$@"
