// Calling wasm through the public API: typed and dynamic calls, traps as values with
// backtraces, and the store's limits (fuel, epoch deadline, call depth).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "bantam/bantam.h"

namespace {

using namespace bantam;

constexpr const char* kMath = R"((module
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "swap") (param i64 f64) (result f64 i64) (local.get 1) (local.get 0))
  (func (export "nothing"))
  (func $inner (unreachable))
  (func $outer (export "crash") (call $inner))
  (func (export "spin") (loop $l (br $l)))
  (func $rec (export "recurse") (call $rec)))
)";

struct Env {
  explicit Env(StoreLimits limits = {}) : store(engine, limits), linker(engine) {
    auto m = Module::fromText(engine, kMath, "math");
    EXPECT_TRUE(m.has_value()) << m.error().toString();
    auto i = linker.instantiate(store, *m);
    EXPECT_TRUE(i.has_value()) << i.error().toString();
    instance = *i;
  }
  Engine engine;
  Store store;
  Linker linker;
  std::optional<Instance> instance;
};

TEST(ApiCall, TypedCallReturnsTheResult) {
  Env env;
  auto r = env.instance->call<int32_t>("fib", 20);
  ASSERT_TRUE(r.has_value()) << r.error().toString();
  EXPECT_EQ(*r, 6765);
}

TEST(ApiCall, VoidCall) {
  Env env;
  EXPECT_TRUE(env.instance->call("nothing").has_value());
}

TEST(ApiCall, MultipleResultsAsATuple) {
  Env env;
  auto r = env.instance->call<std::tuple<double, int64_t>>("swap", int64_t{-3}, 2.5);
  ASSERT_TRUE(r.has_value()) << r.error().toString();
  EXPECT_EQ(std::get<0>(*r), 2.5);
  EXPECT_EQ(std::get<1>(*r), -3);
}

TEST(ApiCall, WrongArgumentTypesAreAnInvalidCall) {
  Env env;
  auto r = env.instance->call<int32_t>("fib", int64_t{20});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, TrapCode::InvalidCall);
  EXPECT_NE(r.error().message.find("(func (param i32) (result i32))"), std::string::npos) << r.error().message;
}

TEST(ApiCall, WrongResultTypeIsAnInvalidCall) {
  Env env;
  auto r = env.instance->call<int64_t>("fib", 20);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, TrapCode::InvalidCall);
}

TEST(ApiCall, MissingExportIsAnInvalidCall) {
  Env env;
  auto r = env.instance->call<int32_t>("fibonacci", 20);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, TrapCode::InvalidCall);
  EXPECT_EQ(r.error().message, "no exported function named \"fibonacci\"");
}

TEST(ApiCall, TypedFuncChecksTheSignatureOnce) {
  Env env;
  auto fib = env.instance->typedFunc<int32_t(int32_t)>("fib");
  ASSERT_TRUE(fib.has_value()) << fib.error().toString();
  EXPECT_EQ(*fib->call(10), 55);
  auto wrong = env.instance->typedFunc<int32_t(float)>("fib");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().kind, ErrorKind::Usage);
}

TEST(ApiCall, DynamicCallWithVals) {
  Env env;
  auto f = env.instance->func("div");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->type().toString(), "(func (param i32 i32) (result i32))");
  auto r = f->call({Val::i32(7), Val::i32(2)});
  ASSERT_TRUE(r.has_value()) << r.error().toString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].type(), ValType::I32);
  EXPECT_EQ((*r)[0].i32(), 3);
  auto bad = f->call({Val::i32(7)});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, TrapCode::InvalidCall);
}

TEST(ApiCall, TrapIsAValueWithTheSpecMessage) {
  Env env;
  auto r = env.instance->call<int32_t>("div", 1, 0);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, TrapCode::IntegerDivideByZero);
  EXPECT_EQ(r.error().message, "integer divide by zero");
}

TEST(ApiCall, TrapCarriesABacktraceInnermostFirst) {
  Env env;
  auto r = env.instance->call("crash");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, TrapCode::Unreachable);
  ASSERT_GE(r.error().frames.size(), 2u);
  EXPECT_EQ(r.error().frames[0].funcIndex, 4u);  // $inner
  EXPECT_EQ(r.error().frames[1].funcIndex, 5u);  // $outer
  EXPECT_NE(r.error().toString().find("unreachable\n  0: "), std::string::npos) << r.error().toString();
}

TEST(ApiCall, InstanceStaysUsableAfterATrap) {
  Env env;
  EXPECT_FALSE(env.instance->call("crash").has_value());
  EXPECT_EQ(*env.instance->call<int32_t>("fib", 10), 55);
}

TEST(ApiCall, FuelStopsAnInfiniteLoop) {
  Env env;
  env.store.setFuel(10'000);
  auto r = env.instance->call("spin");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, TrapCode::OutOfFuel);
  EXPECT_EQ(env.store.fuel(), 0u);
}

TEST(ApiCall, FuelIsConsumedByWork) {
  Env env;
  env.store.setFuel(1'000'000);
  ASSERT_TRUE(env.instance->call<int32_t>("fib", 10).has_value());
  EXPECT_LT(*env.store.fuel(), 1'000'000u);
  env.store.disableFuel();
  EXPECT_FALSE(env.store.fuel().has_value());
}

TEST(ApiCall, EpochDeadlineInterruptsAnInfiniteLoop) {
  Env env;
  env.store.setEpochDeadline(1);
  std::atomic<bool> done{false};
  Engine engine = env.engine;  // a copy shares the same engine
  std::thread ticker([&] {
    while (!done.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      engine.incrementEpoch();
    }
  });
  auto r = env.instance->call("spin");
  done = true;
  ticker.join();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, TrapCode::Interrupted);
}

TEST(ApiCall, DeepRecursionExhaustsTheCallStack) {
  StoreLimits limits;
  limits.maxCallDepth = 500;
  Env env(limits);
  auto r = env.instance->call("recurse");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, TrapCode::CallStackExhausted);
  EXPECT_EQ(r.error().message, "call stack exhausted");
}

}  // namespace
