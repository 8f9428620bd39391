// The engine: process-wide configuration shared by stores (type registry, the execution
// engine, the epoch counter). It is created by the embedder and passed down, never global.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/error.h"
#include "runtime/objects.h"

namespace bantam::runtime {

struct VMStoreContext;

// Interns function types so that equal signatures get equal ids (§4.5.1 call_indirect check
// becomes one integer compare). Thread-safe.
class TypeRegistry {
 public:
  uint32_t intern(const wasm::FuncType& type);
  const wasm::FuncType& lookup(uint32_t id) const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<wasm::FuncType>> types_;
  std::unordered_map<std::string, uint32_t> byKey_;
};

// Engine code for one module: whatever an execution engine prepared (lowered interpreter code,
// native code). Shared by every instance of the module.
class EngineCode {
 public:
  virtual ~EngineCode() = default;
  // The code of defined function `definedIndex` (0 = first non-imported function), stored in
  // FuncInst::code.
  virtual const void* functionCode(uint32_t definedIndex) const = 0;
  // Compiled engines: the code an instance's VMContext holds for an imported host function of
  // type `typeIndex` (an adapter from the native calling convention to FuncInst::host); nullptr
  // for engines that do not call through the VMContext.
  virtual const void* hostCallAdapter(uint32_t typeIndex) const { return nullptr; }
  // Code that relies on each memory's guard region instead of bounds checks (vmctx.h): an
  // instance refuses a memory whose reservation is smaller (MemoryInst::reservedBytes).
  virtual bool needsGuardRegion() const { return false; }
};

// An execution engine (STYLE rule 6: interpreter and compiler implement one interface).
class ExecutionEngine {
 public:
  virtual ~ExecutionEngine() = default;
  virtual std::string_view name() const = 0;
  // Prepares every defined function of a decoded and validated module.
  virtual Result<std::unique_ptr<EngineCode>> compile(const wasm::Module& module,
                                                      std::span<const uint32_t> sigIds) = 0;
  // Calls wasm function `func` (never a host function: Store::call dispatches those).
  // Arguments are in argsResults[0..params); results are written to argsResults[0..results).
  // Re-entrant: a host function called from wasm may call wasm again.
  virtual TrapOr<void> invoke(Store& store, FuncInst& func, std::span<RawVal> argsResults) = 0;
  // Thread-local state the engine keeps for the guest running on this thread (the compiled
  // engine's innermost activation, where traps unwind to). An embedder that suspends a guest
  // and runs another on the same thread (fibers) saves it on suspending and restores it on
  // resuming. Engines without such state return nullptr.
  virtual void* saveThreadState() { return nullptr; }
  virtual void restoreThreadState(void* state) { (void)state; }
};

class Engine {
 public:
  // The execution engine is injected (the interpreter, or the compiler when built); see
  // api/ for the factory that picks one from a configuration.
  explicit Engine(std::unique_ptr<ExecutionEngine> exec);
  ~Engine();

  TypeRegistry& types() { return types_; }
  ExecutionEngine& exec() { return *exec_; }

  // Epoch-based interruption: stores set a deadline; engines check it at function entries and
  // loop back-edges. Incremented by a timer thread of the embedder.
  std::atomic<uint64_t> epoch{0};
  // Advances the epoch, then sets the entry limit (vmctx.h) of every registered store whose
  // deadline has been reached, so that compiled code's single entry compare takes the slow
  // path. Done at every tick while a deadline stays passed (not only when it is crossed): a
  // guest thread that refreshes its limit at the same moment delays the interrupt by a tick at
  // most. Cost: one walk of the registry under its mutex, a load or two per store (about 2 µs
  // per tick with a thousand stores, as `bantam up` pools them, on a loaded machine; the test
  // EntryLimit.TickWalksAThousandStoresCheaply measures it), against a tick every few ms.
  void incrementEpoch();
  // The stores with a finite deadline (Store::setEpochDeadline adds its context once, ~Store
  // removes it). Thread-safe; a store may be created or destroyed while another thread ticks.
  void watchDeadline(VMStoreContext* store);
  void unwatchDeadline(VMStoreContext* store);
  size_t watchedStores();

 private:
  TypeRegistry types_;
  std::unique_ptr<ExecutionEngine> exec_;
  std::mutex deadlineMutex_;
  std::vector<VMStoreContext*> deadlineStores_;  // unordered (removal swaps with the last)
};

}  // namespace bantam::runtime
