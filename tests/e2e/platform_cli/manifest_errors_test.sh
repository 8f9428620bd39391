#!/usr/bin/env bash
# `bantam up` and `bantam build` on broken apps: the manifest's errors name the file, the line
# and the field; a missing component file is reported before anything listens; a failing build
# command stops the build with its exit status.
# Usage: manifest_errors_test.sh BANTAM SOURCE_DIR
source "$(dirname "$0")/lib.sh"

app="$tmp/app"
mkdir -p "$app"
head='spin_manifest_version = 2

[application]
name = "broken"
'
write() { printf '%s' "$head$1" >"$app/spin.toml"; }

write '
[[trigger.http]]
route = "/hello"
component = "hello"

[component.hello]
sorce = "hello.wasm"
'
expect "unknown field names file, line and table" 1 \
  'spin\.toml:11: error: unknown field `sorce` in \[component\.hello\]' -- "$bantam" up -f "$app"
expect "unknown field suggests the right one" 1 'did you mean `source`\?' -- "$bantam" up -f "$app"
expect "build reads the manifest the same way" 1 'spin\.toml:11: error: unknown field `sorce`' -- "$bantam" build -f "$app"

write '
[[trigger.http]]
route = "/hello"
component = "hello"

[component.hello]
source = "hello.wasm"
environment = { DEBUG = true }
'
expect "wrong type names field and types" 1 \
  'spin\.toml:12: error: `environment\.DEBUG` in \[component\.hello\] must be a string, not a boolean' -- "$bantam" up -f "$app"

write '
[[trigger.http]
route = "/hello"
'
expect "malformed TOML has line and column" 1 'spin\.toml:6:[0-9]+: syntax error' -- "$bantam" up -f "$app"

printf 'spin_manifest_version = "1"\nname = "old"\ntrigger = { type = "http", base = "/" }\n[[component]]\nid = "a"\nsource = "a.wasm"\n' >"$app/spin.toml"
expect "version 1 is refused with a pointer to migrating" 1 \
  'spin\.toml:1: unsupported: manifest version 1 is not supported; see https://spinframework\.dev/.* for migrating' -- \
  "$bantam" up -f "$app"

write '
[[trigger.http]]
route = "/hello"
component = "hello"

[component.hello]
source = { url = "https://example.com/hello.wasm", digest = "sha256:0123" }
'
expect "url sources are refused clearly" 1 \
  'spin\.toml:11: unsupported: downloading component sources is not supported yet; build the component locally and give its path' -- \
  "$bantam" up -f "$app"

write '
[[trigger.http]]
route = "/hello"
component = "helo"

[component.hello]
source = "hello.wasm"
'
expect "undefined component is named" 1 \
  'spin\.toml:8: error: \[\[trigger\.http\]\] refers to component `helo`, which is not defined' -- "$bantam" up -f "$app"

write '
[[trigger.http]]
route = "/hello"
component = "a"

[[trigger.http]]
route = "/hello"
component = "b"

[component.a]
source = "a.wasm"
[component.b]
source = "b.wasm"
'
expect "duplicate routes stop start-up" 1 'spin\.toml:10: error: duplicate route `/hello`' -- "$bantam" up -f "$app"

# A missing .wasm: reported with the manifest line, before the server binds its port.
write '
[[trigger.http]]
route = "/hello"
component = "hello"

[component.hello]
source = "target/hello.wasm"
build = { command = "true" }
'
port=$(free_port)
expect "missing component file is named with its line" 1 \
  'spin\.toml:11: error: the source of component `hello`, target/hello\.wasm, does not exist' -- \
  "$bantam" up -f "$app" --listen "127.0.0.1:$port"
expect "and the hint says how to build it" 1 'bantam build' -- "$bantam" up -f "$app" --listen "127.0.0.1:$port"
if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" 2>/dev/null; then
  failed "nothing listens after a start-up error"
else
  pass "nothing listens after a start-up error"
fi

expect "no manifest in the folder" 1 "no spin.toml in $tmp" -- "$bantam" up -f "$tmp"
expect "bad --listen" 1 '--listen wants HOST:PORT' -- "$bantam" up -f "$app" --listen nowhere
expect "bad --env" 1 '--env wants KEY=VALUE' -- "$bantam" up -f "$app" --env JUSTAKEY
expect_fail "--engine takes interp or compiled" 'jit not in \{interp,compiled\}' -- "$bantam" up -f "$app" --engine jit
expect "up --help lists its options" 0 '--listen HOST:PORT.*' -- "$bantam" up --help
expect "unknown --follow component" 1 'the app has no component `nope`' -- "$bantam" up -f "$app" --follow nope

# `bantam build`: progress, the command's own output, and its exit status on failure.
write '
[[trigger.http]]
route = "/hello"
component = "hello"

[component.hello]
source = "hello.wasm"
[component.hello.build]
command = ["echo step-one-output", "echo to-stderr >&2; exit 3"]
'
expect "build shows each step" 1 'Running build step 1/2 for component hello with `echo step-one-output`' -- \
  "$bantam" build -f "$app"
expect "build streams the command output" 1 'step-one-output' -- "$bantam" build -f "$app"
expect "failing build command gives its status" 1 \
  'error: build command for component hello failed with exit status 3' -- "$bantam" build -f "$app"
expect "up --build stops at a failed build" 1 'failed with exit status 3' -- "$bantam" up --build -f "$app"
expect "build -c with an unknown id" 1 'the app has no component `nope`' -- "$bantam" build -f "$app" -c nope

write '
[[trigger.http]]
route = "/hello"
component = "hello"

[component.hello]
source = "hello.wasm"
build = { command = "pwd", workdir = "sub" }
'
mkdir -p "$app/sub"
expect "build runs in the workdir" 0 "$app/sub" -- "$bantam" build -f "$app"
rmdir "$app/sub"
expect "missing workdir is an error" 1 'the build workdir of component hello, .*sub, is not a folder' -- \
  "$bantam" build -f "$app"

finish
