// Fibers for guests on the event loop (fiber.h): Boost.Context's fcontext switch (a few
// nanoseconds, no system call, unlike ucontext's sigprocmask) on stacks pooled per thread.
#include "platform/executor/fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <boost/context/fiber.hpp>
#include <vector>

namespace bantam::platform {

namespace {

namespace bctx = boost::context;

// A guest's native stack: the compiled engine's frames and the host functions it calls. Only
// the pages touched become resident; a guard page below turns an overflow into a fault that
// the compiled engine reports as "call stack exhausted" (its stack limit stops it earlier).
constexpr size_t kStackBytes = size_t{1} << 20;
constexpr size_t kGuardBytes = 64 * 1024;
// Below the guest's limit: host functions, builtins and the fault handler's bookkeeping.
constexpr uintptr_t kHostReserve = 192 * 1024;
// Stacks kept per thread for reuse (mmap/munmap per request would cost more than the guest).
constexpr size_t kMaxIdleStacks = 256;

LoopHooks gHooks;

struct StackPool {
  std::vector<void*> idle;  // base addresses (the guard page's)
  ~StackPool() {
    for (void* p : idle) ::munmap(p, kStackBytes + kGuardBytes);
  }
};
thread_local StackPool tStacks;
thread_local uintptr_t tLastStackLow = 0;  // of the stack allocate() gave last (startFiber reads it)

struct PooledStackAllocator {
  bctx::stack_context allocate() {
    void* base = nullptr;
    if (!tStacks.idle.empty()) {
      base = tStacks.idle.back();
      tStacks.idle.pop_back();
    } else {
      base = ::mmap(nullptr, kStackBytes + kGuardBytes, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
      if (base == MAP_FAILED) throw std::bad_alloc();  // caught nowhere: as `new` failing
      ::mprotect(base, kGuardBytes, PROT_NONE);
    }
    tLastStackLow = reinterpret_cast<uintptr_t>(base) + kGuardBytes;
    bctx::stack_context sc;
    sc.size = kStackBytes;
    sc.sp = static_cast<char*>(base) + kGuardBytes + kStackBytes;
    return sc;
  }
  void deallocate(bctx::stack_context& sc) noexcept {
    void* base = static_cast<char*>(sc.sp) - kStackBytes - kGuardBytes;
    if (tStacks.idle.size() < kMaxIdleStacks)
      tStacks.idle.push_back(base);
    else
      ::munmap(base, kStackBytes + kGuardBytes);
  }
};

struct Fiber {
  bctx::fiber self;  // the fiber while it is not running (fresh or suspended)
  bctx::fiber loop;  // while it runs: where a suspension or the end switches to
  std::move_only_function<void()> job;
  uintptr_t stackLow = 0;  // its lowest usable address
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  runtime::ExecutionEngine* exec = nullptr;  // of the guest it runs (FiberClocks)
};

thread_local Fiber* tCurrent = nullptr;

// Switches to `f` until it suspends or finishes (then frees it).
void resume(void* arg) {
  auto* f = static_cast<Fiber*>(arg);
  Fiber* outer = tCurrent;
  tCurrent = f;
  f->self = std::move(f->self).resume();
  tCurrent = outer;
  if (!f->self) delete f;  // it returned: its stack went back to the pool
}

// On the fiber: back to the loop until something resumes it.
void suspend(runtime::ExecutionEngine& exec) {
  Fiber* f = tCurrent;
  void* state = exec.saveThreadState();
  exec.restoreThreadState(nullptr);  // the loop and the next guest start from none
  f->loop = std::move(f->loop).resume();
  exec.restoreThreadState(state);
}

}  // namespace

void setLoopHooks(LoopHooks hooks) { gHooks = hooks; }

bool startFiber(std::move_only_function<void()>& job) {
  auto* f = new Fiber;
  try {
    PooledStackAllocator alloc;
    f->self = bctx::fiber(std::allocator_arg, alloc, [f](bctx::fiber&& loop) {
      f->loop = std::move(loop);
      f->job();
      f->job = nullptr;  // what it captured goes before the stack does
      return std::move(f->loop);
    });
  } catch (const std::bad_alloc&) {  // no stack could be mapped
    delete f;
    return false;
  }
  f->stackLow = tLastStackLow;  // the constructor allocated its stack
  f->job = std::move(job);
  resume(f);
  return true;
}

bool onFiber() { return tCurrent != nullptr; }

uintptr_t fiberGuestStackLimit(uint64_t maxStackBytes) {
  if (tCurrent == nullptr) return 0;
  uintptr_t sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  uintptr_t limit = tCurrent->stackLow + kHostReserve;
  if (sp > maxStackBytes && sp - maxStackBytes > limit) limit = sp - maxStackBytes;
  return limit;
}

void yieldFiber(runtime::ExecutionEngine& exec) {
  if (tCurrent == nullptr || !gHooks.post || !gHooks.post(&resume, tCurrent)) return;
  suspend(exec);
}

void sleepFiber(runtime::ExecutionEngine& exec, uint64_t ns) {
  if (tCurrent == nullptr || !gHooks.after || !gHooks.after(std::chrono::nanoseconds(ns), &resume, tCurrent)) {
    ::usleep(static_cast<useconds_t>(std::min<uint64_t>(ns / 1000, 1'000'000)));
    return;
  }
  suspend(exec);
}

void FiberClocks::setRequest(std::chrono::steady_clock::time_point deadline, runtime::ExecutionEngine& exec) {
  if (tCurrent == nullptr) return;
  tCurrent->deadline = deadline;
  tCurrent->exec = &exec;
}

bool FiberClocks::sleep(uint64_t ns, const wasi::InterruptCheck& interrupted) {
  if (tCurrent == nullptr || tCurrent->exec == nullptr) return inner_->sleep(ns, interrupted);
  // The store's epoch deadline is the preemption slice here, not the request's: the request's
  // deadline bounds the sleep instead.
  using Clock = std::chrono::steady_clock;
  Clock::time_point now = Clock::now();
  Clock::time_point deadline = tCurrent->deadline;
  auto want = std::chrono::nanoseconds(std::min<uint64_t>(ns, uint64_t{1} << 62));
  bool cut = deadline - now < want;
  Clock::time_point until = cut ? deadline : now + want;
  while ((now = Clock::now()) < until)
    sleepFiber(*tCurrent->exec, static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(until - now).count()));
  return !cut;
}

RequestTimeSlice::RequestTimeSlice(runtime::Store& store, bool onFiber, uint64_t timeoutTicks,
                                   std::chrono::milliseconds tick, std::function<void()> beforeYield)
    : beforeYield_(std::move(beforeYield)) {
  if (!onFiber) {
    store.setEpochCallback(nullptr, nullptr);  // a pooled store may carry a fiber request's
    store.setEpochDeadline(timeoutTicks);
    return;
  }
  runtime::Engine& engine = store.engine();
  uint64_t now = engine.epoch.load(std::memory_order_relaxed);
  deadlineTick_ = timeoutTicks > UINT64_MAX - now ? UINT64_MAX : now + timeoutTicks;
  store.setEpochDeadline(std::min(kSliceTicks, timeoutTicks));
  store.setEpochCallback(&onEpoch, this);
  // The compiled engine bounds the guest's native stack by the fiber's, not the thread's.
  store.vmStore().stackLimit = fiberGuestStackLimit(store.limits().maxStackBytes);
  auto deadline = std::chrono::steady_clock::time_point::max();
  if (timeoutTicks < UINT64_MAX / 2 / static_cast<uint64_t>(tick.count() + 1))
    deadline = std::chrono::steady_clock::now() + timeoutTicks * tick;
  FiberClocks::setRequest(deadline, engine.exec());
}

// The store's epoch callback on a fiber: yield, then go on for another slice, unless the
// request's own deadline has passed (0: trap with Interrupted).
uint64_t RequestTimeSlice::onEpoch(runtime::Store& store, void* self) {
  const auto& t = *static_cast<const RequestTimeSlice*>(self);
  runtime::Engine& engine = store.engine();
  if (engine.epoch.load(std::memory_order_relaxed) >= t.deadlineTick_) return 0;
  if (t.beforeYield_) t.beforeYield_();
  yieldFiber(engine.exec());
  uint64_t now = engine.epoch.load(std::memory_order_relaxed);
  if (now >= t.deadlineTick_) return 0;
  return std::min(kSliceTicks, t.deadlineTick_ - now);
}

}  // namespace bantam::platform
