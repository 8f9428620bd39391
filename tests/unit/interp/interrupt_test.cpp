// Interruption of running code: the epoch deadline (checked at function entries and loop
// back-edges) and fuel.
#include <atomic>
#include <thread>

#include "interp_harness.h"

namespace bantam::interp::test {

using runtime::TrapKind;


TEST(InterpInterrupt, EpochDeadlineStopsAnInfiniteLoop) {
  Harness h;
  h.load(R"((module (func (export "spin") (loop $l (br $l)))))");
  h.store.setEpochDeadline(0);  // already reached: the first back-edge traps
  runtime::Trap t = h.trap("spin");
  EXPECT_EQ(t.kind, TrapKind::Interrupted);
}

TEST(InterpInterrupt, EpochDeadlineStopsAConditionalLoop) {
  Harness h;
  h.load(R"((module (func (export "spin") (param i32)
      (loop $l (br_if $l (i32.ne (local.get 0) (i32.const 7)))))))");
  h.store.setEpochDeadline(1);
  std::atomic<bool> done{false};
  std::thread ticker([&] {
    while (!done.load()) {
      h.engine.incrementEpoch();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  runtime::Trap t = h.trap("spin", {i32(0)});
  done = true;
  ticker.join();
  EXPECT_EQ(t.kind, TrapKind::Interrupted);
}

TEST(InterpInterrupt, EpochDeadlineStopsRecursionWithoutLoops) {
  runtime::StoreLimits limits;
  limits.maxCallDepth = 1u << 24;
  limits.maxStackBytes = 1u << 30;
  Harness h(limits);
  h.load(R"((module (func $f (export "f") (call $f))))");
  h.store.setEpochDeadline(0);
  EXPECT_EQ(h.trap("f").kind, TrapKind::Interrupted);
}

TEST(InterpInterrupt, DeadlineInTheFutureLetsCodeFinish) {
  Harness h;
  h.load(R"((module (func (export "sum") (param i32) (result i32) (local i32)
      (block $b (loop $l
        (br_if $b (i32.eqz (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $l)))
      (local.get 1))))");
  h.store.setEpochDeadline(1000);
  EXPECT_EQ(h.value("sum", {i32(1000)}), 500500u);
}

TEST(InterpInterrupt, FuelRunsOutInAnInfiniteLoop) {
  Harness h;
  h.load(R"((module (func (export "spin") (loop $l (br $l)))))");
  h.store.setFuel(10000);
  EXPECT_EQ(h.trap("spin").kind, TrapKind::OutOfFuel);
  EXPECT_EQ(h.store.fuel(), 0u);
}

TEST(InterpInterrupt, FuelIsConsumedByFiniteWork) {
  Harness h;
  h.load(R"((module (func (export "sum") (param i32) (result i32) (local i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
      (local.get 1))))");
  h.store.setFuel(1'000'000);
  EXPECT_EQ(h.value("sum", {i32(100)}), 5050u);
  uint64_t left = h.store.fuel();
  EXPECT_LT(left, 1'000'000u - 100);  // roughly one unit per instruction
  EXPECT_GT(left, 1'000'000u - 10'000);
  h.store.setFuel(50);
  EXPECT_EQ(h.trap("sum", {i32(100)}).kind, TrapKind::OutOfFuel);
}

}  // namespace bantam::interp::test
