#!/usr/bin/env bash
# Spin's routing through real HTTP: exact routes before wildcards, the longest wildcard, named
# segments, private routes, trailing slashes, the application base, and the CGI variables the
# WAGI executor derives from the match. Every component is the same small C program that prints
# its name (from its manifest environment) and what the router told it.
# Usage: routing_test.sh BANTAM SOURCE_DIR
source "$(dirname "$0")/lib.sh"
require_wasi_clang

app="$tmp/routes"
mkdir -p "$app"
cat >"$app/which.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
static const char* env(const char* n) { const char* v = getenv(n); return v ? v : ""; }
int main(void) {
  printf("Content-Type: text/plain\n\n");
  printf("component=%s\nmatched=%s\nscript=%s\npath_info=%s\nid=%s\nraw=%s\ncomponent_route=%s\nbase=%s\n",
         env("WHICH"), env("X_MATCHED_ROUTE"), env("SCRIPT_NAME"), env("PATH_INFO"), env("X_PATH_MATCH_ID"),
         env("X_RAW_COMPONENT_ROUTE"), env("X_COMPONENT_ROUTE"), env("X_BASE_PATH"));
  return 0;
}
C

# component NAME: a [component.NAME] running which.wasm with WHICH=NAME.
component() { printf '\n[component.%s]\nsource = "which.wasm"\nenvironment = { WHICH = "%s" }\n' "$1" "$1"; }
trigger() { printf '\n[[trigger.http]]\nroute = %s\ncomponent = "%s"\nexecutor = { type = "wagi" }\n' "$1" "$2"; }

{
  printf 'spin_manifest_version = 2\n[application]\nname = "routes"\n'
  trigger '"/..."' catchall
  trigger '"/a"' exact-a
  trigger '"/a/..."' wild-a
  trigger '"/a/b/..."' wild-ab
  trigger '"/users/:id"' user
  trigger '"/users/me"' me
  trigger '"/users/:id/..."' user-rest
  trigger '{ private = true }' internal
  for c in catchall exact-a wild-a wild-ab user me user-rest internal; do component "$c"; done
  printf '[component.catchall.build]\ncommand = "clang-19 --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--strip-debug -o which.wasm which.c"\n'
} >"$app/spin.toml"

if ! start_server --build -f "$app" --quiet; then
  failed "the routing app starts" "$(cat "$server_log")"
  finish
fi
pass "the routing app starts"

http "the root goes to the catch-all" 200 'component=catchall' "$base/"
http "exact /a beats /a/... and /..." 200 'component=exact-a' "$base/a"
http "a trailing slash still matches the exact route" 200 'component=exact-a' "$base/a/"
http "/a/x goes to the /a/... wildcard" 200 'component=wild-a' "$base/a/x"
http "the wildcard's path info" 200 'path_info=/x/y$' "$base/a/x/y"
http "the longest wildcard wins" 200 'component=wild-ab' "$base/a/b/c/d"
http "its path info is after the longest prefix" 200 'path_info=/c/d$' "$base/a/b/c/d"
http "a wildcard matches its bare prefix" 200 'component=wild-ab' "$base/a/b"
http "a named segment is captured" 200 'id=42' "$base/users/42"
http "the named segment's component" 200 'component=user$' "$base/users/42"
http "a literal beats a named segment" 200 'component=me' "$base/users/me"
http "segment then wildcard" 200 'component=user-rest' "$base/users/42/posts/7"
http "segment then wildcard: the id" 200 'id=42' "$base/users/42/posts/7"
http "segment then wildcard: path info" 200 'path_info=/posts/7' "$base/users/42/posts/7"
http "/users alone falls to the catch-all" 200 'component=catchall' "$base/users"
http "a private component is not routable" 200 'component=catchall' "$base/internal"
http "SCRIPT_NAME is the route without /..." 200 'script=/a/b$' "$base/a/b/c"
http "X_MATCHED_ROUTE is the route as written" 200 'matched=/users/:id/\.\.\.$' "$base/users/1/x"
http "X_COMPONENT_ROUTE drops the wildcard" 200 'component_route=/users/:id$' "$base/users/1/x"
http "reserved info is answered by the runtime" 200 'routes|name' "$base/.well-known/spin/info"
http "other reserved paths are 404" 404 '' "$base/.well-known/spin/nothing"
stop_server

# The application base prefixes every route.
{
  printf 'spin_manifest_version = 2\n[application]\nname = "based"\n[application.trigger.http]\nbase = "/v1"\n'
  trigger '"/hello"' hello
  trigger '"/files/..."' files
  component hello
  component files
} >"$app/spin.toml"
if start_server -f "$app" --quiet; then
  pass "an app with a base starts"
  http "routes are under the base" 200 'component=hello' "$base/v1/hello"
  http "X_MATCHED_ROUTE includes the base" 200 'matched=/v1/hello$' "$base/v1/hello"
  http "without the base nothing matches" 404 '' "$base/hello"
  http "a wildcard under the base" 200 'path_info=/x/y$' "$base/v1/files/x/y"
  http "SCRIPT_NAME includes the base" 200 'script=/v1/files$' "$base/v1/files/x/y"
  http "X_RAW_COMPONENT_ROUTE is without the base" 200 'raw=/files/\.\.\.$' "$base/v1/files/x/y"
  http "X_BASE_PATH is the base" 200 'base=/v1$' "$base/v1/files/x"
  http "health is not under the base" 200 'OK' "$base/.well-known/spin/health"
  stop_server
else
  failed "an app with a base starts" "$(cat "$server_log")"
fi
finish
