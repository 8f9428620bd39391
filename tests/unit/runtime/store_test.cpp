// The store: allocation, call dispatch (host functions vs the execution engine), typed calls,
// interruption settings, and the type registry.
#include <gtest/gtest.h>

#include <stdexcept>

#include "fake_engine.h"
#include "runtime/host_func.h"

namespace bantam::runtime {
namespace {

using test::FakeRuntime;
using wasm::ValType;

TEST(TypeRegistry, EqualSignaturesShareAnId) {
  TypeRegistry r;
  wasm::FuncType a{{ValType::I32, ValType::I64}, {ValType::F32}};
  wasm::FuncType b = a;
  wasm::FuncType c{{ValType::I32}, {ValType::I64, ValType::F32}};
  EXPECT_EQ(r.intern(a), r.intern(b));
  EXPECT_NE(r.intern(a), r.intern(c));
  EXPECT_EQ(r.lookup(r.intern(c)), c);
}

TEST(TypeRegistry, ParamsAndResultsAreDistinguished) {
  TypeRegistry r;
  EXPECT_NE(r.intern({{ValType::I32}, {}}), r.intern({{}, {ValType::I32}}));
}

TEST(Store, HostFunctionCalledFromTheHostGetsNoCallerInstance) {
  FakeRuntime rt;
  ModuleInst* seen = reinterpret_cast<ModuleInst*>(1);
  FuncInst* f = rt.store.createHostFunc({{ValType::I32}, {ValType::I32}},
                                        [&](Caller& c, std::span<RawVal> io) -> TrapOr<void> {
                                          seen = c.instance();
                                          EXPECT_EQ(c.memory(), nullptr);
                                          io[0].i32 *= 2;
                                          return {};
                                        });
  std::array<RawVal, 1> io;
  io[0].i32 = 21;
  ASSERT_TRUE(rt.store.call(*f, io).has_value());
  EXPECT_EQ(io[0].i32, 42u);
  EXPECT_EQ(seen, nullptr);
  EXPECT_TRUE(rt.fake->invoked.empty());
}

TEST(Store, WasmFunctionsGoToTheExecutionEngine) {
  FakeRuntime rt;
  ModuleInst* inst = rt.store.createInstance();
  FuncInst* f = rt.store.createFunc();
  f->instance = inst;
  f->funcIndex = 5;
  wasm::FuncType type{{}, {ValType::I64}};
  f->type = &type;
  rt.fake->behaviour = [](Store&, FuncInst&, std::span<RawVal> io) -> TrapOr<void> {
    io[0].i64 = 99;
    return {};
  };
  auto r = rt.store.call(*f, std::span<const Value>());
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].type, ValType::I64);
  EXPECT_EQ((*r)[0].asI64(), 99);
  EXPECT_EQ(rt.fake->invoked, std::vector<uint32_t>{5});
}

TEST(Store, TypedCallRejectsWrongArgumentCount) {
  FakeRuntime rt;
  FuncInst* f = createTypedHostFunc(rt.store, "f", [](int32_t) {});
  auto r = rt.store.call(*f, std::span<const Value>());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::HostError);
  EXPECT_NE(r.error().message.find("argument type mismatch"), std::string::npos);
}

TEST(Store, TypedCallRejectsWrongArgumentType) {
  FakeRuntime rt;
  FuncInst* f = createTypedHostFunc(rt.store, "f", [](int32_t) {});
  Value arg = Value::i64(1);
  auto r = rt.store.call(*f, std::span<const Value>(&arg, 1));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "argument type mismatch: function (func (param i32)) called with (i64)");
}

TEST(Store, TrapsFromTheEnginePropagate) {
  FakeRuntime rt;
  ModuleInst* inst = rt.store.createInstance();
  FuncInst* f = rt.store.createFunc();
  f->instance = inst;
  wasm::FuncType type;
  f->type = &type;
  rt.fake->behaviour = [](Store&, FuncInst&, std::span<RawVal>) -> TrapOr<void> {
    return std::unexpected(Trap(TrapKind::IntegerDivideByZero));
  };
  auto r = rt.store.call(*f, std::span<const Value>());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "integer divide by zero");
}

