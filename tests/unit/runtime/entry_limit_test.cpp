// The entry limit that compiled code compares its stack pointer with (runtime/vmctx.h): the
// store keeps it at the stack limit, fuel and a reached deadline raise it to UINTPTR_MAX, and
// the engine's tick raises it for every store it knows to have a deadline.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "fake_engine.h"

namespace bantam::runtime {
namespace {

using test::FakeEngine;
using test::FakeRuntime;

uintptr_t entryLimit(Store& s) { return std::atomic_ref(s.vmStore().entryLimit).load(); }

TEST(EntryLimit, FollowsTheStackLimitWhileNothingIsDue) {
  FakeRuntime rt;
  EXPECT_EQ(entryLimit(rt.store), 0u);
  rt.store.vmStore().stackLimit = 0x10000;
  rt.store.refreshEntryLimit();
  EXPECT_EQ(entryLimit(rt.store), 0x10000u);
}

TEST(EntryLimit, FuelSendsEveryEntryToTheSlowPath) {
  FakeRuntime rt;
  rt.store.vmStore().stackLimit = 0x10000;
  rt.store.setFuel(10);
  EXPECT_EQ(entryLimit(rt.store), UINTPTR_MAX);
  rt.store.setFuel(std::nullopt);
  EXPECT_EQ(entryLimit(rt.store), 0x10000u);
}

TEST(EntryLimit, TheTickThatReachesTheDeadlineRaisesIt) {
  FakeRuntime rt;
  rt.store.vmStore().stackLimit = 0x10000;
  rt.store.setEpochDeadline(2);
  rt.engine.incrementEpoch();
  EXPECT_EQ(entryLimit(rt.store), 0x10000u);
  rt.engine.incrementEpoch();
  EXPECT_EQ(entryLimit(rt.store), UINTPTR_MAX);
  // Moving the deadline (an epoch callback does) brings it back.
  rt.store.setEpochDeadline(5);
  EXPECT_EQ(entryLimit(rt.store), 0x10000u);
}

TEST(EntryLimit, EveryTickPastTheDeadlineRaisesItAgain) {
  // Not edge-triggered: a refresh racing with the tick that crossed the deadline is undone by
  // the next tick.
  FakeRuntime rt;
  rt.store.setEpochDeadline(1);
  rt.engine.incrementEpoch();
  std::atomic_ref(rt.store.vmStore().entryLimit).store(0);  // as if a refresh had raced
  rt.engine.incrementEpoch();
  EXPECT_EQ(entryLimit(rt.store), UINTPTR_MAX);
}

TEST(EntryLimit, ADeadlineAlreadyPassedRaisesItAtOnce) {
  FakeRuntime rt;
  rt.store.setEpochDeadline(0);
  EXPECT_EQ(entryLimit(rt.store), UINTPTR_MAX);
}

TEST(EntryLimit, StoreIsWatchedFromItsFirstFiniteDeadlineUntilDestroyed) {
  Engine engine(std::make_unique<FakeEngine>());
  auto a = std::make_unique<Store>(engine);
  Store b(engine);
  EXPECT_EQ(engine.watchedStores(), 0u);
  a->setEpochDeadline(UINT64_MAX);  // no deadline: nothing to watch
  EXPECT_EQ(engine.watchedStores(), 0u);
  a->setEpochDeadline(10);
  a->setEpochDeadline(20);
  b.setEpochDeadline(10);
  EXPECT_EQ(engine.watchedStores(), 2u);
  a.reset();
  EXPECT_EQ(engine.watchedStores(), 1u);
  engine.incrementEpoch();  // walks only the live store
}

TEST(EntryLimit, StoresComeAndGoOnOtherThreadsWhileTheEpochTicks) {
  Engine engine(std::make_unique<FakeEngine>());
  Store longLived(engine);
  longLived.setEpochDeadline(1'000'000'000);
  std::atomic<bool> stop{false};
  std::thread ticker([&] {
    while (!stop.load(std::memory_order_relaxed)) engine.incrementEpoch();
  });
  std::vector<std::thread> workers;
  std::atomic<uint64_t> created{0};
  for (int t = 0; t < 3; ++t) {
    workers.emplace_back([&, t] {
      auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
      while (std::chrono::steady_clock::now() < until) {
        std::vector<std::unique_ptr<Store>> stores;
        for (int i = 0; i < 16; ++i) {
          stores.push_back(std::make_unique<Store>(engine));
          stores.back()->setEpochDeadline(static_cast<uint64_t>(i % 3));  // some already passed
          if (t == 0) stores.back()->setFuel(5);
        }
        for (auto& s : stores) {
          s->refreshEntryLimit();
          s->setEpochDeadline(UINT64_MAX);
        }
        created.fetch_add(stores.size(), std::memory_order_relaxed);
      }
    });
  }
  for (auto& w : workers) w.join();
  stop = true;
  ticker.join();
  EXPECT_GT(created.load(), 100u);
  EXPECT_EQ(engine.watchedStores(), 1u);
  EXPECT_EQ(entryLimit(longLived), 0u);  // its deadline is far away
}

TEST(EntryLimit, TickWalksAThousandStoresCheaply) {
  // `bantam up` pools an instance (and a store) per slot, all with a request deadline.
  Engine engine(std::make_unique<FakeEngine>());
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < 1000; ++i) {
    stores.push_back(std::make_unique<Store>(engine));
    stores.back()->setEpochDeadline(i % 2 ? 1 : UINT64_MAX / 2);  // half of them past after a tick
  }
  constexpr int kTicks = 2000;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kTicks; ++i) engine.incrementEpoch();
  double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / kTicks;
  std::printf("one tick over 1000 watched stores: %.2f us\n", us);
  EXPECT_EQ(entryLimit(*stores[1]), UINTPTR_MAX);
  EXPECT_EQ(entryLimit(*stores[0]), 0u);
  // A tick comes every few milliseconds; even a loaded machine walks a thousand stores in far
  // less than one.
  EXPECT_LT(us, 1000.0);
}

}  // namespace
}  // namespace bantam::runtime
