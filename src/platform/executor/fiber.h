// Guests on the event loop's own thread: each request runs on a fiber (a stackful coroutine,
// Boost.Context), so that a guest that blocks (a WASI sleep) or runs long (preempted at an
// epoch deadline) suspends and lets the loop serve other connections, and a short guest costs
// no hand-off to another thread (futex wake-ups and context switches were ~22% of the server's
// CPU with a worker pool).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "runtime/engine.h"
#include "runtime/store.h"
#include "wasi/system.h"

namespace bantam::platform {

// How a fiber gets back onto its loop: run fn(arg) there after what is queued, or after a delay
// (the HTTP server's postToThisLoop / runOnThisLoopAfter). Both false: this thread runs no loop.
struct LoopHooks {
  bool (*post)(void (*fn)(void*), void* arg) = nullptr;
  bool (*after)(std::chrono::nanoseconds delay, void (*fn)(void*), void* arg) = nullptr;
};
void setLoopHooks(LoopHooks hooks);  // once, before any fiber starts

// Runs `job` (moved from) on a fresh fiber of this thread now; returns when it finishes or first
// suspends. False, `job` untouched: no stack could be mapped (the caller runs it elsewhere).
bool startFiber(std::move_only_function<void()>& job);
// Whether the caller runs on a fiber (and so may suspend).
bool onFiber();
// The lowest stack address a guest on this fiber may reach, leaving room for the host
// functions and the fault handler below it (for the compiled engine's stack limit); 0 off fibers.
uintptr_t fiberGuestStackLimit(uint64_t maxStackBytes);
// On a fiber: let the loop run what it has queued, then go on. `exec`'s thread state (the
// compiled engine's activation) is saved and restored around the switch.
void yieldFiber(runtime::ExecutionEngine& exec);
// On a fiber: suspend for `ns` (the loop serves others meanwhile).
void sleepFiber(runtime::ExecutionEngine& exec, uint64_t ns);

// One request's time limits on `store` (the WAGI and wasi:http executors). On a fiber the guest
// runs in slices of kSliceTicks epoch ticks and yields to the loop between them (Wasmtime's
// epoch_deadline_async_yield_and_update), calling `beforeYield` first (a streamed response
// sends what was written), until `timeoutTicks` from now: then it traps with Interrupted (a
// 504). The store's stack limit is the fiber's, and FiberClocks' sleeps end at the same
// deadline. Off a fiber it is a plain epoch deadline. Keep the object alive through the call.
class RequestTimeSlice {
 public:
  static constexpr uint64_t kSliceTicks = 2;  // 5-10 ms: a short guest never reaches it

  RequestTimeSlice(runtime::Store& store, bool onFiber, uint64_t timeoutTicks, std::chrono::milliseconds tick,
                   std::function<void()> beforeYield = {});
  RequestTimeSlice(const RequestTimeSlice&) = delete;
  RequestTimeSlice& operator=(const RequestTimeSlice&) = delete;

 private:
  static uint64_t onEpoch(runtime::Store& store, void* self);
  uint64_t deadlineTick_ = UINT64_MAX;  // the request's timeout, as an epoch
  std::function<void()> beforeYield_;
};

// WASI clocks for guests on fibers: time from `inner`, but a sleep suspends the fiber instead
// of the thread, and ends at `deadline()` of the request (false: interrupted, a timeout).
// Off a fiber it is `inner`'s sleep.
class FiberClocks final : public wasi::Clocks {
 public:
  explicit FiberClocks(std::shared_ptr<wasi::Clocks> inner) : inner_(std::move(inner)) {}
  wasi::WasiResult<uint64_t> resolution(wasi::ClockId id) override { return inner_->resolution(id); }
  wasi::WasiResult<uint64_t> now(wasi::ClockId id) override { return inner_->now(id); }
  bool sleep(uint64_t ns, const wasi::InterruptCheck& interrupted) override;
  // The request running on this fiber must stop by `deadline`; its guest runs on `exec` (set by
  // the executor per request).
  static void setRequest(std::chrono::steady_clock::time_point deadline, runtime::ExecutionEngine& exec);

 private:
  std::shared_ptr<wasi::Clocks> inner_;
};

}  // namespace bantam::platform
