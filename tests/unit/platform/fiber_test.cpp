// Guests on fibers (platform/executor/fiber.h): a fiber runs at once and to its first
// suspension, a yield or a sleep comes back through the loop's queue, the engine's thread state
// is the fiber's own across a switch, and the store's epoch callback lets a spinning guest
// yield instead of trapping until the request's deadline.
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <thread>
#include <utility>

#include "interp/interpreter.h"
#include "platform/executor/fiber.h"
#include "runtime/instantiate.h"
#include "runtime/store.h"
#include "wasm/text/wat.h"

namespace bantam::platform {
namespace {

// A loop for the test: what the fibers post, run in order by drain().
std::deque<std::pair<void (*)(void*), void*>> gQueue;
std::chrono::nanoseconds gLastSleep{0};

bool post(void (*fn)(void*), void* arg) {
  gQueue.emplace_back(fn, arg);
  return true;
}
bool after(std::chrono::nanoseconds delay, void (*fn)(void*), void* arg) {
  gLastSleep = delay;
  gQueue.emplace_back(fn, arg);  // time passes at once here
  return true;
}
void drain() {
  while (!gQueue.empty()) {
    auto [fn, arg] = gQueue.front();
    gQueue.pop_front();
    fn(arg);
  }
}

// An engine with one slot of thread state, as the compiled engine's activation.
class StatefulEngine final : public runtime::ExecutionEngine {
 public:
  std::string_view name() const override { return "stateful"; }
  Result<std::unique_ptr<runtime::EngineCode>> compile(const wasm::Module&, std::span<const uint32_t>) override {
    return fail(ErrorKind::Usage, "not an engine");
  }
  runtime::TrapOr<void> invoke(runtime::Store&, runtime::FuncInst&, std::span<runtime::RawVal>) override { return {}; }
  void* saveThreadState() override { return state; }
  void restoreThreadState(void* s) override { state = s; }
  void* state = nullptr;
};

void run(std::move_only_function<void()> job) { ASSERT_TRUE(startFiber(job)); }

class FiberTest : public ::testing::Test {
 protected:
  FiberTest() { setLoopHooks(LoopHooks{&post, &after}); }
  ~FiberTest() override { gQueue.clear(); }
};

TEST_F(FiberTest, RunsAtOnceToTheEnd) {
  bool ran = false, inside = false;
  run([&] {
    ran = true;
    inside = onFiber();
  });
  EXPECT_TRUE(ran);
  EXPECT_TRUE(inside);
  EXPECT_FALSE(onFiber());
  EXPECT_TRUE(gQueue.empty());
}

TEST_F(FiberTest, YieldLetsTheLoopRunOthersFirst) {
  StatefulEngine exec;
  std::vector<int> order;
  run([&] {
    order.push_back(1);
    yieldFiber(exec);
    order.push_back(3);
  });
  run([&] { order.push_back(2); });
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  drain();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST_F(FiberTest, SleepSuspendsForTheDelay) {
  StatefulEngine exec;
  bool woke = false;
  run([&] {
    sleepFiber(exec, 5'000'000);
    woke = true;
  });
  EXPECT_FALSE(woke);
  EXPECT_EQ(gLastSleep, std::chrono::milliseconds(5));
  drain();
  EXPECT_TRUE(woke);
}

TEST_F(FiberTest, EngineThreadStateIsEachFibersOwn) {
  StatefulEngine exec;
  int a = 0, b = 0;
  void* seenByA = nullptr;
  run([&] {
    exec.state = &a;
    yieldFiber(exec);
    seenByA = exec.state;
  });
  EXPECT_EQ(exec.state, nullptr);  // the loop starts the next guest from none
  run([&] {
    exec.state = &b;
    yieldFiber(exec);
  });
  drain();
  EXPECT_EQ(seenByA, &a);
}

TEST_F(FiberTest, GuestStackLimitIsInsideTheFibersStack) {
  uintptr_t limit = 0, sp = 0;
  run([&] {
    int here = 0;
    sp = reinterpret_cast<uintptr_t>(&here);
    limit = fiberGuestStackLimit(8u << 20);
  });
  EXPECT_EQ(fiberGuestStackLimit(8u << 20), 0u);
  ASSERT_NE(limit, 0u);
  EXPECT_LT(limit, sp);
  EXPECT_GT(sp - limit, 256u * 1024);  // room for a guest
  EXPECT_LT(sp - limit, 1u << 20);     // within the fiber's stack
}

// The store's epoch callback: a guest in an endless loop calls it at each deadline; going on
// until the third, then trapping.
uint64_t countTicks(runtime::Store&, void* data) {
  int& calls = *static_cast<int*>(data);
  return ++calls < 3 ? 1 : 0;
}

TEST_F(FiberTest, EpochCallbackPreemptsInsteadOfTrapping) {
  runtime::Engine engine(interp::createInterpreter());
  auto bytes = wasm::text::parseWat("(module (func (export \"spin\") (loop (br 0))))");
  ASSERT_TRUE(bytes) << bytes.error().toString();
  auto module = runtime::compileModule(engine, *bytes, "spin");
  ASSERT_TRUE(module) << module.error().toString();
  runtime::Store store(engine);
  runtime::Linker linker;
  auto inst = linker.instantiate(store, *module);
  ASSERT_TRUE(inst) << inst.error().toString();
  int calls = 0;
  store.setEpochDeadline(1);
  store.setEpochCallback(&countTicks, &calls);
  std::atomic<bool> stop{false};
  std::thread ticker([&] {
    while (!stop) {
      engine.incrementEpoch();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  auto r = store.call(*(*inst)->exportedFunc("spin"), std::span<runtime::RawVal>());
  stop = true;
  ticker.join();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, runtime::TrapKind::Interrupted);
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace bantam::platform
