// The single check at every compiled function entry (the stack pointer against the store's
// entry limit, runtime/vmctx.h): it still catches runaway recursion, charges fuel, and, raised
// by the engine's epoch tick, interrupts a guest whose only checks are its entries; the epoch
// callback may move the deadline (and yield a fiber) and the guest goes on.
#include <gtest/gtest.h>

#ifdef BANTAM_HAVE_COMPILED
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <thread>

#include "compiled_env.h"
#include "platform/executor/fiber.h"

namespace bantam::compiled {
namespace {

using runtime::TrapKind;
using runtime::Value;
using testing::Instance;

struct CompiledEntry : ::testing::Test {
  testing::TempDir cache;
  std::unique_ptr<runtime::Engine> engine = testing::compiledEngine(cache.path, false);
};

// A loop whose every iteration calls $f: the loop's own check is dropped, so only $f's entry
// check (or its copy, where LLVM inlines $f) can stop it.
constexpr const char* kCallOnlyLoop = R"((module (func $f) (func (export "spin") (loop $l (call $f) (br $l)))))";

constexpr const char* kRecursion = R"((module
  (func $down (export "down") (param i64) (result i64)
    (i64.add (call $down (i64.add (local.get 0) (i64.const 1))) (local.get 0)))
  (func $count (export "count") (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (i32.add (call $count (i32.sub (local.get 0) (i32.const 1))) (local.get 0)))
      (else (i32.const 0))))
  (func (export "one") (result i32) (i32.const 1))))";

TEST_F(CompiledEntry, OneTickPastTheDeadlineInterruptsACallOnlyLoop) {
  // As `bantam run --timeout`: a single tick. The tick itself must raise the entry limit.
  Instance m(*engine, kCallOnlyLoop);
  m.store.setEpochDeadline(1);
  std::atomic<bool> done{false};
  bool neededMoreTicks = false;
  std::thread ticker([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    engine->incrementEpoch();
    for (int i = 0; i < 500 && !done.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    while (!done.load()) {  // never hang the suite: report it instead
      neededMoreTicks = true;
      engine->incrementEpoch();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  auto r = m.call("spin");
  done = true;
  ticker.join();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::Interrupted);
  EXPECT_FALSE(neededMoreTicks);
}

TEST_F(CompiledEntry, DeadlineAlreadyReachedTrapsAtTheFirstEntry) {
  Instance m(*engine, kRecursion);
  m.store.setEpochDeadline(0);
  auto r = m.call("one");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::Interrupted);
  // Moving the deadline lets the next call run.
  m.store.setEpochDeadline(100);
  auto ok = m.call("one");
  ASSERT_TRUE(ok.has_value()) << ok.error().toString();
  EXPECT_EQ((*ok)[0].raw.i32, 1u);
}

TEST_F(CompiledEntry, FuelIsChargedAtEntriesOfLoopFreeCode) {
  Instance m(*engine, kRecursion);
  m.store.setFuel(1'000'000);
  auto r = m.call("count", {Value::i32(1000)});
  ASSERT_TRUE(r.has_value()) << r.error().toString();
  EXPECT_EQ((*r)[0].raw.i32, 500500u);
  EXPECT_LT(m.store.fuel(), 1'000'000u - 1000u);  // at least one unit per call
}

TEST_F(CompiledEntry, LoopFreeRecursionRunsOutOfFuel) {
  Instance m(*engine, kRecursion);
  m.store.setFuel(50);
  auto r = m.call("count", {Value::i32(1000)});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::OutOfFuel);
  EXPECT_EQ(r.error().message, "all fuel consumed");
  EXPECT_EQ(m.store.fuel(), 0u);
}

TEST_F(CompiledEntry, FuelOffAgainRestoresTheFastPath) {
  Instance m(*engine, kRecursion);
  m.store.setFuel(10);
  m.store.setFuel(std::nullopt);
  auto r = m.call("count", {Value::i32(1000)});
  ASSERT_TRUE(r.has_value()) << r.error().toString();
  EXPECT_EQ((*r)[0].raw.i32, 500500u);
}

TEST_F(CompiledEntry, RunawayRecursionWithFuelOnIsStillCallStackExhausted) {
  // Every entry takes the slow path then; it checks the stack before charging the fuel.
  Instance m(*engine, kRecursion);
  m.store.setFuel(UINT64_MAX / 2);
  auto r = m.call("down", {Value::i64(0)});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::CallStackExhausted);
  EXPECT_EQ(r.error().message, "call stack exhausted");
  ASSERT_EQ(r.error().frames.size(), 100u) << r.error().toString();
  EXPECT_EQ(r.error().frames[0].funcIndex, 0u);
}

