// Traps out of native code: an access beyond a memory lands on its guard region and becomes
// "out of bounds memory access" (the host keeps running), runaway recursion becomes "call stack
// exhausted", an epoch deadline stops an infinite loop, and call_indirect names the element.
#include <gtest/gtest.h>

#ifdef BANTAM_HAVE_COMPILED
#include <atomic>
#include <chrono>
#include <thread>

#include "compiled_env.h"

namespace bantam::compiled {
namespace {

using runtime::TrapKind;
using runtime::Value;
using testing::Instance;

struct Compiled : ::testing::Test {
  testing::TempDir cache;
  std::unique_ptr<runtime::Engine> engine = testing::compiledEngine(cache.path, false);
};

constexpr const char* kMemory = R"((module (memory 1)
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load_far") (param i32) (result i32) (i32.load offset=0xfffffff0 (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))))";

TEST_F(Compiled, LoadBeyondTheMemoryHitsTheGuardRegionAndTraps) {
  Instance m(*engine, kMemory);
  auto r = m.call("load", {Value::i32(65536)});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::OutOfBoundsMemoryAccess);
  EXPECT_EQ(r.error().message, "out of bounds memory access");
}

TEST_F(Compiled, AccessStraddlingTheEndTrapsAndTheLastWordDoesNot) {
  Instance m(*engine, kMemory);
  EXPECT_TRUE(m.call("store", {Value::i32(65532), Value::i32(5)}).has_value());
  auto r = m.call("store", {Value::i32(65533), Value::i32(5)});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::OutOfBoundsMemoryAccess);
}

TEST_F(Compiled, LargestAddressPlusOffsetStaysInsideTheReservation) {
  Instance m(*engine, kMemory);
  auto r = m.call("load_far", {Value::i32(0xffffffffu)});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::OutOfBoundsMemoryAccess);
}

TEST_F(Compiled, GrownPagesBecomeAccessibleAndTheInstanceSurvivesATrap) {
  Instance m(*engine, kMemory);
  ASSERT_FALSE(m.call("load", {Value::i32(70000)}).has_value());
  auto g = m.call("grow", {Value::i32(1)});
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ((*g)[0].raw.i32, 1u);
  auto r = m.call("load", {Value::i32(70000)});
  ASSERT_TRUE(r.has_value()) << r.error().toString();
  EXPECT_EQ((*r)[0].raw.i32, 0u);
}

constexpr const char* kRecursion = R"((module
  (func $down (export "down") (param i64) (result i64)
    (i64.add (call $down (i64.add (local.get 0) (i64.const 1))) (local.get 0)))
  (func (export "ok") (result i32) (i32.const 1))))";

TEST_F(Compiled, RunawayRecursionIsCallStackExhausted) {
  Instance m(*engine, kRecursion);
  auto r = m.call("down", {Value::i64(0)});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::CallStackExhausted);
  EXPECT_EQ(r.error().message, "call stack exhausted");
  // The host's stack is intact: the same thread calls again, twice.
  EXPECT_TRUE(m.call("ok").has_value());
  EXPECT_FALSE(m.call("down", {Value::i64(0)}).has_value());
}

TEST_F(Compiled, EpochDeadlineStopsAnInfiniteLoop) {
  Instance m(*engine, R"((module (func (export "spin") (loop $l (br $l)))))");
  m.store.setEpochDeadline(1);
  std::atomic<bool> done{false};
  std::thread ticker([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    engine->incrementEpoch();
    while (!done.load()) {  // in case the first tick came before the call started
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      engine->incrementEpoch();
    }
  });
  auto r = m.call("spin");
  done = true;
  ticker.join();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::Interrupted);
}

// Interrupts `name` of `text` with epoch ticks from another thread; returns the trap kind.
TrapKind interruptedKind(runtime::Engine& engine, std::string_view text, std::string_view name) {
  Instance m(engine, text);
  m.store.setEpochDeadline(1);
  std::atomic<bool> done{false};
  std::thread ticker([&] {
    while (!done.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      engine.incrementEpoch();
    }
  });
  auto r = m.call(name);
  done = true;
  ticker.join();
  return r ? TrapKind::Unreachable : r.error().kind;
}

TEST_F(Compiled, LoopThatCallsEveryIterationIsInterruptedByTheCallee) {
  // The loop header's own check is dropped here: the callee's entry check must stop it.
  EXPECT_EQ(interruptedKind(*engine, R"((module (func $f) (func (export "spin") (loop $l (call $f) (br $l)))))",
                            "spin"),
            TrapKind::Interrupted);
}

TEST_F(Compiled, LoopThatMayBranchBackBeforeItsCallKeepsItsCheck) {
  EXPECT_EQ(interruptedKind(*engine, R"((module (func $f)
      (func (export "spin") (loop $l (br_if $l (i32.const 1)) (call $f) (br $l)))))", "spin"),
            TrapKind::Interrupted);
}

TEST_F(Compiled, InfiniteLoopAroundAShortCountedLoopIsInterrupted) {
  // The inner loop runs at most 100 times: its own check is dropped (src/llvm/compile.cpp,
  // BoundedLoopChecks), the outer loop's stays.
  EXPECT_EQ(interruptedKind(*engine, R"((module (memory 1)
      (func (export "spin") (local i32)
        (loop $outer
          (local.set 0 (i32.const 0))
          (loop $inner
            (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (local.get 0)))
            (br_if $inner (i32.lt_u (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (i32.const 100))))
          (br $outer)))))", "spin"),
            TrapKind::Interrupted);
}

