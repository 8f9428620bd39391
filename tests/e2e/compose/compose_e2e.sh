#!/usr/bin/env bash
# End-to-end tests of Spin component dependencies with real processes and curl, linked by
# `bantam up` from the manifest's [component.<id>.dependencies]:
#   - a JavaScript wasi:http component (componentize-js, js/compose_http.js) whose import
#     bantam:compose/text@0.1.0 is served by a C component (c/compose_lib.c);
#   - a C wasi:http component (c/compose_http.c) whose same import is served by a JavaScript
#     library (js/text_lib.js).
#   compose_e2e.sh BANTAM JS_GUEST_DIR C_GUEST_DIR CASE
# CASE: up_js_imports_c | up_component_form | up_c_imports_js | up_dependency_capabilities |
#       up_missing_export | up_unused_dependency | up_wagi_rejects_dependencies
# Without the guests (node/npm/clang-19 missing) or curl, a case skips (77).
source "$(dirname "$0")/../lib/fail_fast.sh"
bantam=$(realpath "$1") js=$(realpath "$2") c=$(realpath "$3") case=$4
[[ -f $js/compose_http.wasm && -f $js/hello_http.wasm ]] || skip "the JavaScript component guests were not built (node/npm missing?)"
[[ -f $js/text_lib.wasm ]] || skip "the JavaScript component guests were not built (node/npm missing?)"
[[ -f $c/compose_lib.wasm && -f $c/compose_http_c.wasm ]] || skip "the C component guests were not built (npm/node/clang-19 missing?)"
command -v curl >/dev/null || skip "curl is not installed"

cp "$js/compose_http.wasm" "$js/hello_http.wasm" "$js/text_lib.wasm" "$c/compose_lib.wasm" "$c/compose_http_c.wasm" "$work/"
head='spin_manifest_version = 2

[application]
name = "composed"

[[trigger.http]]
route = "/compose/..."
component = "js"

[component.js]
source = "compose_http.wasm"'

# Serves the manifest and checks the composed answers: the C library upper-cases ASCII only
# ("é" stays), and each request gets fresh instances (the library's call count is 1).
serve_and_check() {
  local port
  port=$(free_port)
  (cd "$work" && exec "$bantam" up --listen "127.0.0.1:$port") >"$work/log" 2>&1 &
  pid=$!
  wait_up "$port" /.well-known/spin/health
  out=$(curl -s -i "http://127.0.0.1:$port/compose/x?text=h%C3%A9llo%20world")
  expect_has "$out" "HTTP/1.1 200 OK" "status"
  expect_has "$out" "x-bantam-composed: js+c" "header set by the JavaScript component"
  expect_has "$out" "HéLLO WORLD (calls: 1)" "the C library's answer through JavaScript"
  expect_eq "$(curl -s "http://127.0.0.1:$port/compose/?text=again")" "AGAIN (calls: 1)" "a second request, fresh instances"
}

case $case in
  up_js_imports_c)
    printf '%s\n\n[component.js.dependencies]\n"bantam:compose/text@0.1.0" = { path = "compose_lib.wasm" }\n' "$head" >"$work/spin.toml"
    serve_and_check
    ;;
  up_component_form)
    # The package form (every interface of bantam:compose) served by another component of the app.
    printf '%s\ndependencies = { "bantam:compose@0.1.0" = { component = "text-lib" } }\n\n[component.text-lib]\nsource = "compose_lib.wasm"\n' \
      "$head" >"$work/spin.toml"
    serve_and_check
    ;;
  up_c_imports_js)
    # The other direction: C calls JavaScript. String#toUpperCase maps "é" too (the C library
    # would not): the JavaScript library answered.
    cat >"$work/spin.toml" <<'TOML'
spin_manifest_version = 2

[application]
name = "composed-c"

[[trigger.http]]
route = "/c/..."
component = "c"

[component.c]
source = "compose_http_c.wasm"
dependencies = { "bantam:compose/text@0.1.0" = { path = "text_lib.wasm" } }
TOML
    port=$(free_port)
    (cd "$work" && exec "$bantam" up --listen "127.0.0.1:$port") >"$work/log" 2>&1 &
    pid=$!
    wait_up "$port" /.well-known/spin/health
    out=$(curl -s -i "http://127.0.0.1:$port/c/x?text=h%C3%A9llo%20world")
    expect_has "$out" "HTTP/1.1 200 OK" "status"
    expect_has "$out" "x-bantam-composed: c+js" "header set by the C component"
    expect_has "$out" "HÉLLO WORLD (calls: 1)" "the JavaScript library's answer through C"
    expect_eq "$(curl -s "http://127.0.0.1:$port/c/")" "HELLO FROM C (calls: 1)" "a second request, fresh instances"
    ;;
  up_dependency_capabilities)
    # A dependency sees none of the component's environment unless it inherits the
    # configuration (dependencies_inherit_configuration, or inherit_configuration on the entry).
    cat >"$work/spin.toml" <<'TOML'