TEST_F(CompiledEntry, RunawayRecursionPastTheDeadlineIsInterruptedFirst) {
  Instance m(*engine, kRecursion);
  m.store.setEpochDeadline(0);
  auto r = m.call("down", {Value::i64(0)});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::Interrupted);
  // And with no deadline the same call runs out of stack, with its frames.
  m.store.setEpochDeadline(UINT64_MAX);
  r = m.call("down", {Value::i64(0)});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::CallStackExhausted);
  EXPECT_EQ(r.error().frames.size(), 100u);
}

uint64_t threeSlices(runtime::Store&, void* data) {
  int& calls = *static_cast<int*>(data);
  return ++calls < 3 ? 1 : 0;  // go on for one more tick twice, then trap
}

TEST_F(CompiledEntry, EpochCallbackMovesTheDeadlineAndACallOnlyLoopGoesOn) {
  Instance m(*engine, kCallOnlyLoop);
  int calls = 0;
  m.store.setEpochDeadline(1);
  m.store.setEpochCallback(&threeSlices, &calls);
  std::atomic<bool> done{false};
  std::thread ticker([&] {
    while (!done.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      engine->incrementEpoch();
    }
  });
  auto r = m.call("spin");
  done = true;
  ticker.join();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::Interrupted);
  EXPECT_EQ(calls, 3);
}

// Fibers: the executor's time slices (platform/executor/fiber.h) on the compiled engine. The
// fiber's stack limit is set by RequestTimeSlice, not by the outermost invocation.
std::deque<std::pair<void (*)(void*), void*>> gQueue;
bool post(void (*fn)(void*), void* arg) {
  gQueue.emplace_back(fn, arg);
  return true;
}
bool after(std::chrono::nanoseconds, void (*fn)(void*), void* arg) { return post(fn, arg); }
void drain() {
  while (!gQueue.empty()) {
    auto [fn, arg] = gQueue.front();
    gQueue.pop_front();
    fn(arg);
  }
}

struct CompiledEntryOnFibers : CompiledEntry {
  CompiledEntryOnFibers() { platform::setLoopHooks(platform::LoopHooks{&post, &after}); }
  ~CompiledEntryOnFibers() override { gQueue.clear(); }
};

TEST_F(CompiledEntryOnFibers, TwoCallOnlyGuestsYieldToEachOtherUntilTheirTimeout) {
  Instance a(*engine, kCallOnlyLoop);
  Instance b(*engine, kCallOnlyLoop);
  int yieldsA = 0, yieldsB = 0;
  std::optional<runtime::TrapOr<std::vector<Value>>> ra, rb;
  std::atomic<bool> done{false};
  std::thread ticker([&] {
    while (!done.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      engine->incrementEpoch();
    }
  });
  auto job = [](Instance* m, int* yields, std::optional<runtime::TrapOr<std::vector<Value>>>* out) {
    return [m, yields, out] {
      platform::RequestTimeSlice slice(m->store, true, 12, std::chrono::milliseconds(2), [yields] { ++*yields; });
      *out = m->call("spin");
    };
  };
  std::move_only_function<void()> ja = job(&a, &yieldsA, &ra), jb = job(&b, &yieldsB, &rb);
  ASSERT_TRUE(platform::startFiber(ja));
  ASSERT_TRUE(platform::startFiber(jb));
  drain();
  done = true;
  ticker.join();
  ASSERT_TRUE(ra && rb);
  ASSERT_FALSE(ra->has_value());
  ASSERT_FALSE(rb->has_value());
  EXPECT_EQ(ra->error().kind, TrapKind::Interrupted);
  EXPECT_EQ(rb->error().kind, TrapKind::Interrupted);
  EXPECT_GE(yieldsA, 2);  // 12 ticks in slices of 2
  EXPECT_GE(yieldsB, 2);
}

TEST_F(CompiledEntryOnFibers, RunawayRecursionOnAFiberIsCallStackExhausted) {
  Instance m(*engine, kRecursion);
  std::optional<runtime::TrapOr<std::vector<Value>>> r;
  std::move_only_function<void()> j = [&] {
    platform::RequestTimeSlice slice(m.store, true, UINT64_MAX, std::chrono::milliseconds(2));
    r = m.call("down", {Value::i64(0)});
  };
  ASSERT_TRUE(platform::startFiber(j));
  drain();
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->has_value());
  EXPECT_EQ(r->error().kind, TrapKind::CallStackExhausted);
}

}  // namespace
}  // namespace bantam::compiled

#else
TEST(CompiledEntry, CompiledEngineNotBuilt) { GTEST_SKIP() << "built with -DBANTAM_LLVM=OFF"; }
#endif
