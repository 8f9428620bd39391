// Calls between wasm and the host through the interpreter: arguments and results of every
// scalar type, host traps, re-entry (host → wasm → host → wasm) and its bound, and calls into
// other instances.
#include <cmath>

#include "interp_harness.h"

namespace bantam::interp::test {

using runtime::Caller;
using runtime::RawVal;
using runtime::TrapKind;
using runtime::TrapOr;
using wasm::ValType;

namespace {
wasm::FuncType sig(std::vector<ValType> params, std::vector<ValType> results) {
  return wasm::FuncType{std::move(params), std::move(results)};
}
}  // namespace

TEST(InterpHost, PassesEveryScalarTypeBothWays) {
  Harness h;
  auto* f = h.store.createHostFunc(
      sig({ValType::I32, ValType::I64, ValType::F32, ValType::F64}, {ValType::F64, ValType::I64}),
      [](Caller&, std::span<RawVal> v) -> TrapOr<void> {
        double sum = static_cast<int32_t>(v[0].i32) + static_cast<double>(static_cast<int64_t>(v[1].i64)) +
                     std::bit_cast<float>(v[2].f32) + std::bit_cast<double>(v[3].f64);
        v[0].f64 = std::bit_cast<uint64_t>(sum);
        v[1].i64 = 77;
        return {};
      });
  h.linker.define("env", "mix", runtime::Extern::of(f));
  h.load(R"((module
      (import "env" "mix" (func $mix (param i32 i64 f32 f64) (result f64 i64)))
      (func (export "go") (result f64)
        (call $mix (i32.const -1) (i64.const 10) (f32.const 0.5) (f64.const 0.25))
        (f64.convert_i64_s)
        (f64.add))))");
  EXPECT_EQ(std::bit_cast<double>(h.value("go")), 9.75 + 77);
}

TEST(InterpHost, HostTrapPropagatesWithItsMessage) {
  Harness h;
  auto* f = h.store.createHostFunc(sig({}, {}), [](Caller&, std::span<RawVal>) -> TrapOr<void> {
    return std::unexpected(runtime::Trap(TrapKind::HostError, "the host said no"));
  });
  h.linker.define("env", "fail", runtime::Extern::of(f));
  h.load(R"((module (import "env" "fail" (func $fail))
      (func (export "go") (result i32) (call $fail) (i32.const 1))))");
  runtime::Trap t = h.trap("go");
  EXPECT_EQ(t.kind, TrapKind::HostError);
  EXPECT_EQ(t.message, "the host said no");
  ASSERT_FALSE(t.frames.empty());
  EXPECT_EQ(t.frames[0].funcIndex, 1u);  // the wasm function that made the call
}

TEST(InterpHost, HostCanCallBackIntoWasm) {
  Harness h;
  runtime::FuncInst* square = nullptr;
  auto* f = h.store.createHostFunc(sig({ValType::I32}, {ValType::I32}),
                                   [&](Caller& c, std::span<RawVal> v) -> TrapOr<void> {
                                     RawVal cells[1];
                                     cells[0].i32 = v[0].i32 + 1;
                                     BANTAM_TRY(c.store().call(*square, std::span<RawVal>(cells)));
                                     v[0].i32 = cells[0].i32 * 10;
                                     return {};
                                   });
  h.linker.define("env", "callback", runtime::Extern::of(f));
  h.load(R"((module (import "env" "callback" (func $cb (param i32) (result i32)))
      (func (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
      (func (export "go") (param i32) (result i32)
        (local i32)
        (local.set 1 (i32.const 1000))
        (i32.add (local.get 1) (call $cb (local.get 0))))))");
  square = h.instance->exportedFunc("square");
  EXPECT_EQ(h.value("go", {i32(4)}), 1000u + 25 * 10);
}

TEST(InterpHost, ReentryDepthIsBounded) {
  Harness h;
  runtime::FuncInst* go = nullptr;
  auto* f = h.store.createHostFunc(sig({}, {}), [&](Caller& c, std::span<RawVal>) -> TrapOr<void> {
    RawVal none[1];
    return c.store().call(*go, std::span<RawVal>(none, 0));
  });
  h.linker.define("env", "again", runtime::Extern::of(f));
  h.load(R"((module (import "env" "again" (func $again)) (func (export "go") (call $again))))");
  go = h.instance->exportedFunc("go");
  EXPECT_EQ(h.trap("go").kind, TrapKind::CallStackExhausted);
}

TEST(InterpHost, MemoryGrownByTheHostIsSeenAfterTheCall) {
  Harness h;
  auto* f = h.store.createHostFunc(sig({}, {}), [](Caller& c, std::span<RawVal>) -> TrapOr<void> {
    c.memory()->grow(1);
    return {};
  });
  h.linker.define("env", "grow", runtime::Extern::of(f));
  h.load(R"((module (import "env" "grow" (func $grow)) (memory (export "memory") 1)
      (func (export "go") (result i32)
        (call $grow)
        (i32.store (i32.const 70000) (i32.const 5))
        (i32.add (i32.load (i32.const 70000)) (memory.size)))))");
  EXPECT_EQ(h.value("go"), 7u);
}

TEST(InterpHost, CallsIntoAnotherInstanceUseItsState) {
  Harness h;
  h.load(R"((module (memory 1) (global $g (mut i32) (i32.const 100))
      (data (i32.const 8) "\2a")
      (func (export "peek") (param i32) (result i32)
        (global.set $g (i32.add (global.get $g) (i32.const 1)))
        (i32.add (i32.load8_u (local.get 0)) (global.get $g)))))", "lib");
  h.load(R"((module (import "lib" "peek" (func $peek (param i32) (result i32)))
      (memory 1) (data (i32.const 8) "\01")
      (table 1 funcref) (elem (i32.const 0) $peek)
      (type $t (func (param i32) (result i32)))
      (func (export "go") (result i32)
        (i32.add
          (i32.add (call $peek (i32.const 8)) (i32.load8_u (i32.const 8)))
          (call_indirect (type $t) (i32.const 8) (i32.const 0))))))");
  // 42 + 101, plus our own byte 1, plus 42 + 102 through the table.
  EXPECT_EQ(h.value("go"), 143u + 1 + 144);
}

}  // namespace bantam::interp::test
