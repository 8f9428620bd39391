// The store: allocation of runtime objects, calls from the host, interruption settings.
#include "runtime/store.h"

#include <exception>

namespace bantam::runtime {

Store::Store(Engine& engine, StoreLimits limits) : engine_(engine), limits_(limits) {
  vmStore_.epoch = &engine_.epoch;
  vmStore_.store = this;
  refreshVmDeadline();
  refreshEntryLimit();
}

Store::~Store() {
  if (deadlineWatched_) engine_.unwatchDeadline(&vmStore_);
}

namespace {
// The boundary where host code meets the engine: an exception thrown by a host function must
// not unwind through engine frames (STYLE rule 3), so it becomes a trap here.
HostCallback guardHostCallback(HostCallback callback) {
  return [cb = std::move(callback)](Caller& caller, std::span<RawVal> argsResults) -> TrapOr<void> {
    try {
      return cb(caller, argsResults);
    } catch (const std::exception& e) {
      return std::unexpected(Trap(TrapKind::HostError, e.what()));
    } catch (...) {
      return std::unexpected(Trap(TrapKind::HostError));
    }
  };
}
}  // namespace

FuncInst* Store::createHostFunc(wasm::FuncType type, HostCallback callback, std::string name) {
  FuncInst& f = funcs_.emplace_back();
  f.hostType = std::make_unique<wasm::FuncType>(std::move(type));
  f.type = f.hostType.get();
  f.sigId = engine_.types().intern(*f.type);
  f.host = guardHostCallback(std::move(callback));
  f.hostName = std::move(name);
  return &f;
}

Result<TableInst*> Store::createTable(const wasm::TableType& type, void* init) {
  if (type.limits.min > limits_.maxTableElements)
    return fail(ErrorKind::Limit, "table minimum size (" + std::to_string(type.limits.min) +
                                      " elements) exceeds the store's table limit");
  return tables_.emplace_back(std::make_unique<TableInst>(type, init)).get();
}

Result<MemoryInst*> Store::createMemory(const wasm::MemoryType& type) {
  auto memory = BANTAM_TRY(MemoryInst::create(type, limits_.maxMemoryBytes, limits_.hugePagesFromBytes));
  return memories_.emplace_back(std::move(memory)).get();
}

GlobalInst* Store::createGlobal(const wasm::GlobalType& type, RawVal value) {
  GlobalInst& g = globals_.emplace_back();
  g.type = type;
  g.value = value;
  return &g;
}

ModuleInst* Store::createInstance() {
  ModuleInst& m = instances_.emplace_back();
  m.store = this;
  return &m;
}

FuncInst* Store::createFunc() { return &funcs_.emplace_back(); }

TrapOr<void> Store::call(FuncInst& func, std::span<RawVal> argsResults) {
  if (func.isHost()) {
    Caller caller(*this, nullptr);  // called by the host itself: there is no calling instance
    return func.host(caller, argsResults);
  }
  return engine_.exec().invoke(*this, func, argsResults);
}

TrapOr<std::vector<Value>> Store::call(FuncInst& func, std::span<const Value> args) {
  const wasm::FuncType& type = *func.type;
  // §4.5.5 invocation: the arguments must match the parameter types. This is the embedder's
  // mistake rather than a wasm trap, reported as a host error that names both signatures.
  bool ok = args.size() == type.params.size();
  for (size_t i = 0; ok && i < args.size(); ++i) ok = args[i].type == type.params[i];
  if (!ok) {
    std::string given = "(";
    for (size_t i = 0; i < args.size(); ++i) {
      if (i) given += ' ';
      given += wasm::valTypeName(args[i].type);
    }
    given += ')';
    return std::unexpected(Trap(TrapKind::HostError, "argument type mismatch: function " +
                                                         type.toString() + " called with " + given));
  }
  std::vector<RawVal> cells(std::max(type.params.size(), type.results.size()));
  for (size_t i = 0; i < args.size(); ++i) cells[i] = args[i].raw;
  BANTAM_TRY(call(func, std::span<RawVal>(cells)));
  std::vector<Value> results(type.results.size());
  for (size_t i = 0; i < results.size(); ++i) {
    results[i].type = type.results[i];
    results[i].raw = cells[i];
  }
  return results;
}

bool Store::epochDeadlineReached() {
  if (epochCallback_ == nullptr) return false;
  uint64_t ticks = epochCallback_(*this, epochCallbackData_);
  if (ticks == 0) return false;
  setEpochDeadline(ticks);
  return true;
}

void Store::setEpochDeadline(uint64_t ticksFromNow) {
  uint64_t now = engine_.epoch.load(std::memory_order_relaxed);
  epochDeadline_ = ticksFromNow > UINT64_MAX - now ? UINT64_MAX : now + ticksFromNow;
  refreshVmDeadline();
  // The engine's ticks raise the entry limit of the stores it knows to have a deadline; a
  // store stays known until it is destroyed (a pooled store gets a new deadline per request).
  if (epochDeadline_ != UINT64_MAX && !deadlineWatched_) {
    engine_.watchDeadline(&vmStore_);
    deadlineWatched_ = true;
  }
  refreshEntryLimit();
}

void Store::refreshEntryLimit() {
  std::atomic_ref<uintptr_t> limit(vmStore_.entryLimit);
  if (fuelEnabled_) {
    limit.store(UINTPTR_MAX, std::memory_order_relaxed);
    return;
  }
  // Store first, then look at the epoch (both seq_cst, as Engine::incrementEpoch's increment
  // and store): a tick racing with this either is seen here or overwrites the stack limit.
  limit.store(vmStore_.stackLimit);
  if (engine_.epoch.load() >= epochDeadline_) limit.store(UINTPTR_MAX, std::memory_order_relaxed);
}

MemoryInst* Caller::memory(std::string_view exportName) {
  return instance_ != nullptr ? instance_->exportedMemory(exportName) : nullptr;
}

}  // namespace bantam::runtime
