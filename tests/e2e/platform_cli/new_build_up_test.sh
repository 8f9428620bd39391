#!/usr/bin/env bash
# `bantam new http-c` creates a project that `bantam build` compiles and `bantam up` serves:
# real processes, a real port, curl.
# Usage: new_build_up_test.sh BANTAM SOURCE_DIR
source "$(dirname "$0")/lib.sh"
require_wasi_clang

expect "new without arguments lists the templates" 0 'http-c +HTTP request handler in C' -- "$bantam" new
expect "an unknown template is refused" 1 'no template named `nope`' -- "$bantam" new nope x

project="$tmp/my-app"
expect "new creates the project" 0 'Created my-app from the http-c template' -- \
  "$bantam" new http-c my-app -o "$project" --description "An end-to-end test" --http-path "/hello/..."
for f in spin.toml src/main.c README.md .gitignore; do
  if [ -f "$project/$f" ]; then pass "new wrote $f"; else failed "new wrote $f"; fi
done
expect "the manifest has the name and route filled in" 0 'route = "/hello/\.\.\."' -- cat "$project/spin.toml"
expect "placeholders are replaced" 0 'source = "target/my_app\.wasm"' -- cat "$project/spin.toml"
expect "new refuses an existing folder" 1 'already exists' -- "$bantam" new http-c my-app -o "$project"

expect "up before build says the component is missing" 1 'target/my_app\.wasm, does not exist' -- \
  "$bantam" up -f "$project"
expect "build compiles the component" 0 'Finished building all components' -- "$bantam" build -f "$project"
if [ -s "$project/target/my_app.wasm" ]; then pass "build wrote target/my_app.wasm"; else failed "build wrote target/my_app.wasm"; fi

# From inside the project, as a user would run it: `bantam up` finds ./spin.toml.
cd "$project"
if start_server; then
  pass "up in the project folder serves it"
  http "GET answers from the component (up in its folder)" 200 'Hello from my-app!' "$base/hello"
  stop_server
else
  failed "up in the project folder serves it" "$(cat "$server_log")"
fi
cd "$tmp"

if start_server -f "$project"; then
  pass "up -f serves the project"
  http "GET answers from the component" 200 'Hello from my-app!' "$base/hello"
  http "the route and path info reach the component" 200 'path info: +/world' "$base/hello/world?x=1"
  http "the query string reaches the component" 200 'query: +x=1' "$base/hello/world?x=1"
  http "POST bodies reach the component" 200 'body \(5 bytes\):' -d 'hello' "$base/hello"
  http "the component's own status codes" 405 'method PUT is not allowed' -X PUT "$base/hello"
  http "routes outside the app are 404" 404 '' "$base/elsewhere"
  http "health is answered by the runtime" 200 'OK' "$base/.well-known/spin/health"
  stop_server
else
  failed "up -f serves the project" "$(cat "$server_log")"
fi

# --build in one go, after a source change.
sed -i 's/Hello from/Greetings from/' "$project/src/main.c"
if start_server --build -f "$project"; then
  pass "up --build builds then serves"
  http "the rebuilt component answers" 200 'Greetings from my-app!' "$base/hello"
  stop_server
else
  failed "up --build builds then serves" "$(cat "$server_log")"
fi
finish