spin_manifest_version = 2

[application]
name = "capabilities"

[[trigger.http]]
route = "/plain/..."
component = "plain"

[[trigger.http]]
route = "/inherit/..."
component = "inherit"

[[trigger.http]]
route = "/entry/..."
component = "entry"

[component.plain]
source = "compose_http_c.wasm"
environment = { SECRET = "s3cret" }
dependencies = { "bantam:compose/text@0.1.0" = { path = "text_lib.wasm" } }

[component.inherit]
source = "compose_http_c.wasm"
environment = { SECRET = "s3cret" }
dependencies_inherit_configuration = true
dependencies = { "bantam:compose/text@0.1.0" = { path = "text_lib.wasm" } }

[component.entry]
source = "compose_http_c.wasm"
environment = { SECRET = "s3cret" }
dependencies = { "bantam:compose/text@0.1.0" = { path = "text_lib.wasm", inherit_configuration = true } }
TOML
    port=$(free_port)
    (cd "$work" && exec "$bantam" up --listen "127.0.0.1:$port") >"$work/log" 2>&1 &
    pid=$!
    wait_up "$port" /.well-known/spin/health
    expect_eq "$(curl -s "http://127.0.0.1:$port/plain/echo?text=%24SECRET")" "(unset)" "not inherited"
    expect_eq "$(curl -s "http://127.0.0.1:$port/inherit/echo?text=%24SECRET")" "s3cret" "dependencies_inherit_configuration"
    expect_eq "$(curl -s "http://127.0.0.1:$port/entry/echo?text=%24SECRET")" "s3cret" "inherit_configuration"
    ;;
  up_missing_export)
    # A dependency that does not export the interface: `bantam up` stops before listening.
    printf '%s\n\n[component.js.dependencies]\n"bantam:compose/text@0.1.0" = { path = "hello_http.wasm" }\n' "$head" >"$work/spin.toml"
    out=$(cd "$work" && timeout 120 "$bantam" up --listen 127.0.0.1:0 2>&1)
    rc=$?
    [[ $rc -ne 0 && $rc -ne 124 ]] || fail "exit status $rc"
    expect_has "$out" "dependency \`bantam:compose/text@0.1.0\`" "names the dependency"
    expect_has "$out" "does not export \`bantam:compose/text@0.1.0\`" "says what is missing"
    ;;
  up_unused_dependency)
    # A dependency naming an import the component does not have is a named error.
    printf '%s\n\n[component.js.dependencies]\n"bantam:compose/text@0.1.0" = { path = "compose_lib.wasm" }\n"bantam:other/api@1.0.0" = { path = "compose_lib.wasm" }\n' \
      "$head" >"$work/spin.toml"
    out=$(cd "$work" && timeout 120 "$bantam" up --listen 127.0.0.1:0 2>&1)
    rc=$?
    [[ $rc -ne 0 && $rc -ne 124 ]] || fail "exit status $rc"
    expect_has "$out" "does not import \`bantam:other/api@1.0.0\`" "message"
    ;;
  up_wagi_rejects_dependencies)
    # A WAGI trigger runs a core module, which has no component imports to link.
    printf '\0asm\1\0\0\0' >"$work/core.wasm"
    cat >"$work/spin.toml" <<'TOML'
spin_manifest_version = 2

[application]
name = "wagi-deps"

[[trigger.http]]
route = "/..."
component = "core"
executor = { type = "wagi" }

[component.core]
source = "core.wasm"
dependencies = { "bantam:compose/text@0.1.0" = { path = "compose_lib.wasm" } }
TOML
    out=$(cd "$work" && timeout 120 "$bantam" up --listen 127.0.0.1:0 2>&1)
    rc=$?
    [[ $rc -ne 0 && $rc -ne 124 ]] || fail "exit status $rc"
    expect_has "$out" "\`dependencies\` need a component run by the wasi:http executor" "message"
    ;;
  *) fail "unknown case $case" ;;
esac
echo "PASS: $case"
