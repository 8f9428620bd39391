#!/usr/bin/env bash
# The bundled example (examples/app) as scripts/example.sh runs it: `bantam up --build` on a
# copy, then every route through real HTTP: the JSON API with its parameter, the echo, the page
# and stylesheet read from the component's files, and the precedence between them.
# Usage: example_app_test.sh BANTAM SOURCE_DIR
source "$(dirname "$0")/lib.sh"
require_wasi_clang

app="$tmp/app"
mkdir -p "$app"
(cd "$src/examples/app" && tar --exclude=./target --exclude=./.spin -cf - .) | tar -xf - -C "$app"

if ! start_server --build -f "$app"; then
  failed "up --build serves the example" "$(cat "$server_log")"
  finish
fi
pass "up --build serves the example"

# items: the exact route, the :id parameter, methods, errors.
http "GET /api/items lists the items" 200 '"name": "Teapot"' "$base/api/items"
http "the list is JSON" 200 '^\[' "$base/api/items"
http "?q= keeps the matching items" 200 '"name": "Tea cosy"' "$base/api/items?q=tea"
if curl -sS "$base/api/items?q=tea" | grep -q Kettle; then
  failed "?q= drops the others"
else
  pass "?q= drops the others"
fi
http "GET /api/items/2 uses the :id parameter" 200 '^\{"id": 2, "name": "Teapot"' "$base/api/items/2"
http "a missing item is a JSON 404" 404 '"error": "no such item"' "$base/api/items/9"
http "POST checks and returns the item, unstored" 201 '"stored": false' \
  -H 'Content-Type: application/json' -d '{"name": "Mug", "price": 7.5}' "$base/api/items"
http "POST with a bad body is a 400" 400 '"error"' -d 'not json' "$base/api/items"
http "DELETE answers honestly" 200 '"deleted": false' -X DELETE "$base/api/items/1"
http "other methods are 405" 405 'use GET or POST' -X PUT "$base/api/items"
ctype=$(curl -sS -o /dev/null -w '%{content_type}' "$base/api/items/1")
if [ "$ctype" = "application/json" ]; then pass "items answer application/json"; else failed "items answer application/json (got $ctype)"; fi

# echo: the trailing wildcard, path info, query, headers, body, the component's environment.
http "echo gets the path after its route" 200 'path info: +/a/b' "$base/echo/a/b?x=1&y=2"
http "echo sees its matched route" 200 'matched route: +/echo/\.\.\.' "$base/echo/a/b"
http "echo sees the query string" 200 'query string: +x=1&y=2' "$base/echo/a/b?x=1&y=2"
http "echo sees request headers" 200 'HTTP_X_DEMO=yes' -H 'X-Demo: yes' "$base/echo/"
http "echo sees the body" 200 'body \(11 bytes\):' -d 'hello there' "$base/echo/post"
http "echo sees its manifest environment" 200 'Echo from a Bantam component' "$base/echo"
http "echo on its bare prefix has empty path info" 200 'path info: *$' "$base/echo"

# site: files through WASI, content types, the catch-all's 404.
http "/ serves index.html from the component's files" 200 '<title>Bantam example app</title>' "$base/"
http "the stylesheet is served too" 200 'font: 16px/1.5' "$base/style.css"
ctype=$(curl -sS -o /dev/null -w '%{content_type}' "$base/style.css")
if [[ "$ctype" == text/css* ]]; then pass "the stylesheet is text/css"; else failed "the stylesheet is text/css (got $ctype)"; fi
http "an unknown page is the site's 404" 404 'Nothing is served at <code>/nope</code>' "$base/nope"

# precedence: exact and parameter routes beat /..., the longer wildcard /echo/... beats /...
http "/api/items goes to items, not the catch-all" 200 '"name": "Kettle"' "$base/api/items"
http "/api/items/ (trailing slash) is still the exact route" 200 '"name": "Kettle"' "$base/api/items/"
http "/api/items/2/extra matches neither items route" 404 'Nothing is served' "$base/api/items/2/extra"
http "/api is not /api/items" 404 'Nothing is served' "$base/api"
http "/echoes is not under /echo/..." 404 'Nothing is served' "$base/echoes"
http "the runtime answers health before routing" 200 '^OK' "$base/.well-known/spin/health"
finish