TEST(Store, HostExceptionBecomesAHostErrorTrap) {
  FakeRuntime rt;
  FuncInst* f = rt.store.createHostFunc({}, [](Caller&, std::span<RawVal>) -> TrapOr<void> {
    throw std::runtime_error("disk on fire");
  });
  auto r = rt.store.call(*f, std::span<RawVal>());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::HostError);
  EXPECT_EQ(r.error().message, "disk on fire");
}

TEST(Store, NonStandardExceptionBecomesAHostErrorTrap) {
  FakeRuntime rt;
  FuncInst* f = createTypedHostFunc(rt.store, "f", [] { throw 42; });
  auto r = rt.store.call(*f, std::span<RawVal>());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::HostError);
  EXPECT_EQ(r.error().message, "host function failed");
}

TEST(Store, HostFunctionsGetCanonicalSignatureIds) {
  FakeRuntime rt;
  FuncInst* a = createTypedHostFunc(rt.store, "a", [](int32_t) -> int64_t { return 0; });
  FuncInst* b = createTypedHostFunc(rt.store, "b", [](int32_t x) -> int64_t { return x; });
  EXPECT_EQ(a->sigId, b->sigId);
  EXPECT_EQ(a->sigId, rt.engine.types().intern({{ValType::I32}, {ValType::I64}}));
  EXPECT_TRUE(a->isHost());
  EXPECT_EQ(a->hostName, "a");
}

TEST(Store, EpochDeadlineIsRelativeToTheCurrentEpoch) {
  FakeRuntime rt;
  EXPECT_EQ(rt.store.epochDeadline(), UINT64_MAX);
  rt.engine.incrementEpoch();
  rt.engine.incrementEpoch();
  rt.store.setEpochDeadline(5);
  EXPECT_EQ(rt.store.epochDeadline(), 7u);
  rt.store.setEpochDeadline(UINT64_MAX);  // saturates rather than wrapping to the past
  EXPECT_EQ(rt.store.epochDeadline(), UINT64_MAX);
}

TEST(Store, FuelIsOptional) {
  FakeRuntime rt;
  EXPECT_FALSE(rt.store.fuelEnabled());
  rt.store.setFuel(100);
  EXPECT_TRUE(rt.store.fuelEnabled());
  EXPECT_EQ(rt.store.fuel(), 100u);
  rt.store.setFuel(std::nullopt);
  EXPECT_FALSE(rt.store.fuelEnabled());
}

TEST(Store, TablesAboveTheStoreLimitAreRejected) {
  StoreLimits limits;
  limits.maxTableElements = 10;
  FakeRuntime rt(limits);
  EXPECT_TRUE(rt.store.createTable({ValType::FuncRef, {10, std::nullopt}}).has_value());
  auto t = rt.store.createTable({ValType::FuncRef, {11, std::nullopt}});
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().kind, ErrorKind::Limit);
}

TEST(Store, MemoriesGetTheStoreLimit) {
  StoreLimits limits;
  limits.maxMemoryBytes = 3 * wasm::kPageSize;
  FakeRuntime rt(limits);
  MemoryInst* m = *rt.store.createMemory({{1, std::nullopt}});
  EXPECT_EQ(m->grow(2), 1);
  EXPECT_EQ(m->grow(1), -1);
}

TEST(Caller, MemoryIsTheCallingInstancesExport) {
  FakeRuntime rt;
  ModuleInst* inst = rt.store.createInstance();
  MemoryInst* m = *rt.store.createMemory({{1, std::nullopt}});
  inst->exports.emplace("memory", Extern::of(m));
  Caller c(rt.store, inst);
  EXPECT_EQ(c.memory(), m);
  EXPECT_EQ(c.memory("other"), nullptr);
}

}  // namespace
}  // namespace bantam::runtime
