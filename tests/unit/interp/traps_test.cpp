// Traps raised by the interpreter: the spec's messages, backtraces with function indices and
// wasm byte offsets, call stack exhaustion without native recursion, and indirect calls.
#include <cmath>

#include "interp_harness.h"
#include "wasm/decoder/decoder.h"

namespace bantam::interp::test {

using runtime::TrapKind;

TEST(InterpTraps, IntegerDivisionByZeroAndOverflow) {
  Harness h;
  h.load(R"((module
      (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
      (func (export "rem") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))))");
  EXPECT_EQ(h.trap("div", {i32(1), i32(0)}).message, "integer divide by zero");
  EXPECT_EQ(h.trap("div", {i32(INT32_MIN), i32(-1)}).message, "integer overflow");
  EXPECT_EQ(h.value("rem", {i64(INT64_MIN), i64(-1)}), 0u);
  EXPECT_EQ(h.value("div", {i32(-7), i32(2)}), static_cast<uint32_t>(-3));
}

TEST(InterpTraps, InvalidConversionToInteger) {
  Harness h;
  h.load(R"((module (func (export "t") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))))");
  EXPECT_EQ(h.trap("t", {f64(std::nan(""))}).kind, TrapKind::InvalidConversionToInteger);
  EXPECT_EQ(h.trap("t", {f64(3e9)}).kind, TrapKind::IntegerOverflow);
  EXPECT_EQ(h.value("t", {f64(-2.9)}), static_cast<uint32_t>(-2));
}

TEST(InterpTraps, UnreachableCarriesBacktraceWithOffsets) {
  Harness h;
  std::string wat = R"((module
      (func $inner (export "inner") nop unreachable)
      (func $outer (export "outer") (call $inner))))";
  auto bytes = wasm::text::parseWat(wat);
  ASSERT_TRUE(bytes.has_value());
  auto m = wasm::decodeModule(*bytes);
  ASSERT_TRUE(m.has_value());
  h.load(wat);
  runtime::Trap t = h.trap("outer");
  EXPECT_EQ(t.kind, TrapKind::Unreachable);
  EXPECT_EQ(t.message, "unreachable");
  ASSERT_EQ(t.frames.size(), 2u);
  EXPECT_EQ(t.frames[0].funcIndex, 0u);
  EXPECT_EQ(t.frames[1].funcIndex, 1u);
  // `nop` is at the body's first byte, `unreachable` right after it; the call starts outer's body.
  EXPECT_EQ(t.frames[0].offset, m->functions[0].body.offset + 1);
  EXPECT_EQ(t.frames[1].offset, m->functions[1].body.offset);
  EXPECT_NE(t.frames[0].function.find("inner"), std::string::npos);
}

TEST(InterpTraps, OutOfBoundsLoadAndStore) {
  Harness h;
  h.load(R"((module (memory 1)
      (func (export "load") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
      (func (export "store") (param i32) (i64.store (local.get 0) (i64.const 1)))
      (func (export "const") (result i32) (i32.load (i32.const 65534)))))");
  EXPECT_EQ(h.value("load", {i32(65532 - 4)}), 0u);  // the last 4 bytes: in bounds
  EXPECT_EQ(h.trap("load", {i32(65533 - 4)}).message, "out of bounds memory access");
  EXPECT_EQ(h.trap("load", {i32(-1)}).message, "out of bounds memory access");  // no wrap-around
  EXPECT_EQ(h.trap("store", {i32(65529)}).message, "out of bounds memory access");
  EXPECT_EQ(h.trap("const").message, "out of bounds memory access");
}

TEST(InterpTraps, UnboundedRecursionExhaustsTheCallStack) {
  runtime::StoreLimits limits;
  limits.maxCallDepth = 1000;
  Harness h(limits);
  h.load(R"((module
      (func $f (export "f") (param i32) (result i32) (i32.add (call $f (local.get 0)) (i32.const 1)))
      (func $count (export "count") (param i32) (result i32)
        (if (result i32) (local.get 0)
          (then (i32.add (call $count (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))
          (else (i32.const 0))))))");
  runtime::Trap t = h.trap("f", {i32(0)});
  EXPECT_EQ(t.kind, TrapKind::CallStackExhausted);
  EXPECT_EQ(t.message, "call stack exhausted");
  EXPECT_FALSE(t.frames.empty());
  // The limit is exact: 1000 frames fit, 1001 do not; the store stays usable.
  EXPECT_EQ(h.value("count", {i32(999)}), 999u);
  EXPECT_EQ(h.trap("count", {i32(1000)}).kind, TrapKind::CallStackExhausted);
}

TEST(InterpTraps, ValueStackLimitIsACallStackExhaustion) {
  runtime::StoreLimits limits;
  limits.maxStackBytes = 64 * 1024;
  Harness h(limits);
  h.load(R"((module (func $f (export "f") (param i32) (result i32)
      (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
      (call $f (local.get 0)))))");
  EXPECT_EQ(h.trap("f", {i32(0)}).kind, TrapKind::CallStackExhausted);
}

TEST(InterpTraps, CallIndirectChecksBoundsNullAndSignature) {
  Harness h;
  h.load(R"((module
      (type $ii (func (param i32) (result i32)))
      (type $v (func))
      (table 3 funcref)
      (elem (i32.const 0) $double $nothing)
      (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
      (func $nothing (type $v))
      (func (export "call") (param i32 i32) (result i32)
        (call_indirect (type $ii) (local.get 1) (local.get 0)))))");
  EXPECT_EQ(h.value("call", {i32(0), i32(21)}), 42u);
  EXPECT_EQ(h.trap("call", {i32(1), i32(0)}).message, "indirect call type mismatch");
  EXPECT_EQ(h.trap("call", {i32(2), i32(0)}).kind, TrapKind::UninitializedElement);
  EXPECT_EQ(h.trap("call", {i32(3), i32(0)}).kind, TrapKind::UndefinedElement);
}

}  // namespace bantam::interp::test
