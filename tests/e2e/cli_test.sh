#!/usr/bin/env bash
# End-to-end checks of the `bantam` command: results, exit statuses and error messages.
# Usage: cli_test.sh BANTAM SOURCE_DIR
set -uo pipefail
bantam=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect NAME EXPECTED_STATUS EXPECTED_OUTPUT_REGEX -- COMMAND...
expect() {
  local name=$1 status=$2 pattern=$3
  shift 4
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" -ne "$status" ] || ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL: $name (status $rc, want $status; output must match /$pattern/)"
    echo "$out" | head -20 | sed 's/^/    /'
    failures=$((failures + 1))
  else
    echo "ok: $name"
  fi
}

expect "the example counts primes" 0 '^168$' -- \
  "$bantam" run --invoke count_primes "$src/examples/primes.wat" 1000

printf '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))' >"$tmp/add.wat"
expect "invoke with arguments" 0 '^-1$' -- "$bantam" run --invoke add "$tmp/add.wat" 2 -3
expect "wrong argument count is a usage error" 1 'takes 2 argument' -- "$bantam" run --invoke add "$tmp/add.wat" 1
expect "bad argument text" 1 'not a valid i32' -- "$bantam" run --invoke add "$tmp/add.wat" 1 x
expect "unknown export" 1 'exports no function "nope"' -- "$bantam" run --invoke nope "$tmp/add.wat"

printf '(module (func $boom (export "boom") unreachable) (func (export "outer") call $boom))' >"$tmp/trap.wat"
expect "a trap exits 134 with the message" 134 'unreachable' -- "$bantam" run --invoke outer "$tmp/trap.wat"
expect "a trap has a backtrace with names" 134 'boom' -- "$bantam" run --invoke outer "$tmp/trap.wat"

printf '(module (func (export "f") (result i32) (call 0)))' >"$tmp/deep.wat"
expect "infinite recursion is a clean trap" 134 'call stack exhausted' -- "$bantam" run --invoke f "$tmp/deep.wat"

expect "missing file" 1 'cannot open' -- "$bantam" run --invoke f "$tmp/nope.wasm"
printf '\0asm\1\0\0\0\1\5' >"$tmp/truncated.wasm"
expect "truncated binary names the offset" 1 'at byte 0x[0-9a-f]+: malformed module: (unexpected end|length out of bounds)' -- \
  "$bantam" validate "$tmp/truncated.wasm"
printf '(module (func (result i32) (i64.const 1)))' >"$tmp/invalid.wat"
expect "invalid module says type mismatch" 1 'invalid module: type mismatch' -- "$bantam" validate "$tmp/invalid.wat"
printf '(module (func (i32.bogus)))' >"$tmp/syntax.wat"
expect "syntax error names line and column" 1 'syntax.wat:1:[0-9]+: .*unknown operator' -- "$bantam" validate "$tmp/syntax.wat"
expect "validate accepts a good module" 0 'valid' -- "$bantam" validate "$tmp/add.wat"
expect "inspect lists exports" 0 'func "add"' -- "$bantam" inspect "$tmp/add.wat"

if [ "$failures" -ne 0 ]; then
  echo "$failures CLI check(s) failed"
  exit 1
fi
