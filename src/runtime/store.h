// The store (§4.2): owns every runtime object created in it, the execution state of the
// engines (value stack, call depth) and the limits. One store is used by one thread at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "runtime/engine.h"
#include "runtime/objects.h"
#include "runtime/vmctx.h"

namespace bantam::runtime {

struct StoreLimits {
  uint64_t maxMemoryBytes = uint64_t{4} << 30;  // per memory
  uint64_t maxTableElements = 10'000'000;       // per table
  uint32_t maxCallDepth = 20'000;               // wasm frames before "call stack exhausted"
  uint64_t maxStackBytes = 8u << 20;            // interpreter value stack
  // A memory that reaches this size is backed by transparent huge pages from then on (0:
  // never); see include/bantam/store.h.
  uint64_t hugePagesFromBytes = uint64_t{32} << 20;
};

// Engine-private execution state kept in the store (the interpreter's value stack, ...).
class ExecState {
 public:
  virtual ~ExecState() = default;
};

class Store {
 public:
  explicit Store(Engine& engine, StoreLimits limits = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Engine& engine() { return engine_; }
  const StoreLimits& limits() const { return limits_; }

  // --- allocation (objects live as long as the store) ---
  FuncInst* createHostFunc(wasm::FuncType type, HostCallback callback, std::string name = {});
  Result<TableInst*> createTable(const wasm::TableType& type, void* init = nullptr);
  Result<MemoryInst*> createMemory(const wasm::MemoryType& type);
  GlobalInst* createGlobal(const wasm::GlobalType& type, RawVal value);
  ModuleInst* createInstance();  // empty; filled by instantiate()
  FuncInst* createFunc();        // empty; filled by instantiate()

  // --- calling ---
  // Calls any function (host or wasm) with argsResults sized max(params, results).
  TrapOr<void> call(FuncInst& func, std::span<RawVal> argsResults);
  // Typed convenience: checks argument types, returns the results.
  TrapOr<std::vector<Value>> call(FuncInst& func, std::span<const Value> args);

  // --- interruption and fuel ---
  // The call traps with TrapKind::Interrupted once engine().epoch reaches the deadline.
  void setEpochDeadline(uint64_t ticksFromNow);
  uint64_t epochDeadline() const { return epochDeadline_; }
  // Cooperative preemption (Wasmtime's epoch deadline callback): when set, reaching the
  // deadline calls `callback` instead of trapping. It may switch away (an embedder running the
  // guest on a fiber yields to its event loop) and returns the ticks to the next deadline to
  // go on, or 0 to trap with TrapKind::Interrupted. It must not change the running instances'
  // memories, globals or tables: compiled code keeps their values in registers across it
  // (src/llvm/module_env.cpp, Builtin::LoopInterrupt).
  using EpochCallback = uint64_t (*)(Store& store, void* data);
  void setEpochCallback(EpochCallback callback, void* data) {
    epochCallback_ = callback;
    epochCallbackData_ = data;
  }
  // Called by the engines when the epoch reached the deadline: true means go on (the callback
  // moved the deadline), false means trap.
  bool epochDeadlineReached();
  // Fuel: when enabled, each executed instruction (approximately) costs one unit.
  void setFuel(std::optional<uint64_t> fuel) {
    fuelEnabled_ = fuel.has_value();
    fuel_ = fuel.value_or(0);
    refreshVmDeadline();
    refreshEntryLimit();
  }
  bool fuelEnabled() const { return fuelEnabled_; }
  uint64_t& fuel() { return fuel_; }

  // --- engine-private state ---
  std::unique_ptr<ExecState>& execState() { return execState_; }
  // What compiled code reads through every VMContext of this store (vmctx.h).
  VMStoreContext& vmStore() { return vmStore_; }
  // Recomputes vmStore().entryLimit from the stack limit, fuel and deadline: the store's
  // thread calls it after changing any of them (the compiled engine at each invocation and
  // after its slow path; setFuel and setEpochDeadline themselves).
  void refreshEntryLimit();

  // Host data for embedders (WASI context, request state...). Not owned.
  void* userData = nullptr;

 private:
  Engine& engine_;
  StoreLimits limits_;
  std::deque<FuncInst> funcs_;
  std::deque<std::unique_ptr<TableInst>> tables_;
  std::deque<std::unique_ptr<MemoryInst>> memories_;
  std::deque<GlobalInst> globals_;
  std::deque<ModuleInst> instances_;
  std::unique_ptr<ExecState> execState_;
  uint64_t epochDeadline_ = UINT64_MAX;
  EpochCallback epochCallback_ = nullptr;
  void* epochCallbackData_ = nullptr;
  uint64_t fuel_ = 0;
  bool fuelEnabled_ = false;
  bool deadlineWatched_ = false;  // registered with Engine::watchDeadline
  VMStoreContext vmStore_;

  // Compiled code's loops compare the epoch with one cached deadline; with fuel on it is 0, so
  // that every check reaches the engine's slow path, which charges the fuel (as the
  // interpreter). Atomic: Engine::incrementEpoch reads it from the ticking thread.
  void refreshVmDeadline() {
    std::atomic_ref(vmStore_.epochDeadline).store(fuelEnabled_ ? 0 : epochDeadline_, std::memory_order_relaxed);
  }
};

// Given to host functions: the store and the instance whose code made the call.
class Caller {
 public:
  Caller(Store& store, ModuleInst* instance) : store_(store), instance_(instance) {}
  Store& store() { return store_; }
  ModuleInst* instance() { return instance_; }
  // The caller's exported memory (WASI uses "memory"); nullptr if there is none.
  MemoryInst* memory(std::string_view exportName = "memory");

 private:
  Store& store_;
  ModuleInst* instance_;
};

}  // namespace bantam::runtime