TEST_F(Compiled, CountedLoopTooLongToRunUncheckedKeepsItsCheck) {
  // Up to 2^32 iterations: a known trip count, but far more work than a check may lag behind.
  EXPECT_EQ(interruptedKind(*engine, R"((module
      (func (export "spin") (local i32)
        (loop $l (br_if $l (i32.ne (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (i32.const -1)))))))", "spin"),
            TrapKind::Interrupted);
}

TEST_F(Compiled, CallIndirectTrapsNameTheElement) {
  Instance m(*engine, R"((module (type $t (func (result i32))) (table 3 funcref)
    (func (export "call") (param i32) (result i32) (call_indirect (type $t) (local.get 0)))))");
  auto r = m.call("call", {Value::i32(2)});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "uninitialized element 2");
  r = m.call("call", {Value::i32(7)});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "undefined element 7");
}

TEST_F(Compiled, TrapBacktraceIsInnermostFirstAndNamesANeverReturningFunction) {
  Instance m(*engine, R"((module (func $inner (unreachable)) (func $outer (export "crash") (call $inner))))");
  auto r = m.call("crash");
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().frames.size(), 2u) << r.error().toString();
  EXPECT_EQ(r.error().frames[0].funcIndex, 0u);
  EXPECT_EQ(r.error().frames[1].funcIndex, 1u);
}

// Generated code keeps no frame pointer: backtraces unwind with its DWARF tables, from the
// trap builtin and from the signal handler (through the signal frame to the faulting load).
TEST_F(Compiled, FaultBacktraceUnwindsThroughTheSignalFrame) {
  // Calls through the table, which LLVM cannot inline: each function keeps its frame.
  Instance m(*engine, R"((module (memory 1) (type $t (func (param i32) (result i32)))
    (table 2 funcref) (elem (i32.const 0) $load $mid)
    (func $load (param i32) (result i32) (i32.load (local.get 0)))
    (func $mid (param i32) (result i32) (i32.add (call_indirect (type $t) (local.get 0) (i32.const 0)) (i32.const 1)))
    (func (export "outer") (param i32) (result i32)
      (i32.mul (call_indirect (type $t) (local.get 0) (i32.const 1)) (i32.const 3)))))");
  for (int round = 0; round < 2; ++round) {
    auto r = m.call("outer", {Value::i32(0x7fff0000)});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, TrapKind::OutOfBoundsMemoryAccess);
    ASSERT_EQ(r.error().frames.size(), 3u) << r.error().toString();
    EXPECT_EQ(r.error().frames[0].funcIndex, 0u);
    EXPECT_EQ(r.error().frames[1].funcIndex, 1u);
    EXPECT_EQ(r.error().frames[2].funcIndex, 2u);
  }
}

TEST_F(Compiled, CallStackExhaustedKeepsTheInnermostHundredFrames) {
  Instance m(*engine, kRecursion);
  auto r = m.call("down", {Value::i64(0)});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::CallStackExhausted);
  ASSERT_EQ(r.error().frames.size(), 100u) << r.error().toString();
  for (const auto& f : r.error().frames) EXPECT_EQ(f.funcIndex, 0u);
}

TEST_F(Compiled, UnwindTablesComeAndGoWithTheirCode) {
  // Each module's code registers its tables when loaded and removes them when freed; traps in
  // the modules loaded later still unwind.
  for (int i = 0; i < 20; ++i) {
    std::string text = "(module (type $t (func (param i32) (result i32))) (table 1 funcref) (elem (i32.const 0) $f)"
                       " (func $f (param i32) (result i32) (i32.div_u (i32.const " + std::to_string(i) + ") (local.get 0)))"
                       " (func (export \"g\") (param i32) (result i32)"
                       "   (i32.add (call_indirect (type $t) (local.get 0) (i32.const 0)) (i32.const 1))))";
    Instance m(*engine, text);
    auto r = m.call("g", {Value::i32(0)});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, TrapKind::IntegerDivideByZero);
    ASSERT_EQ(r.error().frames.size(), 2u) << r.error().toString();
    EXPECT_EQ(r.error().frames[0].funcIndex, 0u);
  }
}

TEST_F(Compiled, MinAndMaxOfASignallingNanAreQuiet) {
  Instance m(*engine, R"((module
    (func (export "min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
    (func (export "max") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))))");
  auto a = m.call("min", {Value::f32Bits(0x7fa00000), Value::f32(1)});
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ((*a)[0].raw.f32 & 0x7fc00000u, 0x7fc00000u);
  auto b = m.call("max", {Value::f64(1), Value::f64Bits(0x7ff4000000000000ull)});
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ((*b)[0].raw.f64 & 0x7ff8000000000000ull, 0x7ff8000000000000ull);
}

}  // namespace
}  // namespace bantam::compiled

#else
TEST(Compiled, CompiledEngineNotBuilt) { GTEST_SKIP() << "built with -DBANTAM_LLVM=OFF"; }
#endif
