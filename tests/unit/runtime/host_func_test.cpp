// Typed host functions: the wasm signature comes from the C++ one, values travel through
// RawVal cells, and traps are values.
#include <gtest/gtest.h>

#include <cmath>

#include "fake_engine.h"
#include "runtime/host_func.h"

namespace bantam::runtime {
namespace {

using test::FakeRuntime;
using wasm::ValType;

TEST(HostFunc, SignatureIsDerivedFromTheCallable) {
  auto h = wrapHostFunc([](Caller&, int32_t, int64_t, float, double) -> double { return 0; });
  EXPECT_EQ(h.type, (wasm::FuncType{{ValType::I32, ValType::I64, ValType::F32, ValType::F64}, {ValType::F64}}));
}

TEST(HostFunc, CallerParameterIsOptional) {
  auto h = wrapHostFunc([](uint32_t, uint64_t) {});
  EXPECT_EQ(h.type, (wasm::FuncType{{ValType::I32, ValType::I64}, {}}));
}

TEST(HostFunc, TupleResultsAreMultipleValues) {
  auto h = wrapHostFunc([](int32_t a) { return std::tuple<int32_t, int64_t>{a + 1, -a}; });
  EXPECT_EQ(h.type, (wasm::FuncType{{ValType::I32}, {ValType::I32, ValType::I64}}));
  FakeRuntime rt;
  Caller c(rt.store, nullptr);
  std::array<RawVal, 2> io;
  io[0].i32 = 41;
  ASSERT_TRUE(h.callback(c, io).has_value());
  EXPECT_EQ(io[0].i32, 42u);
  EXPECT_EQ(static_cast<int64_t>(io[1].i64), -41);
}

TEST(HostFunc, ReferenceAndVectorTypes) {
  auto h = wrapHostFunc([](FuncInst*, ExternRef, V128) -> ExternRef { return {}; });
  EXPECT_EQ(h.type, (wasm::FuncType{{ValType::FuncRef, ValType::ExternRef, ValType::V128}, {ValType::ExternRef}}));
}

TEST(HostFunc, ArgumentsArriveWithTheirBits) {
  FakeRuntime rt;
  int32_t gotI = 0;
  int64_t gotL = 0;
  float gotF = 0;
  double gotD = 0;
  FuncInst* f = createTypedHostFunc(rt.store, "f", [&](Caller&, int32_t i, int64_t l, float x, double d) {
    gotI = i, gotL = l, gotF = x, gotD = d;
  });
  std::array<Value, 4> args{Value::i32(-5), Value::i64(INT64_MIN), Value::f32(1.25f), Value::f64(-0.5)};
  ASSERT_TRUE(rt.store.call(*f, args).has_value());
  EXPECT_EQ(gotI, -5);
  EXPECT_EQ(gotL, INT64_MIN);
  EXPECT_EQ(gotF, 1.25f);
  EXPECT_EQ(gotD, -0.5);
}

TEST(HostFunc, NanPayloadsSurvive) {
  FakeRuntime rt;
  FuncInst* f = createTypedHostFunc(rt.store, "id", [](float x) { return x; });
  Value arg = Value::f32Bits(0x7fa00001);
  auto r = rt.store.call(*f, std::span<const Value>(&arg, 1));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ((*r)[0].raw.f32, 0x7fa00001u);
}

TEST(HostFunc, TrapOrResultTrapsWithTheGivenTrap) {
  FakeRuntime rt;
  FuncInst* f = createTypedHostFunc(rt.store, "div", [](int32_t a, int32_t b) -> TrapOr<int32_t> {
    if (b == 0) return std::unexpected(Trap(TrapKind::IntegerDivideByZero));
    return a / b;
  });
  std::array<Value, 2> ok{Value::i32(7), Value::i32(2)};
  EXPECT_EQ((*rt.store.call(*f, ok))[0].asI32(), 3);
  std::array<Value, 2> bad{Value::i32(7), Value::i32(0)};
  auto r = rt.store.call(*f, bad);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::IntegerDivideByZero);
}

TEST(HostFunc, TrapOrVoid) {
  FakeRuntime rt;
  FuncInst* f = createTypedHostFunc(rt.store, "exit", [](int32_t code) -> TrapOr<void> {
    Trap t(TrapKind::Exit);
    t.exitCode = code;
    return std::unexpected(t);
  });
  Value arg = Value::i32(3);
  auto r = rt.store.call(*f, std::span<const Value>(&arg, 1));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().exitCode, 3);
  EXPECT_EQ(f->type->results.size(), 0u);
}

TEST(HostFunc, ThrownExceptionBecomesHostErrorWithItsMessage) {
  FakeRuntime rt;
  FuncInst* f = createTypedHostFunc(rt.store, "f", [](int32_t) -> int32_t { throw std::out_of_range("bad index"); });
  Value arg = Value::i32(1);
  auto r = rt.store.call(*f, std::span<const Value>(&arg, 1));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::HostError);
  EXPECT_EQ(r.error().message, "bad index");
}

TEST(HostFunc, FunctionPointersWork) {
  struct Fns {
    static int64_t twice(int64_t x) { return 2 * x; }
  };
  FakeRuntime rt;
  FuncInst* f = createTypedHostFunc(rt.store, "twice", &Fns::twice);
  Value arg = Value::i64(21);
  EXPECT_EQ((*rt.store.call(*f, std::span<const Value>(&arg, 1)))[0].asI64(), 42);
}

TEST(HostFunc, CallerSeesTheCallingInstance) {
  FakeRuntime rt;
  ModuleInst* inst = rt.store.createInstance();
  ModuleInst* seen = nullptr;
  auto h = wrapHostFunc([&](Caller& c) { seen = c.instance(); });
  Caller c(rt.store, inst);
  ASSERT_TRUE(h.callback(c, std::span<RawVal>()).has_value());
  EXPECT_EQ(seen, inst);
}

}  // namespace
}  // namespace bantam::runtime
